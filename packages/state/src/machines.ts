/**
 * The machines table: where each machine of a model is reached over SSH, and the host key
 * recorded when it was added, which the upstream connection pins.
 */
import { isIP } from 'node:net';
import {
  formatPublicKeyLine,
  isMachineId,
  JujuSshError,
  type MachineRecord,
  type ModelRecord,
  parsePublicKeyLine,
} from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';
import type { ModelTable } from './models.js';

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOST_NAME = 253;

interface MachineRow {
  readonly modelUuid: string;
  readonly id: string;
  readonly address: string;
  readonly port: number;
  readonly hostKey: string;
}

const SELECT =
  'SELECT model_uuid AS modelUuid, id, address, port, host_key AS hostKey FROM machines';

/** What `updateMachine` may change. */
export interface MachineChanges {
  readonly address?: string;
  readonly port?: number;
  readonly hostKey?: string;
}

/** Reads and writes machines. */
export class MachineTable {
  constructor(
    private readonly db: Database.Database,
    private readonly models: ModelTable,
  ) {}

  /** Adds a machine; its host key is stored as `type base64`, without a comment. */
  add(machine: MachineRecord): MachineRecord {
    const model = this.models.require(machine.modelUuid);
    const record = normalise(machine);
    const insert = this.db.transaction(() => {
      if (this.find(record.modelUuid, record.id) !== undefined) {
        throw new JujuSshError(
          'already-exists',
          `model ${model.name} already has machine ${record.id}`,
        );
      }
      this.db
        .prepare(
          'INSERT INTO machines (model_uuid, id, address, port, host_key) VALUES (?, ?, ?, ?, ?)',
        )
        .run(record.modelUuid, record.id, record.address, record.port, record.hostKey);
    });
    insert.immediate();
    return record;
  }

  /** Changes where a machine is reached or the host key it is expected to show. */
  update(modelUuid: string, id: string, changes: MachineChanges): MachineRecord {
    const model = this.models.require(modelUuid);
    const change = this.db.transaction(() => {
      const current = this.require(model, id);
      const record = normalise({
        ...current,
        address: changes.address ?? current.address,
        port: changes.port ?? current.port,
        hostKey: changes.hostKey ?? current.hostKey,
      });
      this.db
        .prepare(
          'UPDATE machines SET address = ?, port = ?, host_key = ? WHERE model_uuid = ? AND id = ?',
        )
        .run(record.address, record.port, record.hostKey, modelUuid, id);
      return record;
    });
    return change.immediate();
  }

  /** The machine with this id in the model, if any. */
  find(modelUuid: string, id: string): MachineRecord | undefined {
    return this.db
      .prepare<[string, string], MachineRow>(`${SELECT} WHERE model_uuid = ? AND id = ?`)
      .get(modelUuid, id);
  }

  /** The machine with this id in `model`. @throws JujuSshError `not-found`. */
  require(model: ModelRecord, id: string): MachineRecord {
    const machine = this.find(model.uuid, id);
    if (machine === undefined) {
      throw new JujuSshError('not-found', `model ${model.name} has no machine ${shown(id)}`);
    }
    return machine;
  }

  /** The model's machines, in machine-id order (`2` before `10`, `0` before `0/lxd/0`). */
  list(modelUuid: string): MachineRecord[] {
    this.models.require(modelUuid);
    return this.db
      .prepare<[string], MachineRow>(`${SELECT} WHERE model_uuid = ?`)
      .all(modelUuid)
      .sort((a, b) => compareMachineIds(a.id, b.id));
  }
}

function normalise(machine: MachineRecord): MachineRecord {
  const { modelUuid, id, address, port, hostKey } = machine;
  if (!isMachineId(id) || id.includes('-')) {
    throw new JujuSshError(
      'invalid-argument',
      `bad machine id ${shown(id)}: expected a number, with nested machines written like 0/lxd/1`,
    );
  }
  if (isIP(address) === 0 && !isHostName(address)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad machine address ${shown(address)}: expected an IP address or a host name`,
    );
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new JujuSshError('invalid-argument', `bad SSH port ${port}: expected 1 to 65535`);
  }
  const key = parsePublicKeyLine(hostKey);
  const normalised = formatPublicKeyLine({ type: key.type, blob: key.blob, comment: '' });
  return { modelUuid, id, address, port, hostKey: normalised };
}

function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > MAX_HOST_NAME) return false;
  return value.split('.').every((label) => HOST_LABEL.test(label));
}

function compareMachineIds(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const [l = '', r = ''] = [left[i], right[i]];
    const order = /^\d+$/.test(l) && /^\d+$/.test(r) ? Number(l) - Number(r) : l.localeCompare(r);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}
