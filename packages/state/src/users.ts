/**
 * The users table: people who may log in to the jump server, whether they are controller
 * superusers, and whether they are disabled.
 */
import { JujuSshError, type UserRecord } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';

const USER_NAME = /^[a-z][a-z0-9.-]{0,63}$/;

/** Names that belong to the controller itself and may never be given to a person. */
export const RESERVED_USER_NAMES: readonly string[] = ['external-auth'];

interface UserRow {
  readonly name: string;
  readonly superuser: number;
  readonly disabled: number;
}

/** Reads and writes users. */
export class UserTable {
  constructor(private readonly db: Database.Database) {}

  /** Adds an enabled user. */
  add(name: string, superuser: boolean): UserRecord {
    checkUserName(name);
    const insert = this.db.transaction(() => {
      if (this.find(name) !== undefined) {
        throw new JujuSshError('already-exists', `user ${name} already exists`);
      }
      this.db
        .prepare('INSERT INTO users (name, superuser, disabled) VALUES (?, ?, 0)')
        .run(name, superuser ? 1 : 0);
    });
    insert.immediate();
    return this.require(name);
  }

  /** Disables or enables a user; a disabled user keeps keys and grants but is refused. */
  setDisabled(name: string, disabled: boolean): UserRecord {
    const result = this.db
      .prepare('UPDATE users SET disabled = ? WHERE name = ?')
      .run(disabled ? 1 : 0, name);
    if (result.changes === 0) throw noUser(name);
    return this.require(name);
  }

  /** The user called `name`, if any. */
  find(name: string): UserRecord | undefined {
    const row = this.db
      .prepare<[string], UserRow>('SELECT name, superuser, disabled FROM users WHERE name = ?')
      .get(name);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The user called `name`. @throws JujuSshError `not-found`. */
  require(name: string): UserRecord {
    const user = this.find(name);
    if (user === undefined) throw noUser(name);
    return user;
  }

  /** Every user, by name. */
  list(): UserRecord[] {
    return this.db
      .prepare<[], UserRow>('SELECT name, superuser, disabled FROM users ORDER BY name')
      .all()
      .map(toRecord);
  }
}

function checkUserName(name: string): void {
  if (RESERVED_USER_NAMES.includes(name)) {
    throw new JujuSshError(
      'invalid-argument',
      `the user name ${name} is reserved for the controller's own use; choose another name`,
    );
  }
  if (!USER_NAME.test(name)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad user name ${shown(name)}: use 1 to 64 lowercase letters, digits, "." and "-", ` +
        'starting with a letter',
    );
  }
}

function noUser(name: string): JujuSshError {
  return new JujuSshError('not-found', `no user ${shown(name)}; add one with add-user`);
}

function toRecord(row: UserRow): UserRecord {
  return { name: row.name, superuser: row.superuser === 1, disabled: row.disabled === 1 };
}
