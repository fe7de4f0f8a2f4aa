/**
 * What a user may reach, as the API answers it: the models they may enter, and their machines
 * and units as targets with virtual host keys. Names a user types (`postgresql/0`, `0/lxd/1`, a
 * full target name) are resolved here; a model they may not reach reads as one that is absent.
 */
import {
  formatTargetName,
  isJujuSshError,
  isMachineId,
  JujuSshError,
  type ModelRecord,
  parseTargetName,
  quoteUntrusted,
  type Target,
  type UserRecord,
} from '@juju-ssh/core';
import { machineHostKeyIdentity } from '@juju-ssh/host-keys';
import type { ApiServices } from './api-services.js';
import type { MachineView, TargetView, UnitView } from './protocol/access-schemas.js';
import { machineView, unitTarget, unitView } from './views.js';

const UNIT_NAME = /^([a-z][a-z0-9-]*)\/(0|[1-9][0-9]{0,8})$/;
const DOMAIN = 'juju.local';

/** Answers what a user may reach. */
export class TargetDirectory {
  constructor(private readonly services: ApiServices) {}

  /** Every model for a superuser; the models granted to anyone else. */
  async reachableModels(user: UserRecord): Promise<ModelRecord[]> {
    const { store } = this.services;
    const models = await store.listModels();
    if (user.superuser) return models;
    const reachable: ModelRecord[] = [];
    for (const model of models) {
      if (await store.hasGrant(user.name, model.uuid, 'admin')) reachable.push(model);
    }
    return reachable;
  }

  /**
   * The model called or identified by `ref`, if the user may reach it.
   * @throws JujuSshError `not-found`, worded the same whether or not the model exists.
   */
  async modelFor(user: UserRecord, ref: string): Promise<ModelRecord> {
    const reachable = await this.reachableModels(user);
    const model = reachable.find((candidate) => candidate.name === ref || candidate.uuid === ref);
    if (model !== undefined) return model;
    if (user.superuser) {
      throw new JujuSshError(
        'not-found',
        `no model named or with UUID ${quoteUntrusted(ref)}; see list-models`,
      );
    }
    const names = reachable.map((candidate) => candidate.name);
    const known =
      names.length === 0
        ? 'you may reach no model yet; ask a controller superuser for a grant'
        : `the models you may reach are: ${names.join(', ')}`;
    throw new JujuSshError(
      'not-found',
      `no model ${quoteUntrusted(ref)} that you may reach; ${known}`,
    );
  }

  /**
   * Resolves what a user typed: `app/N` or a machine id in `modelRef`, or a full target name.
   * @throws JujuSshError `bad-target`, `invalid-argument`, `not-found` or `access-denied`.
   */
  async resolve(user: UserRecord, ref: string, modelRef?: string): Promise<TargetView> {
    const target = await this.targetOf(user, ref, modelRef);
    const { policy, store } = this.services;
    try {
      const resolved = await policy.resolveTarget(user.name, target);
      return this.view(target, resolved.model, resolved.machine.id);
    } catch (error) {
      if (!isJujuSshError(error, 'not-found')) throw error;
      const model = await store.findModelByUuid(target.modelUuid);
      if (model === undefined) throw error;
      throw await this.notFound(model, target);
    }
  }

  /** The model's machines and units as targets, machines first. */
  async targets(user: UserRecord, modelRef: string): Promise<TargetView[]> {
    const model = await this.modelFor(user, modelRef);
    const { store } = this.services;
    const machines = await store.listMachines(model.uuid);
    const units = await store.listUnits(model.uuid);
    return [
      ...machines.map((machine) =>
        this.view(
          { kind: 'machine', modelUuid: model.uuid, machineId: machine.id },
          model,
          machine.id,
        ),
      ),
      ...units.map((unit) => this.view(unitTarget(unit), model, unit.machineId)),
    ];
  }

  /** The model's machines with where the controller reaches them. */
  async machines(user: UserRecord, modelRef: string): Promise<MachineView[]> {
    const model = await this.modelFor(user, modelRef);
    return (await this.services.store.listMachines(model.uuid)).map(machineView);
  }

  /** The model's units and the machines they run on. */
  async units(user: UserRecord, modelRef: string): Promise<UnitView[]> {
    const model = await this.modelFor(user, modelRef);
    return (await this.services.store.listUnits(model.uuid)).map(unitView);
  }

  private async targetOf(user: UserRecord, ref: string, modelRef?: string): Promise<Target> {
    const unit = UNIT_NAME.exec(ref);
    const isShortName = unit !== null || isMachineId(ref);
    if (!isShortName) return parseTargetName(ref);

    if (modelRef === undefined) {
      throw new JujuSshError(
        'invalid-argument',
        `${ref} names a ${unit === null ? 'machine' : 'unit'} but no model; name the model too`,
      );
    }
    const model = await this.modelFor(user, modelRef);
    if (unit === null) return { kind: 'machine', modelUuid: model.uuid, machineId: ref };
    return {
      kind: 'unit',
      modelUuid: model.uuid,
      application: unit[1] ?? '',
      unitNumber: Number(unit[2]),
    };
  }

  private view(target: Target, model: ModelRecord, machineId: string): TargetView {
    const name = formatTargetName(target);
    const identity = machineHostKeyIdentity(model.uuid, machineId);
    const { publicLine, fingerprint } = this.services.virtualHostKey(identity);
    return {
      name:
        target.kind === 'machine' ? target.machineId : `${target.application}/${target.unitNumber}`,
      kind: target.kind,
      target: name,
      host: `${name}.${DOMAIN}`,
      model: { name: model.name, uuid: model.uuid },
      machine: machineId,
      hostKey: { publicLine, fingerprint },
    };
  }

  /** A refusal for a missing unit or machine that lists what the model does have. */
  private async notFound(model: ModelRecord, target: Target): Promise<JujuSshError> {
    const { store } = this.services;
    if (target.kind === 'machine') {
      const ids = (await store.listMachines(model.uuid)).map((machine) => machine.id);
      const known = ids.length === 0 ? 'it has no machines' : `machines are: ${ids.join(', ')}`;
      return new JujuSshError(
        'not-found',
        `no machine ${target.machineId} in model ${model.name}; ${known}`,
      );
    }
    const units = await store.listUnits(model.uuid);
    const name = `${target.application}/${target.unitNumber}`;
    const same = units.filter((unit) => unit.application === target.application);
    let known: string;
    if (same.length > 0) {
      // As people write them: postgresql/0, /1, /2.
      const numbers = same.map(
        (unit, index) => `${index === 0 ? unit.application : ''}/${unit.number}`,
      );
      known = `units are: ${numbers.join(', ')}`;
    } else {
      const apps = [...new Set(units.map((unit) => unit.application))];
      known =
        apps.length === 0
          ? 'it has no units'
          : `it has no ${target.application} units; its applications are: ${apps.join(', ')}`;
    }
    return new JujuSshError('not-found', `no unit ${name} in model ${model.name}; ${known}`);
  }
}
