/**
 * The grants table: which users hold which access on which model. Only `admin` exists today,
 * and it is what opens SSH to a model's machines and units.
 */
import { JujuSshError, type ModelAccess } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';
import type { ModelTable } from './models.js';
import type { UserTable } from './users.js';

const ACCESS_LEVELS: readonly ModelAccess[] = ['admin'];

/** Reads and writes grants of model access. */
export class GrantTable {
  constructor(
    private readonly db: Database.Database,
    private readonly users: UserTable,
    private readonly models: ModelTable,
  ) {}

  /** Gives `user` this access on the model; granting it again changes nothing. */
  grant(user: string, modelUuid: string, access: ModelAccess): void {
    checkAccess(access);
    this.users.require(user);
    this.models.require(modelUuid);
    this.db
      .prepare('INSERT OR IGNORE INTO grants (user, model_uuid, access) VALUES (?, ?, ?)')
      .run(user, modelUuid, access);
  }

  /** Takes this access on the model away from `user`. @throws `not-found` if not held. */
  revoke(user: string, modelUuid: string, access: ModelAccess): void {
    checkAccess(access);
    this.users.require(user);
    const model = this.models.require(modelUuid);
    const result = this.db
      .prepare('DELETE FROM grants WHERE user = ? AND model_uuid = ? AND access = ?')
      .run(user, modelUuid, access);
    if (result.changes === 0) {
      throw new JujuSshError(
        'not-found',
        `user ${user} has no ${access} access to model ${model.name} to revoke`,
      );
    }
  }

  /** True when `user` holds this access on the model. */
  has(user: string, modelUuid: string, access: ModelAccess): boolean {
    const row = this.db
      .prepare('SELECT 1 FROM grants WHERE user = ? AND model_uuid = ? AND access = ?')
      .get(user, modelUuid, access);
    return row !== undefined;
  }
}

function checkAccess(access: string): void {
  if (!(ACCESS_LEVELS as readonly string[]).includes(access)) {
    throw new JujuSshError(
      'invalid-argument',
      `unknown access level ${shown(access)}; the levels are ${ACCESS_LEVELS.join(', ')}`,
    );
  }
}
