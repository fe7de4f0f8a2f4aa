/**
 * Policy hooks consulted before a session starts. Any of them may refuse it with a reason; the
 * reason travels to the audit record and to the user's `ssh` as the refusal text.
 */

import { quoteUntrusted } from '@juju-ssh/core';
import type { SessionFields } from './audit-event.js';

/** The session a policy is asked about: who, where to, by which path, and from where. */
type PolicySession = SessionFields & { readonly sourceAddress: string };

/**
 * A policy hook consulted before a session starts; returns a refusal reason, or undefined to
 * allow.
 */
export interface SessionPolicy {
  /** Names the policy in refusals it causes by failing. */
  readonly name: string;
  check(session: SessionFields & { readonly sourceAddress: string }): Promise<string | undefined>;
}

/**
 * Runs policies in order; the first refusal wins. A policy that throws refuses (fail closed)
 * with a reason naming the policy.
 */
export class SessionPolicyChain {
  readonly #policies: readonly SessionPolicy[];

  constructor(policies: readonly SessionPolicy[]) {
    this.#policies = [...policies];
  }

  /** The first refusal reason, or undefined when every policy allows the session. */
  async check(session: PolicySession): Promise<string | undefined> {
    // TODO: no time limit per policy; one that never settles holds the session start until the
    // client gives up.
    for (const policy of this.#policies) {
      const reason = await checkOne(policy, session);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
}

async function checkOne(
  policy: SessionPolicy,
  session: PolicySession,
): Promise<string | undefined> {
  const name = quoteUntrusted(policy.name);
  let reason: string | undefined;
  try {
    reason = await policy.check(session);
  } catch (error) {
    // Only the message travels: a stack trace never reaches an SSH user.
    const message = error instanceof Error ? error.message : String(error);
    return `session refused: policy ${name} failed: ${quoteUntrusted(message, 200)}`;
  }

  if (reason === undefined) return undefined;
  return reason === '' ? `session refused by policy ${name}` : reason;
}
