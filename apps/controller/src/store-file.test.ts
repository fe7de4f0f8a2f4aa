import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@juju-ssh/test-support';
import { describe, expect, it } from 'vitest';
import { openControllerStore } from './store-file.js';

describe('openControllerStore', () => {
  it('refuses an empty store file by name instead of starting an empty store', async () => {
    const temp = await makeTempDir('store-file');
    try {
      const path = join(temp.path, 'store.db');
      writeFileSync(path, '');
      expect(() => openControllerStore(path)).toThrow(
        `the store at ${path} is empty (0 bytes), which bootstrap never leaves it; restore it ` +
          'from a backup, or remove it to start with an empty store',
      );
    } finally {
      await temp.cleanup();
    }
  });

  it('opens a store that exists, and makes one where there is none', async () => {
    const temp = await makeTempDir('store-file');
    try {
      const path = join(temp.path, 'store.db');
      const made = openControllerStore(path);
      made.addUser('alice');
      made.close();
      const opened = openControllerStore(path);
      expect(opened.listUsers().map((user) => user.name)).toEqual(['alice']);
      opened.close();
    } finally {
      await temp.cleanup();
    }
  });
});
