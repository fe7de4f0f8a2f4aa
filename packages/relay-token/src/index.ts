/** Relay tokens: the short-lived JWTs JIMM signs and controllers verify. */
export { type JwksSource, jwksFileSource, parseJwks } from './jwks-file.js';
export {
  modelAccessKey,
  RELAY_TOKEN_ALGORITHMS,
  type RelayTokenRequest,
  SSH_PUBLIC_KEY_CLAIM,
  type VerifiedRelayToken,
} from './relay-claims.js';
export {
  MAX_RELAY_TOKEN_LIFETIME_SECONDS,
  type MintedRelayToken,
  RelayTokenIssuer,
  type RelayTokenIssuerOptions,
} from './relay-token-issuer.js';
export { RelayTokenVerifier, type RelayTokenVerifierOptions } from './relay-token-verifier.js';
export { MemoryReplayCache, type ReplayCache } from './replay-cache.js';
export {
  generateSigningKey,
  publicJwks,
  type SigningKey,
  signingKeyFromJwk,
} from './signing-key.js';
