import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginUser, makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('file transfer through the jump server', () => {
  let f: JumpFixture;
  let remoteDir: string;
  let cleanupRemote: () => Promise<void>;
  let payload: Buffer;
  let local: string;
  beforeAll(async () => {
    f = await startJumpFixture();
    const remote = await makeTempDir('jump-remote');
    remoteDir = remote.path;
    cleanupRemote = remote.cleanup;
    payload = randomBytes(8 * 1024 * 1024);
    local = join(f.dir, 'payload.bin');
    await writeFile(local, payload);
  });
  afterAll(async () => {
    await f?.close();
    await cleanupRemote?.();
  });

  const jump = () => `alice@127.0.0.1:${f.port}`;
  const target = () => `${loginUser()}@0.${f.modelUuid}`;

  it('copies a file each way with scp, checksums matching', async () => {
    const up = await runCommand(
      'scp',
      ['-F', f.sshConfig, '-J', jump(), local, `${target()}:${remoteDir}/up.bin`],
      { timeoutMs: 30_000 },
    );
    expect(up.stderr.toString()).toBe('');
    expect(up.code).toBe(0);
    expect(sha256(await readFile(join(remoteDir, 'up.bin')))).toBe(sha256(payload));

    const back = join(f.dir, 'down.bin');
    const down = await runCommand(
      'scp',
      ['-F', f.sshConfig, '-J', jump(), `${target()}:${remoteDir}/up.bin`, back],
      { timeoutMs: 30_000 },
    );
    expect(down.code).toBe(0);
    expect(sha256(await readFile(back))).toBe(sha256(payload));
  });

  it('copies a file each way with legacy scp (-O)', async () => {
    const up = await runCommand(
      'scp',
      ['-O', '-F', f.sshConfig, '-J', jump(), local, `${target()}:${remoteDir}/legacy.bin`],
      { timeoutMs: 30_000 },
    );
    expect(up.code).toBe(0);
    expect(sha256(await readFile(join(remoteDir, 'legacy.bin')))).toBe(sha256(payload));
  });

  it('lists, uploads and downloads with sftp in batch mode', async () => {
    const batch = join(f.dir, 'batch.txt');
    const back = join(f.dir, 'sftp-down.bin');
    await writeFile(
      batch,
      [`cd ${remoteDir}`, `put ${local} sftp.bin`, 'ls -l', `get sftp.bin ${back}`, ''].join('\n'),
    );
    const result = await runCommand(
      'sftp',
      ['-F', f.sshConfig, '-J', jump(), '-b', batch, target()],
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain('sftp.bin');
    expect(sha256(await readFile(back))).toBe(sha256(payload));
  });

  it('exits non-zero from sftp -b when a command in the batch fails', async () => {
    const batch = join(f.dir, 'failing-batch.txt');
    await writeFile(batch, `get ${remoteDir}/does-not-exist ${f.dir}/nothing\n`);
    const result = await runCommand(
      'sftp',
      ['-F', f.sshConfig, '-J', jump(), '-b', batch, target()],
      { timeoutMs: 30_000 },
    );
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  });
});
