import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootstrappedDir, bootstrapTemp, controllerCli } from '../testing/controller-cli.js';

/**
 * A data directory damaged in the ways disks, restores and hands damage them: each refusal
 * names the file and says what to do, before the controller listens, without a stack trace.
 */
describe('a damaged data directory', () => {
  let dir: BootstrappedDir;
  let secrets: string;

  beforeAll(async () => {
    dir = await bootstrapTemp();
    secrets = join(dir.dataDir, 'secrets');
  });
  afterAll(() => dir?.cleanup());

  /** Runs `run`, which must fail at once; returns its stderr. */
  async function refusedRun(): Promise<string> {
    const result = await dir.cli('run', '--ssh-address', '127.0.0.1:0');
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/ssh server listening/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return result.stderr;
  }

  /** Runs `damage`, then `check`, then puts the file at `path` back as it was. */
  async function whileDamaged(path: string, damage: () => void, check: () => Promise<void>) {
    const saved = `${path}.saved`;
    copyFileSync(path, saved);
    try {
      damage();
      await check();
    } finally {
      rmSync(path, { recursive: true, force: true });
      renameSync(saved, path);
    }
  }

  it('names a data directory that does not exist and the bootstrap command', async () => {
    const missing = join(dir.path, 'nowhere');
    const result = await controllerCli(['run', '--data-dir', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: data directory ${missing} does not exist; create it with: ` +
        `juju-ssh-controller bootstrap --data-dir ${missing}\n`,
    );
  });

  it('names a missing secret file and how to restore it', async () => {
    for (const name of ['jump-host-key', 'system-key', 'virtual-host-key-secret']) {
      const path = join(secrets, name);
      await whileDamaged(
        path,
        () => rmSync(path),
        async () => {
          expect(await refusedRun()).toBe(
            `error: secret file ${path} is missing; restore it, mode 0600, from a backup of ` +
              "this controller's data directory (every controller of a cluster holds the same " +
              'secrets), or bootstrap a new controller\n',
          );
        },
      );
    }
  }, 180_000);

  it('refuses a secret that is a directory or a FIFO, which could never be read safely', async () => {
    const path = join(secrets, 'system-key');
    await whileDamaged(
      path,
      () => {
        rmSync(path);
        mkdirSync(path);
      },
      async () => expect(await refusedRun()).toMatch(`secret file ${path} is not a regular file`),
    );
    await whileDamaged(
      path,
      () => rmSync(path),
      async () => {
        await runCommand('mkfifo', ['-m', '600', path]);
        expect(await refusedRun()).toMatch(`secret file ${path} is not a regular file`);
      },
    );
  }, 180_000);

  it('names a key file that holds no key, or a secret of the wrong size', async () => {
    const key = join(secrets, 'jump-host-key');
    await whileDamaged(
      key,
      () => writeFileSync(key, readFileSync(key, 'utf8').slice(0, 200)),
      async () =>
        expect(await refusedRun()).toMatch(
          new RegExp(`^error: host key ${key} is not a private key ssh2 can read`),
        ),
    );
    const secret = join(secrets, 'virtual-host-key-secret');
    await whileDamaged(
      secret,
      () => truncateSync(secret, 10),
      async () =>
        expect(await refusedRun()).toBe(
          `error: secret file ${secret} holds 10 bytes; it must hold exactly 32 (restore it ` +
            'from a backup of this controller)\n',
        ),
    );
  }, 180_000);

  it('refuses a store cut short or emptied, naming it and the way back', async () => {
    const store = join(dir.dataDir, 'store.db');
    await whileDamaged(
      store,
      () => truncateSync(store, 8192),
      async () =>
        expect(await refusedRun()).toMatch(
          new RegExp(`^error: the store at ${store} .*restore it from a backup`),
        ),
    );
    await whileDamaged(
      store,
      () => truncateSync(store, 0),
      async () =>
        expect(await refusedRun()).toBe(
          `error: the store at ${store} is empty (0 bytes), which bootstrap never leaves it; ` +
            'restore it from a backup, or remove it to start with an empty store\n',
        ),
    );
  }, 180_000);
});
