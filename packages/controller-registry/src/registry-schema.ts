/**
 * The registry file's schema: controllers and the models each one hosts. `PRAGMA user_version`
 * holds the schema version and `application_id` marks the file as a JIMM registry.
 */
import { JujuSshError } from '@juju-ssh/core';
import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of a registry file ("JIMR"). */
export const REGISTRY_APPLICATION_ID = 0x4a494d52;

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE controllers (
    id TEXT PRIMARY KEY NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    jump_host_key TEXT NOT NULL
  ) STRICT;

  CREATE TABLE model_placements (
    model_uuid TEXT PRIMARY KEY NOT NULL,
    controller_id TEXT NOT NULL REFERENCES controllers (id)
  ) STRICT;
  CREATE INDEX model_placements_by_controller ON model_placements (controller_id);
  `,
];

/**
 * Brings the registry at `path` up to the newest schema.
 * @throws JujuSshError `store` for another program's file or one from a newer release.
 */
export function migrateRegistry(db: Database.Database, path: string): void {
  const upgrade = db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    const applicationId = Number(db.pragma('application_id', { simple: true }));
    const tables = Number(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get());
    if (!(version === 0 && applicationId === 0 && tables === 0)) {
      if (applicationId !== REGISTRY_APPLICATION_ID) {
        throw new JujuSshError('store', `${path} is not a JIMM controller registry`);
      }
    }
    if (version > MIGRATIONS.length) {
      throw new JujuSshError(
        'store',
        `the registry at ${path} has schema version ${version}; run a newer juju-ssh release`,
      );
    }
    for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
    db.pragma(`application_id = ${REGISTRY_APPLICATION_ID}`);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  upgrade.immediate();
}
