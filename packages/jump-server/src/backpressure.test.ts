import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loginUser } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

const TOTAL = 64 * 1024 * 1024;
/** What the windows and buffers of both hops may hold together, with room to spare. */
const RSS_BUDGET = 64 * 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('a client that stops reading', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('holds the machine back instead of buffering its output in the controller', async () => {
    const marker = join(dirname(f.sshd.authorizedKeysFile), 'producer-done');
    const ssh = spawn(
      'ssh',
      [
        '-F',
        f.sshConfig,
        '-J',
        `alice@127.0.0.1:${f.port}`,
        `${loginUser()}@0.${f.modelUuid}`,
        `head -c ${TOTAL} /dev/zero; touch ${marker}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => ssh.once('exit', resolve));
    let received = 0;
    let holding = true;
    ssh.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (holding && received >= 1024 * 1024) ssh.stdout.pause();
    });
    const deadline = Date.now() + 20_000;
    while (received < 1024 * 1024 && Date.now() < deadline) await sleep(50);
    expect(received).toBeGreaterThanOrEqual(1024 * 1024);

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    for (let i = 0; i < 30; i += 1) {
      await sleep(100);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(existsSync(marker)).toBe(false);
    expect(peak - baseline).toBeLessThan(RSS_BUDGET);
    expect(received).toBeLessThan(16 * 1024 * 1024);

    holding = false;
    ssh.stdout.resume();
    expect(await exited).toBe(0);
    expect(received).toBe(TOTAL);
    expect(existsSync(marker)).toBe(true);
  });
});
