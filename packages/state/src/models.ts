/**
 * The models table. A model is the unit of access control; it is named for people and found
 * by UUID in target names.
 */
import { randomUUID } from 'node:crypto';
import { isModelUuid, JujuSshError, type ModelRecord } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';

const MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Reads and writes models. */
export class ModelTable {
  constructor(private readonly db: Database.Database) {}

  /** Adds a model, with a fresh UUID unless one is given. */
  add(name: string, uuid: string = randomUUID()): ModelRecord {
    checkModelName(name);
    if (!isModelUuid(uuid)) {
      throw new JujuSshError(
        'invalid-argument',
        `bad model UUID ${shown(uuid)}: expected a lowercase RFC 4122 UUID`,
      );
    }

    const insert = this.db.transaction(() => {
      const sameUuid = this.findByUuid(uuid);
      if (sameUuid !== undefined) {
        throw new JujuSshError(
          'already-exists',
          `a model with UUID ${uuid} already exists (model ${sameUuid.name})`,
        );
      }
      const sameName = this.findByName(name);
      if (sameName !== undefined) {
        throw new JujuSshError(
          'already-exists',
          `model ${name} already exists (UUID ${sameName.uuid}); choose another name`,
        );
      }
      this.db.prepare('INSERT INTO models (uuid, name) VALUES (?, ?)').run(uuid, name);
    });
    insert.immediate();
    return { uuid, name };
  }

  /** The model with this UUID or, failing that, this name. */
  find(nameOrUuid: string): ModelRecord | undefined {
    return this.findByUuid(nameOrUuid) ?? this.findByName(nameOrUuid);
  }

  /** The model with this UUID, if any. */
  findByUuid(uuid: string): ModelRecord | undefined {
    return this.db
      .prepare<[string], ModelRecord>('SELECT uuid, name FROM models WHERE uuid = ?')
      .get(uuid);
  }

  /** The model with this UUID. @throws JujuSshError `not-found`. */
  require(uuid: string): ModelRecord {
    const model = this.findByUuid(uuid);
    if (model === undefined) {
      throw new JujuSshError(
        'not-found',
        `no model with UUID ${shown(uuid)}; list models with list-models`,
      );
    }
    return model;
  }

  /** Every model, by name. */
  list(): ModelRecord[] {
    const sql = 'SELECT uuid, name FROM models ORDER BY name';
    return this.db.prepare<[], ModelRecord>(sql).all();
  }

  private findByName(name: string): ModelRecord | undefined {
    return this.db
      .prepare<[string], ModelRecord>('SELECT uuid, name FROM models WHERE name = ?')
      .get(name);
  }
}

function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad model name ${shown(name)}: use 1 to 63 lowercase letters, digits and "-", ` +
        'starting with a letter or digit',
    );
  }
  // A name shaped like a UUID would make `find` ambiguous.
  if (isModelUuid(name)) {
    throw new JujuSshError('invalid-argument', `a model name may not be a UUID (${name})`);
  }
}
