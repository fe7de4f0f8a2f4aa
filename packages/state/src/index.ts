/**
 * The embedded store: users and their keys, models, grants, machines, units, and the
 * ephemeral-key ledger.
 */
export type { ApiCredentialRecord, NewApiCredential } from './api-access.js';
export type { EphemeralKeyEntry, EphemeralKeyLedger } from './ephemeral-key-ledger.js';
export { SqliteStore } from './sqlite-store.js';
