/**
 * Verifies a publickey authentication request: the key must be acceptable to the caller's rule,
 * and when the client has signed, the signature must verify. Used on the outer and inner hops.
 */
import type { PublicKeyAuthContext } from 'ssh2';
import ssh2 from 'ssh2';

/** The outcome of checking a publickey request. */
export type PublicKeyCheck =
  | { readonly kind: 'query-accepted' }
  | { readonly kind: 'verified' }
  | { readonly kind: 'bad-signature' };

/**
 * For a key the caller already accepts: answers a query (no signature) with PK_OK, or checks the
 * signature. Does not accept or reject the context; the caller decides.
 */
export function checkPublicKeySignature(ctx: PublicKeyAuthContext): PublicKeyCheck {
  if (ctx.signature === undefined || ctx.blob === undefined) return { kind: 'query-accepted' };
  const parsed = ssh2.utils.parseKey(ctx.key.data);
  if (parsed instanceof Error) return { kind: 'bad-signature' };
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) return { kind: 'bad-signature' };
  const ok = key.verify(ctx.blob, ctx.signature, ctx.hashAlgo);
  return ok === true ? { kind: 'verified' } : { kind: 'bad-signature' };
}
