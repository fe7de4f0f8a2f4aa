/** The embedded store: users, keys, models, grants, machines, units and the ephemeral-key ledger. */
export type { EphemeralKeyEntry, EphemeralKeyLedger } from './ephemeral-key-ledger.js';
export { SqliteStore } from './sqlite-store.js';
