/**
 * The embedded store: one SQLite file in the data directory holding users, their keys,
 * models, grants, machines, units and the ephemeral-key ledger. Every read goes to the file,
 * so changes made by admin commands in other processes count from the next call.
 */
import {
  JujuSshError,
  type MachineRecord,
  type ModelAccess,
  type ModelRecord,
  type UnitRecord,
  type UserKeyRecord,
  type UserRecord,
} from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { ApiAccessTable, type ApiCredentialRecord, type NewApiCredential } from './api-access.js';
import type { EphemeralKeyEntry, EphemeralKeyLedger } from './ephemeral-key-ledger.js';
import { EphemeralKeyTable } from './ephemeral-key-ledger.js';
import { GrantTable } from './grants.js';
import { type MachineChanges, MachineTable } from './machines.js';
import { ModelTable } from './models.js';
import { openDatabase } from './open-database.js';
import { storeError } from './store-errors.js';
import { UnitTable } from './units.js';
import { UserKeyTable } from './user-keys.js';
import { UserTable } from './users.js';

/**
 * The store on one SQLite file. Errors are `JujuSshError`s: `invalid-argument`, `invalid-key`,
 * `not-found` and `already-exists` for refused changes, `store` when the file itself fails.
 */
export class SqliteStore implements EphemeralKeyLedger {
  private readonly users: UserTable;
  private readonly keys: UserKeyTable;
  private readonly models: ModelTable;
  private readonly grants: GrantTable;
  private readonly machines: MachineTable;
  private readonly units: UnitTable;
  private readonly ledger: EphemeralKeyTable;
  private readonly apiAccess: ApiAccessTable;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.users = new UserTable(db);
    this.keys = new UserKeyTable(db, this.users);
    this.models = new ModelTable(db);
    this.grants = new GrantTable(db, this.users, this.models);
    this.machines = new MachineTable(db, this.models);
    this.units = new UnitTable(db, this.models, this.machines);
    this.ledger = new EphemeralKeyTable(db);
    this.apiAccess = new ApiAccessTable(db, this.users);
  }

  /**
   * Opens the store at `path`, creating it (mode 0600) and its schema when missing.
   * @throws JujuSshError `store` naming the file when it is corrupt, foreign or unwritable.
   */
  static open(path: string): SqliteStore {
    return new SqliteStore(openDatabase(path), path);
  }

  /** Closes the file; the store may not be used afterwards. Closing twice does nothing. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Adds an enabled user. The name `external-auth` is reserved. */
  addUser(name: string, options: { superuser?: boolean } = {}): UserRecord {
    return this.guard(() => this.users.add(name, options.superuser === true));
  }

  /** Refuses the user from now on, also on connections already open. */
  disableUser(name: string): UserRecord {
    return this.guard(() => this.users.setDisabled(name, true));
  }

  /** Lets a disabled user in again. */
  enableUser(name: string): UserRecord {
    return this.guard(() => this.users.setDisabled(name, false));
  }

  /** The user called `name`, if any. */
  findUser(name: string): UserRecord | undefined {
    return this.guard(() => this.users.find(name));
  }

  /** Every user, by name. */
  listUsers(): UserRecord[] {
    return this.guard(() => this.users.list());
  }

  /** Registers an OpenSSH public key line to `user`; a key may belong to one user only. */
  addUserKey(user: string, publicLine: string): UserKeyRecord {
    return this.guard(() => this.keys.add(user, publicLine));
  }

  /** Removes `user`'s keys with this exact fingerprint or comment, and returns them. */
  removeUserKey(user: string, fingerprintOrComment: string): UserKeyRecord[] {
    return this.guard(() => this.keys.remove(user, fingerprintOrComment));
  }

  /** `user`'s keys, oldest first. */
  listUserKeys(user: string): UserKeyRecord[] {
    return this.guard(() => this.keys.list(user));
  }

  /** The key with this `SHA256:…` fingerprint, if it is registered to `user`. */
  findUserKey(user: string, fingerprint: string): UserKeyRecord | undefined {
    return this.guard(() => this.keys.find(user, fingerprint));
  }

  /** Adds a model, with a fresh UUID unless one is given. */
  addModel(name: string, uuid?: string): ModelRecord {
    return this.guard(() => this.models.add(name, uuid));
  }

  /** The model with this UUID or name, if any. */
  findModel(nameOrUuid: string): ModelRecord | undefined {
    return this.guard(() => this.models.find(nameOrUuid));
  }

  /** The model with this UUID, if any. */
  findModelByUuid(uuid: string): ModelRecord | undefined {
    return this.guard(() => this.models.findByUuid(uuid));
  }

  /** Every model, by name. */
  listModels(): ModelRecord[] {
    return this.guard(() => this.models.list());
  }

  /** Gives `user` this access on the model; granting it again changes nothing. */
  grant(user: string, modelUuid: string, access: ModelAccess): void {
    this.guard(() => this.grants.grant(user, modelUuid, access));
  }

  /** Takes this access on the model away from `user`. */
  revoke(user: string, modelUuid: string, access: ModelAccess): void {
    this.guard(() => this.grants.revoke(user, modelUuid, access));
  }

  /** True when `user` holds this access on the model. */
  hasGrant(user: string, modelUuid: string, access: ModelAccess): boolean {
    return this.guard(() => this.grants.has(user, modelUuid, access));
  }

  /** Adds a machine; returns it with its host key normalised to `type base64`. */
  addMachine(machine: MachineRecord): MachineRecord {
    return this.guard(() => this.machines.add(machine));
  }

  /** Changes a machine's address, port or expected host key. */
  updateMachine(modelUuid: string, id: string, changes: MachineChanges): MachineRecord {
    return this.guard(() => this.machines.update(modelUuid, id, changes));
  }

  /** The machine with this id (`0`, `0/lxd/1`) in the model, if any. */
  findMachine(modelUuid: string, id: string): MachineRecord | undefined {
    return this.guard(() => this.machines.find(modelUuid, id));
  }

  /** The model's machines, in machine-id order. */
  listMachines(modelUuid: string): MachineRecord[] {
    return this.guard(() => this.machines.list(modelUuid));
  }

  /** Adds a unit placed on a machine the model already has. */
  addUnit(unit: UnitRecord): UnitRecord {
    return this.guard(() => this.units.add(unit));
  }

  /** The unit `application/unitNumber` of the model, if any. */
  findUnit(modelUuid: string, application: string, unitNumber: number): UnitRecord | undefined {
    return this.guard(() => this.units.find(modelUuid, application, unitNumber));
  }

  /** The model's units, by application and number. */
  listUnits(modelUuid: string): UnitRecord[] {
    return this.guard(() => this.units.list(modelUuid));
  }

  /** Notes an ephemeral key before it is installed. */
  recordEphemeralKey(entry: EphemeralKeyEntry): void {
    this.guard(() => this.ledger.record(entry));
  }

  /** Drops the note once the key is removed; an unknown session is ignored. */
  forgetEphemeralKey(sessionId: string): void {
    this.guard(() => this.ledger.forget(sessionId));
  }

  /** The keys this controller may have left on machines, soonest to expire first. */
  listEphemeralKeys(controllerId: string): EphemeralKeyEntry[] {
    return this.guard(() => this.ledger.list(controllerId));
  }

  /** Notes a one-time registration string, by its SHA-256 hex hash, for `user`. */
  addRegistration(user: string, secretHash: string, expiresAt: Date): void {
    this.guard(() => this.apiAccess.addRegistration(user, secretHash, expiresAt));
  }

  /**
   * Exchanges a registration for an API credential, atomically; returns the user's name.
   * @throws JujuSshError `access-denied` for an unknown, used or expired registration.
   */
  redeemRegistration(secretHash: string, credential: NewApiCredential, now: Date): string {
    return this.guard(() => this.apiAccess.redeemRegistration(secretHash, credential, now));
  }

  /** Creates an API credential for `user` without a registration. */
  addApiCredential(user: string, credential: NewApiCredential): void {
    this.guard(() => this.apiAccess.addApiCredential(user, credential));
  }

  /** The API credential whose secret hashes to `tokenHash`, if any. */
  findApiCredential(tokenHash: string): ApiCredentialRecord | undefined {
    return this.guard(() => this.apiAccess.findApiCredential(tokenHash));
  }

  /** `user`'s API credentials, oldest first. */
  listApiCredentials(user: string): ApiCredentialRecord[] {
    return this.guard(() => this.apiAccess.listApiCredentials(user));
  }

  /** Removes `user`'s API credentials and pending registrations; returns how many. */
  revokeApiAccess(user: string): number {
    return this.guard(() => this.apiAccess.revokeApiAccess(user));
  }

  private guard<T>(work: () => T): T {
    if (!this.db.open) {
      throw new JujuSshError('store', `the store at ${this.path} is closed; open it again`);
    }
    try {
      return work();
    } catch (err) {
      throw storeError(this.path, err);
    }
  }
}
