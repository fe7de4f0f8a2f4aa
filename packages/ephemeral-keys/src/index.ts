export { createEphemeralKey, type EphemeralKey } from './ephemeral-key.js';
export {
  EphemeralKeyManager,
  type EphemeralKeyManagerOptions,
  type InstalledKey,
} from './ephemeral-key-manager.js';
export type { MachineEndpoint } from './host-key-check.js';
export { ephemeralKeyComment } from './identifiers.js';
export { systemKeyLine } from './system-key-line.js';
