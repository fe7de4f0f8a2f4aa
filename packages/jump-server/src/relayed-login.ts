/**
 * Logins JIMM relays: the relay user `external-auth` authenticates on the outer hop with a relay
 * token as its password, and on the inner hop the user may present only the key the token
 * names. Refusals carry reasons for the log and audit; the client sees "Permission denied".
 */
import type { AuthDecision, RelayedPrincipal } from '@juju-ssh/authz';
import { fingerprint, isJujuSshError, sameKey } from '@juju-ssh/core';
import type { JumpServerServices } from './services.js';

/** The user name JIMM logs in as. */
export const RELAY_USER = 'external-auth';

/** The outcome of a relay user's password login. */
export type RelayLogin =
  | { readonly allowed: true; readonly principal: RelayedPrincipal }
  | { readonly allowed: false; readonly reason: string };

/** Verifies the token JIMM sent as the password; refused when this controller trusts no JIMM. */
export async function verifyRelayLogin(
  services: JumpServerServices,
  password: string,
): Promise<RelayLogin> {
  const verifier = services.relayTokens;
  if (verifier === undefined) {
    return { allowed: false, reason: 'this controller accepts no relayed logins (no JIMM)' };
  }
  try {
    return { allowed: true, principal: await verifier.verify(password) };
  } catch (error) {
    const reason = isJujuSshError(error) ? error.message : `token check failed: ${String(error)}`;
    return { allowed: false, reason };
  }
}

/**
 * Whether `keyBlob` may open the inner hop: for a relayed user only the token's key, for a
 * direct user any key registered to the same user as the outer hop.
 */
export async function innerHopKeyDecision(
  services: JumpServerServices,
  user: string,
  relayed: RelayedPrincipal | undefined,
  keyBlob: Buffer,
): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly reason: string }> {
  if (relayed === undefined) {
    const decision: AuthDecision = await services.policy.authenticateKey(user, keyBlob);
    return decision.allowed ? { allowed: true } : decision;
  }
  if (sameKey(relayed.publicKey, keyBlob)) return { allowed: true };
  return {
    allowed: false,
    reason:
      `key ${fingerprint(keyBlob)} is not the key JIMM's token names ` +
      `(${fingerprint(relayed.publicKey)})`,
  };
}
