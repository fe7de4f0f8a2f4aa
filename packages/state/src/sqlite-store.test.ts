import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './schema.js';
import { SqliteStore } from './sqlite-store.js';
import { generateKey, openTempStore, refusal, tempDir } from './testing/fixtures.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('SqliteStore.open', () => {
  it('creates the file and its write-ahead log owner-only, whatever the umask', () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    const previous = process.umask(0);
    try {
      const store = SqliteStore.open(path);
      store.addUser('alice');
      expect(modeOf(path)).toBe(0o600);
      expect(modeOf(`${path}-wal`)).toBe(0o600);
      expect(modeOf(`${path}-shm`)).toBe(0o600);
      store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('keeps everything across close and open', () => {
    const { store, path, dir } = openTempStore();
    store.addUser('alice', { superuser: true });
    store.addUser('bob');
    store.disableUser('bob');
    store.addUserKey('alice', generateKey(dir, 'alice').publicLine);
    const model = store.addModel('prod');
    store.grant('bob', model.uuid, 'admin');
    store.addMachine({
      modelUuid: model.uuid,
      id: '0',
      address: '10.0.0.5',
      port: 22,
      hostKey: generateKey(dir, 'host').publicLine,
    });
    store.addUnit({ modelUuid: model.uuid, application: 'pg', number: 1, machineId: '0' });
    store.recordEphemeralKey({
      controllerId: 'c0',
      sessionId: 's1',
      modelUuid: model.uuid,
      machineId: '0',
      loginUser: 'ubuntu',
      expiresAt: new Date(1_900_000_000_000),
    });
    const snapshot = (s: SqliteStore) => ({
      users: s.listUsers(),
      keys: s.listUserKeys('alice'),
      models: s.listModels(),
      grant: s.hasGrant('bob', model.uuid, 'admin'),
      machines: s.listMachines(model.uuid),
      units: s.listUnits(model.uuid),
      ledger: s.listEphemeralKeys('c0'),
    });
    const before = snapshot(store);
    store.close();

    const reopened = SqliteStore.open(path);
    try {
      expect(snapshot(reopened)).toEqual(before);
      expect(before.grant).toBe(true);
      expect(before.keys).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });

  it('names the file and what to do when it holds garbage', () => {
    const path = join(tempDir(), 'store.db');
    writeFileSync(path, Buffer.alloc(8192, 'not a database '));

    expect(() => SqliteStore.open(path)).toThrowError(
      refusal(
        'store',
        `the store at ${path} is not a readable SQLite database (file is not a database); ` +
          'move it aside and restore it from a backup, or remove it to start with an empty store',
      ),
    );
    expect(readFileSync(path, 'latin1').startsWith('not a database')).toBe(true);
  });

  it('refuses a store whose pages were damaged, naming the file', () => {
    const { store, path } = openTempStore();
    for (let i = 0; i < 300; i++) store.addUser(`user-${i}`);
    store.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 2);
    closeSync(fd);

    expect(() => SqliteStore.open(path)).toThrowError(
      refusal(
        'store',
        new RegExp(
          `^the store at ${escapeRegExp(path)} is damaged \\(.*page 3.*\\); move it aside`,
        ),
      ),
    );
  });

  it('refuses a SQLite database that belongs to another program', () => {
    const path = join(tempDir(), 'other.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE songs (title TEXT)');
    raw.close();

    expect(() => SqliteStore.open(path)).toThrowError(
      refusal(
        'store',
        `${path} is a SQLite database of some other program, not a juju-ssh store; ` +
          'point the controller at its own data directory',
      ),
    );
  });

  it('refuses a store written by a newer release', () => {
    const { store, path } = openTempStore();
    store.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    expect(() => SqliteStore.open(path)).toThrowError(
      refusal('store', new RegExp(`has schema version ${SCHEMA_VERSION + 1}, .*newer juju-ssh`)),
    );
  });

  it('says the directory must exist when it does not', () => {
    const path = join(tempDir(), 'missing', 'store.db');

    expect(() => SqliteStore.open(path)).toThrowError(
      refusal(
        'store',
        new RegExp(
          `^cannot open the store at ${escapeRegExp(path)} .*check that its directory exists`,
        ),
      ),
    );
  });

  it('refuses use after close with a clear error', () => {
    const { store, path } = openTempStore();
    store.close();
    store.close();

    expect(() => store.listUsers()).toThrowError(
      refusal('store', `the store at ${path} is closed; open it again`),
    );
  });
});
