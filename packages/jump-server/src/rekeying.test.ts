import { join } from 'node:path';
import { loginUser, makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { sha256File, writeSeededFile } from './testing/seeded-data.js';

const SIZE = 200 * 1024 * 1024;
type TempDir = Awaited<ReturnType<typeof makeTempDir>>;

describe('big transfers while both hops renegotiate their keys', () => {
  let f: JumpFixture;
  let remote: TempDir;
  let local: string;
  let digest: string;
  beforeAll(async () => {
    // The machine's sshd renegotiates the upstream hop every MiB; the client the inner hop.
    f = await startJumpFixture({ sshdConfig: ['RekeyLimit 1M'] });
    remote = await makeTempDir('rekey-remote');
    local = join(f.dir, 'payload.bin');
    digest = await writeSeededFile(local, SIZE, 'rekeying');
  });
  afterAll(async () => {
    await remote?.cleanup();
    await f?.close();
  });

  const scp = (from: string, to: string) =>
    runCommand(
      'scp',
      ['-F', f.sshConfig, '-J', `alice@127.0.0.1:${f.port}`, '-o', 'RekeyLimit=1M', from, to],
      { timeoutMs: 240_000 },
    );
  const onMachine = (path: string) => `${loginUser()}@0.${f.modelUuid}:${path}`;

  it('copies 200 MiB up and back down with scp, checksums matching', async () => {
    const up = await scp(local, onMachine(join(remote.path, 'up.bin')));
    expect(up.stderr.toString()).toBe('');
    expect(up.code).toBe(0);
    expect(await sha256File(join(remote.path, 'up.bin'))).toBe(digest);

    const back = join(f.dir, 'back.bin');
    const down = await scp(onMachine(join(remote.path, 'up.bin')), back);
    expect(down.stderr.toString()).toBe('');
    expect(down.code).toBe(0);
    expect(await sha256File(back)).toBe(digest);
  }, 300_000);
});
