/** Checking a server certificate and its key, without the HTTP server. */
export * from './server-certificate.js';
