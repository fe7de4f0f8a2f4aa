/**
 * What the access policy reads about people and the fleet. The store implements it; the policy
 * never writes, and reads afresh on every decision.
 */
import type {
  Awaitable,
  MachineRecord,
  ModelAccess,
  ModelRecord,
  UnitRecord,
  UserKeyRecord,
  UserRecord,
} from '@juju-ssh/core';

/** What the policy needs to read; the store implements it. */
export interface AccessDirectory {
  /** The user called `name`, if any. */
  findUser(name: string): Awaitable<UserRecord | undefined>;
  /** The key with this `SHA256:…` fingerprint, if it is registered to `user`. */
  findUserKey(user: string, fingerprint: string): Awaitable<UserKeyRecord | undefined>;
  /** The model with this UUID, if any. */
  findModelByUuid(uuid: string): Awaitable<ModelRecord | undefined>;
  /** True when `user` holds this access on the model. */
  hasGrant(user: string, modelUuid: string, access: ModelAccess): Awaitable<boolean>;
  /** The machine with this id (`0`, `0/lxd/1`) in the model, if any. */
  findMachine(modelUuid: string, machineId: string): Awaitable<MachineRecord | undefined>;
  /** The unit `application/unitNumber` of the model, if any. */
  findUnit(
    modelUuid: string,
    application: string,
    unitNumber: number,
  ): Awaitable<UnitRecord | undefined>;
}
