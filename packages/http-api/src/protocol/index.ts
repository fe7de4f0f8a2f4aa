/** What client and server share: request and response schemas, and certificate pinning. */
export * from './access-schemas.js';
export * from './admin-schemas.js';
export * from './certificate-fingerprint.js';
export * from './common-schemas.js';
