import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { SCHEMA_VERSION } from './schema.js';
import { BUSY_TIMEOUT_MS } from './store-errors.js';
import { tempDir } from './testing/fixtures.js';

describe('openDatabase', () => {
  it('turns on write-ahead logging, a busy timeout and foreign keys', () => {
    const db = openDatabase(join(tempDir(), 'store.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(() =>
        db.exec("INSERT INTO grants (user, model_uuid, access) VALUES ('no', 'no', 'admin')"),
      ).toThrowError(/FOREIGN KEY constraint failed/);
    } finally {
      db.close();
    }
  });

  it('writes the schema version, and opening again changes nothing', () => {
    const path = join(tempDir(), 'store.db');
    openDatabase(path).close();
    const schema = () => {
      const raw = new Database(path, { readonly: true });
      try {
        return {
          version: raw.pragma('user_version', { simple: true }),
          tables: raw.prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all(),
        };
      } finally {
        raw.close();
      }
    };
    const first = schema();

    openDatabase(path).close();

    expect(first.version).toBe(SCHEMA_VERSION);
    expect(first.tables.length).toBeGreaterThan(6);
    expect(schema()).toEqual(first);
  });
});
