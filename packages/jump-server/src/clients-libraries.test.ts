import { join } from 'node:path';
import { makeTempDir } from '@juju-ssh/test-support';
import type { Client, SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { connectNested, execCollect, type NestedClient } from './testing/nested-client.js';
import { runParamiko } from './testing/paramiko.js';
import { sha256File, writeSeededFile } from './testing/seeded-data.js';

type TempDir = Awaited<ReturnType<typeof makeTempDir>>;

describe('SSH libraries through the jump server', () => {
  let f: JumpFixture;
  let remote: TempDir;
  let payload: string;
  let digest: string;
  beforeAll(async () => {
    f = await startJumpFixture();
    remote = await makeTempDir('library-clients');
    payload = join(f.dir, 'payload.bin');
    digest = await writeSeededFile(payload, 4 * 1024 * 1024, 'library-clients');
  });
  afterAll(async () => {
    await remote?.cleanup();
    await f?.close();
  });

  describe('Paramiko, with a second transport over a direct-tcpip channel', () => {
    it('runs a command and returns its exit status', async () => {
      const result = await runParamiko(f, ['exec', 'echo paramiko; exit 9']);
      expect(result.stdout.toString()).toBe('paramiko\n');
      expect(result.code).toBe(9);
    });

    it('sees a command killed by a signal as exit-signal with its name', async () => {
      const result = await runParamiko(f, ['exec', 'kill -TERM $$']);
      expect(result.stderr.toString()).toBe('exit-signal TERM\n');
      expect(result.code).toBe(250);
    });

    it('copies a file each way over SFTP, checksums matching', async () => {
      const up = await runParamiko(f, ['put', payload, join(remote.path, 'paramiko.bin')]);
      expect(up.stderr.toString()).toBe('');
      expect(up.code).toBe(0);
      expect(await sha256File(join(remote.path, 'paramiko.bin'))).toBe(digest);
      const back = join(f.dir, 'paramiko-back.bin');
      const down = await runParamiko(f, ['get', join(remote.path, 'paramiko.bin'), back]);
      expect(down.code).toBe(0);
      expect(await sha256File(back)).toBe(digest);
    });
  });

  describe('the ssh2 library, nested (outer client, forwardOut, inner client on the channel)', () => {
    let nested: NestedClient;
    beforeAll(async () => {
      nested = await connectNested(f);
    });
    afterAll(() => nested?.close());

    it('runs a command and returns its exit status', async () => {
      const outcome = await execCollect(nested.inner, 'echo ssh2; exit 6');
      expect(outcome.stdout).toBe('ssh2\n');
      expect(outcome.code).toBe(6);
    });

    it('copies a file each way over SFTP, checksums matching', async () => {
      const sftp = await openSftp(nested.inner);
      try {
        const target = join(remote.path, 'ssh2.bin');
        await new Promise<void>((resolve, reject) =>
          sftp.fastPut(payload, target, (error) => (error ? reject(error) : resolve())),
        );
        expect(await sha256File(target)).toBe(digest);
        const back = join(f.dir, 'ssh2-back.bin');
        await new Promise<void>((resolve, reject) =>
          sftp.fastGet(target, back, (error) => (error ? reject(error) : resolve())),
        );
        expect(await sha256File(back)).toBe(digest);
      } finally {
        sftp.end();
      }
    });

    it('opens an interactive shell on a terminal', async () => {
      const screen = await new Promise<string>((resolve, reject) => {
        nested.inner.shell({ term: 'xterm', rows: 30, cols: 90 }, (error, stream) => {
          if (error !== undefined) return reject(error);
          let text = '';
          stream.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          stream.on('close', () => resolve(text));
          stream.end('tty; stty size; exit\n');
        });
      });
      expect(screen).toMatch(/\/dev\/pts\/\d+/);
      expect(screen).toMatch(/^30 90\r?$/m);
    });
  });
});

function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))),
  );
}
