/**
 * What the HTTPS API is built from: the store, the access policy, API access and the host keys,
 * each typed by the little the routes use, so the composition root decides what backs them.
 */
import type { AccessDirectory, AccessPolicy } from '@juju-ssh/authz';
import type {
  Awaitable,
  MachineRecord,
  ModelAccess,
  ModelRecord,
  UnitRecord,
  UserKeyRecord,
  UserRecord,
} from '@juju-ssh/core';
import type { ApiAccess, ApiAccessStore } from './auth/api-access.js';

/** What a machine update may change. */
export interface MachineUpdate {
  readonly address?: string;
  readonly port?: number;
  readonly hostKey?: string;
}

/** The store as the API reads and changes it; SqliteStore implements it. */
export interface ApiStore extends AccessDirectory, ApiAccessStore {
  findModel(nameOrUuid: string): Awaitable<ModelRecord | undefined>;
  listModels(): Awaitable<ModelRecord[]>;
  listMachines(modelUuid: string): Awaitable<MachineRecord[]>;
  listUnits(modelUuid: string): Awaitable<UnitRecord[]>;
  listUsers(): Awaitable<UserRecord[]>;
  addUser(name: string, options: { superuser?: boolean }): Awaitable<UserRecord>;
  disableUser(name: string): Awaitable<UserRecord>;
  enableUser(name: string): Awaitable<UserRecord>;
  addUserKey(user: string, publicLine: string): Awaitable<UserKeyRecord>;
  removeUserKey(user: string, fingerprintOrComment: string): Awaitable<UserKeyRecord[]>;
  listUserKeys(user: string): Awaitable<UserKeyRecord[]>;
  addModel(name: string, uuid?: string): Awaitable<ModelRecord>;
  grant(user: string, modelUuid: string, access: ModelAccess): Awaitable<void>;
  revoke(user: string, modelUuid: string, access: ModelAccess): Awaitable<void>;
  addMachine(machine: MachineRecord): Awaitable<MachineRecord>;
  updateMachine(modelUuid: string, id: string, changes: MachineUpdate): Awaitable<MachineRecord>;
  addUnit(unit: UnitRecord): Awaitable<UnitRecord>;
}

/** A public key as users see it. */
export interface PublicKeyInfo {
  readonly publicLine: string;
  readonly fingerprint: string;
}

/** Everything the routes need. */
export interface ApiServices {
  readonly store: ApiStore;
  readonly policy: Pick<AccessPolicy, 'resolveTarget'>;
  readonly access: ApiAccess;
  readonly controllerId: string;
  readonly jumpHostKey: PublicKeyInfo;
  /** The virtual host key of a target identity (see @juju-ssh/host-keys). */
  readonly virtualHostKey: (identity: string) => PublicKeyInfo;
  /** The port the SSH jump server listens on, once it does. */
  readonly sshPort: () => number;
  /** The authorized_keys line of the system key; absent when the controller offers none. */
  readonly systemKeyLine?: (authorizedKeysFile?: string) => string;
}
