/** The access policy: who may log in with which key, and who may reach which target. */
export type { AccessDirectory } from './access-directory.js';
export { AccessPolicy, type AuthDecision, type ResolvedTarget } from './access-policy.js';
export type { RelayedPrincipal } from './relayed-principal.js';
