import { loginUser } from '@juju-ssh/test-support';
import type { Client } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { connectInner, connectOuter, execOn, openTarget } from './testing/outer-client.js';

describe('a grant revoked while the user is connected', () => {
  let f: JumpFixture;
  const clients: Client[] = [];
  beforeAll(async () => {
    f = await startJumpFixture({ limits: { endSessionsOnRevoke: false } });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
    f.store.grant('alice', f.modelUuid, 'admin');
  });
  afterAll(async () => {
    await f?.close();
  });

  it('stops the next target opened on the same outer connection', async () => {
    const outer = await connectOuter(f.port, 'alice', f.alice.privateKeyPath);
    clients.push(outer);
    const target = `0.${f.modelUuid}`;
    const first = await openTarget(outer, target);
    if (first instanceof Error) throw first;
    const inner = await connectInner(first, loginUser(), f.alice.privateKeyPath);
    clients.push(inner);
    expect((await execOn(inner, 'echo one')).stdout).toBe('one\n');

    f.store.revoke('alice', f.modelUuid, 'admin');
    const second = await openTarget(outer, target);
    if (second instanceof Error) throw second;
    await expect(connectInner(second, loginUser(), f.alice.privateKeyPath)).rejects.toThrow(
      /do not have admin access to model/,
    );
    expect((await execOn(inner, 'echo still-mine')).stdout).toBe('still-mine\n');
  });

  it('leaves a running session alone when ending sessions on revoke is off', async () => {
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toEqual([]);
    const running = f.ssh(`0.${f.modelUuid}`, ['sleep 3; echo survived']);
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toHaveLength(1);
    f.store.revoke('alice', f.modelUuid, 'admin');
    const result = await running;
    expect(result.stdout.toString()).toBe('survived\n');
    expect(result.code).toBe(0);
  });
});

describe('ending running sessions on revoke', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture({ limits: { revocationCheckIntervalMs: 300 } });
  });
  afterEach(() => {
    f.store.grant('alice', f.modelUuid, 'admin');
    f.store.enableUser('alice');
  });
  afterAll(async () => {
    await f?.close();
  });

  // Revoked only once the command runs: the key is on the machine and the user's session
  // channel has asked for its command (which the audit trail records).
  const commandRunning = async () => {
    const opened = () => f.auditRecords().then((records) => records.filter(isChannelOpen).length);
    const before = await opened();
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toHaveLength(1);
    await expect.poll(opened, { timeout: 10_000 }).toBeGreaterThan(before);
  };

  it('ends the session within a check, says why on its stderr, and removes its key', async () => {
    const started = Date.now();
    const running = f.ssh(`0.postgresql.${f.modelUuid}`, ['sleep 30; echo not-reached']);
    await commandRunning();
    f.store.revoke('alice', f.modelUuid, 'admin');

    const result = await running;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr.toString()).toMatch(
      /juju-ssh: access revoked: you do not have admin access to model [0-9a-f-]+; .*the session ends/,
    );
    await expect.poll(() => f.ephemeralLines(), { timeout: 10_000 }).toEqual([]);
    const ended = (await f.auditRecords()).find((r) => r.event === 'session-ended');
    expect(ended?.endReason).toMatch(/^access revoked: you do not have admin access/);
  });

  it('ends the session, terminal and all, of a user who is disabled', async () => {
    const running = f.ssh(`0.${f.modelUuid}`, ['sleep 30'], { extraArgs: ['-tt'] });
    await commandRunning();
    f.store.disableUser('alice');
    const result = await running;
    expect(result.code).toBe(255);
    expect(result.stderr.toString() + result.stdout.toString()).toMatch(
      /access revoked: user alice is disabled/,
    );
  });

  it('goes on as long as the grant holds', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['sleep 2; echo kept']);
    expect(result.stdout.toString()).toBe('kept\n');
    expect(result.code).toBe(0);
  });
});

function isChannelOpen(record: Record<string, unknown>): boolean {
  return record.event === 'channel-opened' && record.channelType === 'session';
}
