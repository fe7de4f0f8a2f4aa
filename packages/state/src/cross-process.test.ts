import { chmodSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';
import { runStoreChild, startStoreChild } from './testing/child-process.js';
import { generateKey, openTempStore, tempDir } from './testing/fixtures.js';

describe('a store shared with other processes', () => {
  it('sees users, keys and grants that another process changes meanwhile', async () => {
    const { store, path, dir } = openTempStore();
    store.addUser('alice');
    const model = store.addModel('prod');
    const key = generateKey(dir, 'bob');
    expect(store.findUser('bob')).toBeUndefined();
    expect(store.hasGrant('bob', model.uuid, 'admin')).toBe(false);

    const result = await runStoreChild(
      path,
      `const store = SqliteStore.open(path);
       store.addUser('bob');
       store.addUserKey('bob', ${JSON.stringify(key.publicLine)});
       store.grant('bob', ${JSON.stringify(model.uuid)}, 'admin');
       store.disableUser('alice');
       store.close();`,
    );

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(store.findUser('bob')).toEqual({ name: 'bob', superuser: false, disabled: false });
    expect(store.findUserKey('bob', key.fingerprint)?.comment).toBe('bob');
    expect(store.hasGrant('bob', model.uuid, 'admin')).toBe(true);
    expect(store.findUser('alice')?.disabled).toBe(true);
  });

  it('makes another process wait for a write lock instead of failing', async () => {
    const { store, path } = openTempStore();
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE; INSERT INTO users VALUES ('alice', 0, 0)");

    const child = startStoreChild(
      path,
      `const store = SqliteStore.open(path); store.addUser('bob'); store.close();`,
    );
    await sleep(800);
    const waitedForTheLock = !child.exited();
    holder.exec('COMMIT');
    holder.close();
    const result = await child.done;

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(waitedForTheLock).toBe(true);
    expect(store.listUsers().map((user) => user.name)).toEqual(['alice', 'bob']);
  });

  it('lets several processes open a new file at once', async () => {
    const path = `${tempDir()}/store.db`;

    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        runStoreChild(
          path,
          `const store = SqliteStore.open(path); store.addUser('user-${i}'); store.close();`,
        ),
      ),
    );

    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: '' });
    const store = SqliteStore.open(path);
    try {
      expect(store.listUsers()).toHaveLength(4);
    } finally {
      store.close();
    }
  });

  it('refuses, naming the file, a store this process may not write', async () => {
    const { store, path, dir } = openTempStore();
    store.close();
    chmodSync(dir, 0o755);
    // Root may write anything, so the attempt runs as an unprivileged user when the test is root.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(path, 0o400);

    const result = await runStoreChild(
      path,
      'SqliteStore.open(path).listUsers();',
      asRoot ? { uid: 65534, gid: 65534 } : {},
    );

    expect(result.code).toBe(3);
    expect(JSON.parse(result.stderr)).toEqual({
      code: 'store',
      message: expect.stringMatching(
        new RegExp(
          `^cannot open the store at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} for ` +
            'reading and writing .*may read and write both the file and the directory$',
        ),
      ),
    });
  });
});
