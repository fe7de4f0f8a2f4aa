/**
 * The units table: each unit of an application, and the machine it is placed on, through
 * which SSH to the unit goes.
 */
import { isApplicationName, JujuSshError, type UnitRecord } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';
import type { MachineTable } from './machines.js';
import type { ModelTable } from './models.js';

const MAX_UNIT_NUMBER = 999_999_999;

const SELECT =
  'SELECT model_uuid AS modelUuid, application, number, machine_id AS machineId FROM units';

/** Reads and writes units. */
export class UnitTable {
  constructor(
    private readonly db: Database.Database,
    private readonly models: ModelTable,
    private readonly machines: MachineTable,
  ) {}

  /** Adds a unit placed on a machine the model already has. */
  add(unit: UnitRecord): UnitRecord {
    const { modelUuid, application, number, machineId } = unit;
    const model = this.models.require(modelUuid);
    if (!isApplicationName(application)) {
      throw new JujuSshError(
        'invalid-argument',
        `bad application name ${shown(application)}: use lowercase letters, digits and ` +
          'single hyphens, starting with a letter',
      );
    }
    if (!Number.isInteger(number) || number < 0 || number > MAX_UNIT_NUMBER) {
      throw new JujuSshError(
        'invalid-argument',
        `bad unit number ${number}: expected a whole number from 0 to ${MAX_UNIT_NUMBER}`,
      );
    }

    const insert = this.db.transaction(() => {
      if (this.machines.find(modelUuid, machineId) === undefined) {
        throw new JujuSshError(
          'not-found',
          `model ${model.name} has no machine ${shown(machineId)}; add the machine before ` +
            'placing units on it',
        );
      }
      if (this.find(modelUuid, application, number) !== undefined) {
        throw new JujuSshError(
          'already-exists',
          `model ${model.name} already has unit ${application}/${number}`,
        );
      }
      this.db
        .prepare(
          'INSERT INTO units (model_uuid, application, number, machine_id) VALUES (?, ?, ?, ?)',
        )
        .run(modelUuid, application, number, machineId);
    });
    insert.immediate();
    return { modelUuid, application, number, machineId };
  }

  /** The unit `application/unitNumber` of the model, if any. */
  find(modelUuid: string, application: string, unitNumber: number): UnitRecord | undefined {
    return this.db
      .prepare<[string, string, number], UnitRecord>(
        `${SELECT} WHERE model_uuid = ? AND application = ? AND number = ?`,
      )
      .get(modelUuid, application, unitNumber);
  }

  /** The model's units, by application and number. */
  list(modelUuid: string): UnitRecord[] {
    this.models.require(modelUuid);
    const sql = `${SELECT} WHERE model_uuid = ? ORDER BY application, number`;
    return this.db.prepare<[string], UnitRecord>(sql).all(modelUuid);
  }
}
