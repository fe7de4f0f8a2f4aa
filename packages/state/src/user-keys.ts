/**
 * The user keys table: the SSH public keys people registered to log in with. A key belongs to
 * one user only, so a login names exactly one person.
 */
import { fingerprint, JujuSshError, parsePublicKeyLine, type UserKeyRecord } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';
import type { UserTable } from './users.js';

interface UserKeyRow {
  readonly user: string;
  readonly fingerprint: string;
  readonly type: string;
  readonly blob: Buffer;
  readonly comment: string;
}

const COLUMNS = 'user, fingerprint, type, blob, comment';

/** Reads and writes users' public keys. */
export class UserKeyTable {
  constructor(
    private readonly db: Database.Database,
    private readonly users: UserTable,
  ) {}

  /** Registers the key on an OpenSSH public line to `user`. */
  add(user: string, publicLine: string): UserKeyRecord {
    this.users.require(user);
    const key = parsePublicKeyLine(publicLine);
    const record: UserKeyRecord = { user, fingerprint: fingerprint(key.blob), ...key };

    const insert = this.db.transaction(() => {
      const holder = this.db
        .prepare<[string, Buffer], UserKeyRow>(
          `SELECT ${COLUMNS} FROM user_keys WHERE fingerprint = ? OR blob = ?`,
        )
        .get(record.fingerprint, record.blob);
      if (holder !== undefined) throw alreadyRegistered(record, holder.user);
      this.db
        .prepare(`INSERT INTO user_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`)
        .run(record.user, record.fingerprint, record.type, record.blob, record.comment);
    });
    insert.immediate();
    return record;
  }

  /** Removes `user`'s keys whose fingerprint or comment is exactly `fingerprintOrComment`. */
  remove(user: string, fingerprintOrComment: string): UserKeyRecord[] {
    this.users.require(user);
    if (fingerprintOrComment.length === 0) {
      throw new JujuSshError('invalid-argument', 'name the key by its fingerprint or comment');
    }

    const removal = this.db.transaction(() => {
      const matches = this.db
        .prepare<[string, string, string], UserKeyRow>(
          `SELECT ${COLUMNS} FROM user_keys WHERE user = ? AND (fingerprint = ? OR comment = ?)
           ORDER BY rowid`,
        )
        .all(user, fingerprintOrComment, fingerprintOrComment);
      if (matches.length === 0) throw noSuchKey(user, fingerprintOrComment);
      const remove = this.db.prepare('DELETE FROM user_keys WHERE fingerprint = ?');
      for (const match of matches) remove.run(match.fingerprint);
      return matches.map(toRecord);
    });
    return removal.immediate();
  }

  /** `user`'s keys, oldest first. */
  list(user: string): UserKeyRecord[] {
    this.users.require(user);
    return this.db
      .prepare<[string], UserKeyRow>(
        `SELECT ${COLUMNS} FROM user_keys WHERE user = ? ORDER BY rowid`,
      )
      .all(user)
      .map(toRecord);
  }

  /** The key with this fingerprint, if it is registered to `user`. */
  find(user: string, keyFingerprint: string): UserKeyRecord | undefined {
    const row = this.db
      .prepare<[string, string], UserKeyRow>(
        `SELECT ${COLUMNS} FROM user_keys WHERE user = ? AND fingerprint = ?`,
      )
      .get(user, keyFingerprint);
    return row === undefined ? undefined : toRecord(row);
  }
}

function alreadyRegistered(key: UserKeyRecord, holder: string): JujuSshError {
  const message =
    holder === key.user
      ? `user ${holder} already has the key ${key.fingerprint}`
      : `the key ${key.fingerprint} is already registered to user ${holder}; ` +
        'a key may belong to one user only, so make a new key pair for this user';
  return new JujuSshError('already-exists', message);
}

function noSuchKey(user: string, fingerprintOrComment: string): JujuSshError {
  return new JujuSshError(
    'not-found',
    `user ${user} has no key with fingerprint or comment ${shown(fingerprintOrComment)}; ` +
      `list them with list-ssh-keys ${user}`,
  );
}

function toRecord(row: UserKeyRow): UserKeyRecord {
  return { ...row, blob: Buffer.from(row.blob) };
}
