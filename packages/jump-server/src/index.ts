export * from './forwarding-policy.js';
export * from './jump-server.js';
export * from './leftover-keys.js';
export * from './limits.js';
export { checkPublicKeySignature, type PublicKeyCheck } from './public-key-auth.js';
export * from './services.js';
export { REFUSAL_IDENT, refuseInsideChannel } from './target-refusal.js';
export { PREFERRED_CIPHERS } from './upstream.js';
export { userFacingMessage } from './user-facing-message.js';
