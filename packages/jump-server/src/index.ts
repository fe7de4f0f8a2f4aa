export * from './forwarding-policy.js';
export * from './jump-server.js';
export * from './leftover-keys.js';
export * from './limits.js';
export * from './services.js';
