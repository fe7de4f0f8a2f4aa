/**
 * The records the controller keeps about people and the fleet. The store persists them; the
 * access policy and the jump server read them. Plain data, no behaviour.
 */

/** A person who may log in to the jump server. */
export interface UserRecord {
  readonly name: string;
  readonly superuser: boolean;
  readonly disabled: boolean;
}

/** A public key registered to a user with `add-ssh-key`. */
export interface UserKeyRecord {
  readonly user: string;
  /** `SHA256:…` fingerprint of `blob`. */
  readonly fingerprint: string;
  readonly type: string;
  readonly blob: Buffer;
  readonly comment: string;
}

/** A model: the unit of access control. */
export interface ModelRecord {
  readonly uuid: string;
  readonly name: string;
}

/** The only model access level that opens SSH; others may come later. */
export type ModelAccess = 'admin';

/** A machine the controller can reach over SSH, with the host key recorded when it was added. */
export interface MachineRecord {
  readonly modelUuid: string;
  /** Juju machine id, e.g. `0` or `0/lxd/1`. */
  readonly id: string;
  readonly address: string;
  readonly port: number;
  /** The machine's real host key as an OpenSSH public line. */
  readonly hostKey: string;
}

/** A unit of an application, placed on a machine. */
export interface UnitRecord {
  readonly modelUuid: string;
  readonly application: string;
  readonly number: number;
  readonly machineId: string;
}

/** A value a collaborator may return directly or through a promise (embedded or remote store). */
export type Awaitable<T> = T | Promise<T>;
