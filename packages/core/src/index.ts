export * from './errors.js';
export * from './host-port.js';
export * from './openssh-private-key.js';
export * from './records.js';
export * from './ssh-public-key.js';
export * from './ssh-wire.js';
export * from './target-name.js';
