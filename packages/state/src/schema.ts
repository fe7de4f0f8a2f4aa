/**
 * The store's schema and its migrations. `PRAGMA user_version` holds the schema version; each
 * migration moves it up by one, inside a write transaction so two processes cannot race.
 */
import { JujuSshError } from '@juju-ssh/core';
import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of a juju-ssh store, so another program's database is refused. */
export const APPLICATION_ID = 0x4a4a5353;

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    name TEXT PRIMARY KEY NOT NULL,
    superuser INTEGER NOT NULL CHECK (superuser IN (0, 1)),
    disabled INTEGER NOT NULL CHECK (disabled IN (0, 1))
  ) STRICT;

  CREATE TABLE user_keys (
    fingerprint TEXT PRIMARY KEY NOT NULL,
    user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    type TEXT NOT NULL,
    blob BLOB NOT NULL UNIQUE,
    comment TEXT NOT NULL
  ) STRICT;
  CREATE INDEX user_keys_by_user ON user_keys (user);

  CREATE TABLE models (
    uuid TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE grants (
    user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    model_uuid TEXT NOT NULL REFERENCES models (uuid) ON DELETE CASCADE,
    access TEXT NOT NULL CHECK (access IN ('admin')),
    PRIMARY KEY (user, model_uuid, access)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE machines (
    model_uuid TEXT NOT NULL REFERENCES models (uuid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    address TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    host_key TEXT NOT NULL,
    PRIMARY KEY (model_uuid, id)
  ) STRICT;

  CREATE TABLE units (
    model_uuid TEXT NOT NULL,
    application TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 0),
    machine_id TEXT NOT NULL,
    PRIMARY KEY (model_uuid, application, number),
    FOREIGN KEY (model_uuid, machine_id) REFERENCES machines (model_uuid, id)
  ) STRICT;
  CREATE INDEX units_by_machine ON units (model_uuid, machine_id);

  -- No foreign keys: an entry records a key installed out on a machine, and must outlive any
  -- record of that machine until the key has been swept.
  CREATE TABLE ephemeral_keys (
    session_id TEXT PRIMARY KEY NOT NULL,
    controller_id TEXT NOT NULL,
    model_uuid TEXT NOT NULL,
    machine_id TEXT NOT NULL,
    login_user TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX ephemeral_keys_by_controller ON ephemeral_keys (controller_id);
  `,
  // The HTTPS API: one-time registration strings and the credentials they are exchanged for,
  // both kept only as SHA-256 hashes.
  `
  CREATE TABLE registrations (
    secret_hash TEXT PRIMARY KEY NOT NULL,
    user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX registrations_by_user ON registrations (user);

  CREATE TABLE api_credentials (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX api_credentials_by_user ON api_credentials (user);
  `,
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema at `path` up to {@link SCHEMA_VERSION}.
 * @throws JujuSshError `store` for a file of another program or from a newer release.
 */
export function migrate(db: Database.Database, path: string): void {
  if (readVersion(db, path) === SCHEMA_VERSION) return;

  const upgrade = db.transaction(() => {
    const current = readVersion(db, path);
    for (const migration of MIGRATIONS.slice(current)) db.exec(migration);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  upgrade.immediate();
}

function readVersion(db: Database.Database, path: string): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  const applicationId = Number(db.pragma('application_id', { simple: true }));
  const tables = Number(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get());

  const fresh = version === 0 && applicationId === 0 && tables === 0;
  if (!fresh && applicationId !== APPLICATION_ID) {
    throw new JujuSshError(
      'store',
      `${path} is a SQLite database of some other program, not a juju-ssh store; ` +
        'point the controller at its own data directory',
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new JujuSshError(
      'store',
      `the store at ${path} has schema version ${version}, but this release understands ` +
        `versions up to ${SCHEMA_VERSION}; run a newer juju-ssh release`,
    );
  }
  return version;
}
