import { describe, expect, it } from 'vitest';
import type { SessionFields } from './audit-event.js';
import { type SessionPolicy, SessionPolicyChain } from './session-policy.js';

const session: SessionFields & { readonly sourceAddress: string } = {
  sessionId: 'sess-1',
  user: 'alice',
  targetName: '0.8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelUuid: '8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelName: 'prod',
  targetKind: 'machine',
  machineId: '0',
  loginUser: 'ubuntu',
  via: 'direct',
  sourceAddress: '127.0.0.1',
};

/** A policy that notes each call in `calls` and answers with `answer`. */
function policy(name: string, calls: string[], answer: () => Promise<string | undefined>) {
  return {
    name,
    check: async (asked: typeof session) => {
      expect(asked).toEqual(session);
      calls.push(name);
      return answer();
    },
  } satisfies SessionPolicy;
}

describe('SessionPolicyChain', () => {
  it('allows a session every policy allows, asking each in order', async () => {
    const calls: string[] = [];
    const chain = new SessionPolicyChain([
      policy('hours', calls, async () => undefined),
      policy('network', calls, async () => undefined),
    ]);

    expect(await chain.check(session)).toBeUndefined();
    expect(calls).toEqual(['hours', 'network']);
  });

  it('refuses with the first refusal and asks no later policy', async () => {
    const calls: string[] = [];
    const chain = new SessionPolicyChain([
      policy('hours', calls, async () => undefined),
      policy('network', calls, async () => 'source 127.0.0.1 is outside the office network'),
      policy('quota', calls, async () => 'too many sessions'),
    ]);

    expect(await chain.check(session)).toBe('source 127.0.0.1 is outside the office network');
    expect(calls).toEqual(['hours', 'network']);
  });

  it('refuses, naming the policy, when a policy throws', async () => {
    const calls: string[] = [];
    const chain = new SessionPolicyChain([
      policy('hours', calls, async () => {
        throw new Error('calendar service unreachable');
      }),
      policy('quota', calls, async () => undefined),
    ]);

    const reason = await chain.check(session);

    expect(reason).toBe('session refused: policy "hours" failed: "calendar service unreachable"');
    expect(calls).toEqual(['hours']);
  });

  it('refuses when a policy throws synchronously or throws something not an Error', async () => {
    const sync: SessionPolicy = {
      name: 'sync',
      check: () => {
        throw new Error('bad config');
      },
    };
    const odd: SessionPolicy = { name: 'odd', check: () => Promise.reject('nope') };

    expect(await new SessionPolicyChain([sync]).check(session)).toMatch(/policy "sync" failed/);
    expect(await new SessionPolicyChain([odd]).check(session)).toMatch(/"odd" failed: "nope"/);
  });

  it('treats an empty reason as a refusal that names the policy', async () => {
    const chain = new SessionPolicyChain([policy('terse', [], async () => '')]);

    expect(await chain.check(session)).toBe('session refused by policy "terse"');
  });
});
