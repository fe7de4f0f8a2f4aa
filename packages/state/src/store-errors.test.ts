import { join } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storeError } from './store-errors.js';
import { tempDir } from './testing/fixtures.js';

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected the work to throw');
}

describe('storeError', () => {
  it('explains a lock another process held for too long', () => {
    const path = join(tempDir(), 'store.db');
    const holder = new Database(path);
    holder.exec('CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)');
    const waiter = new Database(path, { timeout: 0 });
    try {
      const busy = thrownBy(() => waiter.exec('INSERT INTO t VALUES (2)'));

      const error = storeError(path, busy);

      expect(error).toMatchObject({
        code: 'store',
        message:
          `the store at ${path} stayed locked by another process for more than 5 s; ` +
          'try again, and look for a stuck admin command',
      });
      expect(error.cause).toBe(busy);
    } finally {
      waiter.close();
      holder.close();
    }
  });

  it('explains a full disk', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

    expect(storeError('/data/store.db', full).message).toBe(
      'the disk holding the store at /data/store.db is full; free some space and try again',
    );
  });

  it('names the file and keeps the detail of a failure it has no advice for', () => {
    expect(storeError('/data/store.db', new Error('something odd')).message).toBe(
      'the store at /data/store.db failed: something odd',
    );
  });

  it('passes errors raised on purpose through unchanged', () => {
    const refusal = new JujuSshError('not-found', 'no user bob; add one with add-user');

    expect(storeError('/data/store.db', refusal)).toBe(refusal);
  });
});
