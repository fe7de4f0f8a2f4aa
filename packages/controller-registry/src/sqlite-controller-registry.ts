/**
 * JIMM's registry of controllers on one SQLite file: each controller's address and jump host
 * key, and which controller hosts each model. Every read goes to the file, so admin commands
 * run in another process count from the next session.
 */
import { closeSync, openSync } from 'node:fs';
import {
  formatPublicKeyLine,
  isModelUuid,
  JujuSshError,
  parsePublicKeyLine,
  quoteUntrusted,
} from '@juju-ssh/core';
import Database from 'better-sqlite3';
import type { ControllerRecord, ModelPlacement } from './controller-record.js';
import { migrateRegistry } from './registry-schema.js';

const CONTROLLER_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;

interface ControllerRow {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly jump_host_key: string;
}

/** The registry on one file. Errors are `JujuSshError`s naming what to fix. */
export class SqliteControllerRegistry {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /**
   * Opens the registry at `path`, creating it (mode 0600) when missing.
   * @throws JujuSshError `store` when the file is foreign, newer or unreadable.
   */
  static open(path: string): SqliteControllerRegistry {
    let db: Database.Database | undefined;
    try {
      try {
        closeSync(openSync(path, 'wx', 0o600));
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      }
      db = new Database(path, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrateRegistry(db, path);
      return new SqliteControllerRegistry(db, path);
    } catch (error) {
      db?.close();
      if (error instanceof JujuSshError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new JujuSshError('store', `cannot open the controller registry ${path}: ${reason}`);
    }
  }

  /** Closes the file; closing twice does nothing. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Adds a controller; its jump host key is stored as `type base64`. */
  addController(record: ControllerRecord): ControllerRecord {
    const checked = checkController(record);
    if (this.findController(checked.id) !== undefined) {
      throw new JujuSshError('already-exists', `controller ${checked.id} is already registered`);
    }
    this.db
      .prepare('INSERT INTO controllers (id, host, port, jump_host_key) VALUES (?, ?, ?, ?)')
      .run(checked.id, checked.host, checked.port, checked.jumpHostKey);
    return checked;
  }

  /** The controller with this id, if any. */
  findController(id: string): ControllerRecord | undefined {
    const row = this.db
      .prepare<[string], ControllerRow>('SELECT * FROM controllers WHERE id = ?')
      .get(id);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Every controller, by id. */
  listControllers(): ControllerRecord[] {
    const rows = this.db.prepare<[], ControllerRow>('SELECT * FROM controllers ORDER BY id').all();
    return rows.map(fromRow);
  }

  /** Records that `controllerId` hosts the model. @throws `not-found`, `already-exists`. */
  placeModel(modelUuid: string, controllerId: string): ModelPlacement {
    if (!isModelUuid(modelUuid)) {
      throw new JujuSshError('invalid-argument', `bad model UUID ${quoteUntrusted(modelUuid)}`);
    }
    if (this.findController(controllerId) === undefined) {
      throw new JujuSshError(
        'not-found',
        `no controller ${quoteUntrusted(controllerId)} is registered; see list-controllers`,
      );
    }
    const current = this.controllerIdForModel(modelUuid);
    if (current !== undefined) {
      throw new JujuSshError(
        'already-exists',
        `model ${modelUuid} is already placed on controller ${current}`,
      );
    }
    this.db
      .prepare('INSERT INTO model_placements (model_uuid, controller_id) VALUES (?, ?)')
      .run(modelUuid, controllerId);
    return { modelUuid, controllerId };
  }

  /** Forgets where the model lives; an unknown model is ignored. */
  unplaceModel(modelUuid: string): void {
    this.db.prepare('DELETE FROM model_placements WHERE model_uuid = ?').run(modelUuid);
  }

  /** The controller hosting the model, if the registry knows it. */
  controllerForModel(modelUuid: string): ControllerRecord | undefined {
    const id = this.controllerIdForModel(modelUuid);
    return id === undefined ? undefined : this.findController(id);
  }

  /** Every placement, by model UUID. */
  listPlacements(): ModelPlacement[] {
    const sql =
      'SELECT model_uuid AS modelUuid, controller_id AS controllerId FROM model_placements ' +
      'ORDER BY model_uuid';
    return this.db.prepare<[], ModelPlacement>(sql).all();
  }

  private controllerIdForModel(modelUuid: string): string | undefined {
    const sql = 'SELECT controller_id FROM model_placements WHERE model_uuid = ?';
    const id: unknown = this.db.prepare(sql).pluck().get(modelUuid);
    return typeof id === 'string' ? id : undefined;
  }
}

function checkController(record: ControllerRecord): ControllerRecord {
  if (!CONTROLLER_ID.test(record.id)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad controller id ${quoteUntrusted(record.id)}: use the id in its controller.yaml`,
    );
  }
  if (!HOST.test(record.host)) {
    throw new JujuSshError('invalid-argument', `bad host ${quoteUntrusted(record.host)}`);
  }
  if (!Number.isInteger(record.port) || record.port < 1 || record.port > 65535) {
    throw new JujuSshError('invalid-argument', `bad port ${record.port}; expected 1 to 65535`);
  }
  const key = parsePublicKeyLine(record.jumpHostKey);
  return { ...record, jumpHostKey: formatPublicKeyLine({ ...key, comment: '' }) };
}

function fromRow(row: ControllerRow): ControllerRecord {
  return { id: row.id, host: row.host, port: row.port, jumpHostKey: row.jump_host_key };
}
