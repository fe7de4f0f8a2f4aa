/**
 * Test fixtures for the access policy: an in-memory stand-in for the store and a small fleet
 * in it. Used by tests only; not part of the build.
 */
import { randomBytes } from 'node:crypto';
import {
  ed25519PublicBlob,
  fingerprint,
  isJujuSshError,
  type MachineRecord,
  type ModelAccess,
  type ModelRecord,
  type Target,
  type UnitRecord,
  type UserKeyRecord,
  type UserRecord,
} from '@juju-ssh/core';
import type { AccessDirectory } from '../access-directory.js';
import { AccessPolicy } from '../access-policy.js';

/** Model UUIDs: prod and staging exist, nowhere does not. */
export const PROD = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';
export const STAGING = '0b7e6c9a-1d2f-4e3a-9b8c-5d4e3f2a1b0c';
export const NOWHERE = '11111111-2222-4333-8444-555555555555';

/**
 * A stand-in for the store, held in memory so each rule can be tested alone. It answers
 * through promises, as a remote store would, and logs what it was asked.
 */
export class MemoryDirectory implements AccessDirectory {
  readonly users = new Map<string, UserRecord>();
  readonly keys: UserKeyRecord[] = [];
  readonly models: ModelRecord[] = [];
  readonly grants = new Set<string>();
  readonly machines: MachineRecord[] = [];
  readonly units: UnitRecord[] = [];
  readonly asked: string[] = [];

  async findUser(name: string) {
    this.asked.push(`user ${name}`);
    return this.users.get(name);
  }
  async findUserKey(user: string, keyFingerprint: string) {
    return this.keys.find((k) => k.user === user && k.fingerprint === keyFingerprint);
  }
  async findModelByUuid(uuid: string) {
    this.asked.push(`model ${uuid}`);
    return this.models.find((m) => m.uuid === uuid);
  }
  async hasGrant(user: string, modelUuid: string, access: ModelAccess) {
    this.asked.push(`grant ${user} ${modelUuid}`);
    return this.grants.has(`${user} ${modelUuid} ${access}`);
  }
  async findMachine(modelUuid: string, machineId: string) {
    return this.machines.find((m) => m.modelUuid === modelUuid && m.id === machineId);
  }
  async findUnit(modelUuid: string, application: string, unitNumber: number) {
    return this.units.find(
      (u) => u.modelUuid === modelUuid && u.application === application && u.number === unitNumber,
    );
  }

  /** Adds or replaces a user. */
  addUser(name: string, changes: Partial<UserRecord> = {}): UserRecord {
    const user = { name, superuser: false, disabled: false, ...changes };
    this.users.set(name, user);
    return user;
  }
  /** Registers a fresh (or the given) ed25519 key to `user`. */
  addKey(user: string, blob = ed25519PublicBlob(randomBytes(32))): UserKeyRecord {
    const key = { user, fingerprint: fingerprint(blob), type: 'ssh-ed25519', blob, comment: '' };
    this.keys.push(key);
    return key;
  }
}

/**
 * A directory with models prod and staging, machine 0/lxd/1 and unit postgresql/1 in prod;
 * alice is admin of prod, carol of staging, root is a superuser.
 */
export function fleet() {
  const directory = new MemoryDirectory();
  const prod = { uuid: PROD, name: 'prod' };
  directory.models.push(prod, { uuid: STAGING, name: 'staging' });
  const machine = { modelUuid: PROD, id: '0/lxd/1', address: '10.0.0.5', port: 22, hostKey: 'k' };
  directory.machines.push(machine);
  const unit = { modelUuid: PROD, application: 'postgresql', number: 1, machineId: '0/lxd/1' };
  directory.units.push(unit);
  directory.addUser('alice');
  directory.grants.add(`alice ${PROD} admin`);
  directory.addUser('carol');
  directory.grants.add(`carol ${STAGING} admin`);
  directory.addUser('root', { superuser: true });
  return { directory, policy: new AccessPolicy(directory), prod, machine, unit };
}

/** A machine target in prod, or in the given model. */
export const machineTarget = (machineId: string, modelUuid = PROD): Target => ({
  kind: 'machine',
  modelUuid,
  machineId,
});
/** A unit target in prod, optionally naming a container. */
export const unitTarget = (application: string, unitNumber: number, container?: string): Target =>
  container === undefined
    ? { kind: 'unit', modelUuid: PROD, application, unitNumber }
    : { kind: 'unit', modelUuid: PROD, application, unitNumber, container };

/** The code and message of the JujuSshError `work` fails with. */
export async function failureOf(
  work: Promise<unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (err) {
    if (isJujuSshError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}
