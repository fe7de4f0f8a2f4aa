/**
 * The access policy: whether a key logs a user in, and whether that user may reach a target.
 * Every decision reads the directory afresh, so a user disabled or a grant revoked counts from
 * the next login or target.
 */
import {
  describeTarget,
  fingerprint,
  isModelUuid,
  JujuSshError,
  type MachineRecord,
  type ModelRecord,
  quoteUntrusted,
  sameKey,
  type Target,
  type UnitRecord,
  type UserKeyRecord,
  type UserRecord,
} from '@juju-ssh/core';
import type { AccessDirectory } from './access-directory.js';
import type { RelayedPrincipal } from './relayed-principal.js';

/**
 * The outcome of a login attempt. A refusal's reason is for the log and the audit record only;
 * the client is told no more than "Permission denied".
 */
export type AuthDecision =
  | { readonly allowed: true; readonly user: UserRecord; readonly key: UserKeyRecord }
  | { readonly allowed: false; readonly reason: string };

/** A target the user may reach, resolved to the machine that hosts it. */
export interface ResolvedTarget {
  readonly target: Target;
  readonly model: ModelRecord;
  readonly machine: MachineRecord;
  readonly unit?: UnitRecord;
}

/** Decides who gets in and where they may go. */
export class AccessPolicy {
  constructor(private readonly directory: AccessDirectory) {}

  /** Is this key (wire blob) registered to this user, and is the user enabled? */
  async authenticateKey(userName: string, keyBlob: Buffer): Promise<AuthDecision> {
    const user = await this.directory.findUser(userName);
    if (user === undefined) return refuse(`unknown user ${quoteUntrusted(userName)}`);
    if (user.disabled) return refuse(`user ${user.name} is disabled`);

    const keyFingerprint = fingerprint(keyBlob);
    const key = await this.directory.findUserKey(user.name, keyFingerprint);
    if (key === undefined || !sameKey(key.blob, keyBlob)) {
      return refuse(`key ${keyFingerprint} is not registered to user ${user.name}`);
    }
    return { allowed: true, user, key };
  }

  /**
   * May this user reach this target? Throws JujuSshError: `access-denied` when the user may
   * not (the same words whether or not the model exists), `not-found` for a machine or unit
   * the model lacks.
   */
  async resolveTarget(userName: string, target: Target): Promise<ResolvedTarget> {
    return this.resolveInModel(await this.authorizeModel(userName, target.modelUuid), target);
  }

  /**
   * May a user JIMM vouches for reach this target? The token must still be current and grant
   * admin on the target's model, and the model must be one of this controller's. Throws
   * JujuSshError: `access-denied`, or `not-found` naming what this controller lacks.
   */
  async resolveRelayedTarget(principal: RelayedPrincipal, target: Target): Promise<ResolvedTarget> {
    if (principal.expiresAt.getTime() <= Date.now()) {
      throw new JujuSshError(
        'access-denied',
        'the JIMM token of this connection has expired; connect through JIMM again',
      );
    }
    if (!principal.modelUuids.includes(target.modelUuid)) {
      throw new JujuSshError(
        'access-denied',
        `JIMM did not grant ${quoteUntrusted(principal.user)} admin access to model ` +
          shownUuid(target.modelUuid),
      );
    }
    const model = await this.directory.findModelByUuid(target.modelUuid);
    if (model === undefined) {
      throw new JujuSshError(
        'not-found',
        `this controller has no model ${shownUuid(target.modelUuid)}; JIMM's registry may ` +
          'place it on the wrong controller',
      );
    }
    return this.resolveInModel(model, target);
  }

  /**
   * The model, when the user is enabled and holds admin on it (or is a superuser). Throws
   * JujuSshError: `access-denied` in the same words whether or not the model exists,
   * `not-found` for a superuser naming a missing model.
   */
  async authorizeModel(userName: string, modelUuid: string): Promise<ModelRecord> {
    return this.modelFor(userName, modelUuid);
  }

  private async resolveInModel(model: ModelRecord, target: Target): Promise<ResolvedTarget> {
    if (target.kind === 'machine') {
      const machine = await this.directory.findMachine(model.uuid, target.machineId);
      if (machine === undefined) {
        throw new JujuSshError(
          'not-found',
          `model ${model.name} (${model.uuid}) has no machine ${target.machineId}`,
        );
      }
      return { target, model, machine };
    }

    const unitName = `${target.application}/${target.unitNumber}`;
    const unit = await this.directory.findUnit(model.uuid, target.application, target.unitNumber);
    if (unit === undefined) {
      throw new JujuSshError('not-found', `model ${model.name} has no unit ${unitName}`);
    }
    const machine = await this.directory.findMachine(model.uuid, unit.machineId);
    if (machine === undefined) {
      throw new JujuSshError(
        'not-found',
        `cannot reach ${describeTarget(target)}: it is placed on machine ${unit.machineId}, ` +
          `but model ${model.name} has no record of that machine`,
      );
    }
    return { target, model, machine, unit };
  }

  /** The target's model, once the user is known to be enabled and allowed into it. */
  private async modelFor(userName: string, modelUuid: string): Promise<ModelRecord> {
    const user = await this.directory.findUser(userName);
    if (user === undefined) {
      throw new JujuSshError(
        'access-denied',
        `user ${quoteUntrusted(userName)} no longer exists on this controller`,
      );
    }
    if (user.disabled) {
      throw new JujuSshError(
        'access-denied',
        `user ${user.name} is disabled; ask a controller superuser to enable it`,
      );
    }

    if (user.superuser) {
      // A superuser may list every model, so naming a missing one reveals nothing.
      const model = await this.directory.findModelByUuid(modelUuid);
      if (model === undefined) {
        throw new JujuSshError('not-found', `this controller has no model ${shownUuid(modelUuid)}`);
      }
      return model;
    }

    // The grant is checked before the model is looked up, and both failures read the same,
    // so a user without access cannot tell a missing model from someone else's.
    const granted = await this.directory.hasGrant(user.name, modelUuid, 'admin');
    const model = granted ? await this.directory.findModelByUuid(modelUuid) : undefined;
    if (model === undefined) {
      throw new JujuSshError(
        'access-denied',
        `you do not have admin access to model ${shownUuid(modelUuid)}; ` +
          'ask a controller superuser to grant it',
      );
    }
    return model;
  }
}

function shownUuid(uuid: string): string {
  return isModelUuid(uuid) ? uuid : quoteUntrusted(uuid);
}

function refuse(reason: string): AuthDecision {
  return { allowed: false, reason };
}
