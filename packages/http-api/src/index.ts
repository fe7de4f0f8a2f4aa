/** The controller's HTTPS API: routes and schemas, API access, and its server certificate. */
export * from './api-server.js';
export type { ApiServices, ApiStore, MachineUpdate, PublicKeyInfo } from './api-services.js';
export * from './auth/index.js';
export * from './protocol/index.js';
export * from './target-directory.js';
export * from './tls/index.js';
