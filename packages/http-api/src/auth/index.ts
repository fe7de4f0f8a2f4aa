/** API access without the HTTP server: registration strings, credentials, and their checks. */
export * from './api-access.js';
export * from './api-secrets.js';
