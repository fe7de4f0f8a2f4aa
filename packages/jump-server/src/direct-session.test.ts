import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

describe('a session through the jump server with the stock OpenSSH client', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('carries stdout, stderr and the exit status of a command on a machine target', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['echo out; echo err >&2; exit 3']);
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.code).toBe(3);
  });

  it('reaches a unit target, with and without the domain suffix', async () => {
    for (const target of [
      `1.postgresql.${f.modelUuid}`,
      `0.postgresql.${f.modelUuid}.juju.local`,
    ]) {
      const result = await f.ssh(target, ['echo unit; exit 0']);
      expect(result.stderr.toString()).toBe('');
      expect(result.stdout.toString()).toBe('unit\n');
      expect(result.code).toBe(0);
    }
  });

  it('passes input through to the command unchanged', async () => {
    const input = Buffer.alloc(3 * 1024 * 1024, 'juju-ssh ');
    const result = await f.ssh(`0.${f.modelUuid}`, ['wc -c'], { input });
    expect(result.stdout.toString().trim()).toBe(String(input.length));
    expect(result.code).toBe(0);
  });

  it('holds exactly one ephemeral line during a session and none after', async () => {
    const session = f.ssh(`0.${f.modelUuid}`, ['sleep 2; echo done']);
    let during: string[] = [];
    for (let i = 0; i < 40 && during.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      during = await f.ephemeralLines();
    }
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^expiry-time="\d{14}Z?" ssh-ed25519 [A-Za-z0-9+/=]+ /);
    expect(during[0]).toMatch(new RegExp(`juju-ssh-ephemeral:${f.controllerId}:[0-9a-f]+$`));
    const result = await session;
    expect(result.stdout.toString()).toBe('done\n');
    await expect.poll(() => f.ephemeralLines(), { timeout: 5000 }).toEqual([]);
  });

  it('keeps ten concurrent sessions apart on one login user: ten lines, then none', async () => {
    const sessions = Array.from({ length: 10 }, (_, i) =>
      f.ssh(`0.${f.modelUuid}`, [`sleep 3; echo session-${i}`], { timeoutMs: 30_000 }),
    );
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toHaveLength(10);
    const results = await Promise.all(sessions);
    results.forEach((result, i) => {
      expect(result.stdout.toString()).toBe(`session-${i}\n`);
      expect(result.code).toBe(0);
    });
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toEqual([]);
    const remaining = await f.ephemeralLines();
    expect(remaining).toEqual([]);
  });

  it('reports a machine that drops the session on stderr, with exit status 255', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, [
      'echo before; sleep 0.5; kill -9 $PPID; sleep 5',
    ]);
    expect(result.stdout.toString()).toBe('before\n');
    expect(result.stderr.toString()).toMatch(/^juju-ssh: .*ended without an exit status/m);
    expect(result.code).toBe(255);
  });

  it('writes start and end audit records with the session details', async () => {
    const result = await f.ssh(`0.postgresql.${f.modelUuid}`, ['printf 12345; exit 4']);
    expect(result.code).toBe(4);
    await expect
      .poll(async () => (await f.auditRecords()).filter((r) => r.event === 'session-ended'))
      .not.toHaveLength(0);
    const records = await f.auditRecords();
    const ended = records.filter(
      (r) => r.event === 'session-ended' && r.exitStatus === 4 && r.unit === 'postgresql/0',
    );
    expect(ended).toHaveLength(1);
    const end = ended[0] ?? {};
    const start = records.find(
      (r) => r.event === 'session-started' && r.sessionId === end.sessionId,
    );
    expect(start).toMatchObject({
      user: 'alice',
      modelUuid: f.modelUuid,
      modelName: 'prod',
      machineId: '0',
      targetName: `0.postgresql.${f.modelUuid}`,
      sourceAddress: '127.0.0.1',
      via: 'direct',
    });
    expect(end).toMatchObject({ bytesToClient: 5, user: 'alice', loginUser: start?.loginUser });
  });
});
