import { connect, type Socket } from 'node:net';
import { loginUser } from '@juju-ssh/test-support';
import type { Client, ClientChannel } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { type CapturedLog, captureLog } from './testing/log-capture.js';
import { connectInner, connectOuter, openTarget } from './testing/outer-client.js';

/** Resolves with the first bytes the server sends, or '' when it closes without a word. */
function firstWords(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    socket.on('error', () => resolve(seen));
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\n')) {
        socket.destroy();
        resolve(seen);
      }
    });
    socket.on('close', () => resolve(seen));
  });
}

describe('limit defaults', () => {
  it('keeps the defaults for limits an override leaves undefined', () => {
    const limits = resolveLimits({ maxSessionsPerUser: 3, maxChannelsPerConnection: undefined });
    expect(limits.maxSessionsPerUser).toBe(3);
    expect(limits.maxChannelsPerConnection).toBe(DEFAULT_LIMITS.maxChannelsPerConnection);
    expect(limits.endSessionsOnRevoke).toBe(true);
  });
});

describe('new connections per source address', () => {
  let f: JumpFixture;
  let log: CapturedLog;
  beforeAll(async () => {
    log = captureLog();
    f = await startJumpFixture({
      logger: log.logger,
      limits: { maxNewConnectionsPerSourcePerMinute: 4 },
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('closes connections past the allowance before any SSH work and logs it once', async () => {
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await firstWords(f.port));
    expect(answers.slice(0, 4).every((a) => a.startsWith('SSH-2.0-'))).toBe(true);
    expect(answers.slice(4)).toEqual(['', '', '', '']);
    const lines = log.lines.filter((l) => l.limit === 'max-new-connections-per-source');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ value: 4, sourceAddress: '127.0.0.1', level: 40 });
  });
});

describe('channels per connection and sessions per user', () => {
  let f: JumpFixture;
  let log: CapturedLog;
  const clients: Client[] = [];
  beforeAll(async () => {
    log = captureLog();
    f = await startJumpFixture({
      logger: log.logger,
      limits: { maxChannelsPerConnection: 3, maxSessionsPerUser: 4 },
    });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.end();
  });
  afterAll(async () => {
    await f?.close();
  });

  async function outer(): Promise<Client> {
    const client = await connectOuter(f.port, 'alice', f.alice.privateKeyPath);
    clients.push(client);
    return client;
  }

  it('refuses a channel past the limit with a reason, and admits one once another closes', async () => {
    const client = await outer();
    const target = `0.${f.modelUuid}`;
    const open = await Promise.all([1, 2, 3].map(() => openTarget(client, target)));
    expect(open.every((c) => !(c instanceof Error))).toBe(true);

    const refused = await openTarget(client, target);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/already has 3 channels open/);
    expect(log.withMessage('too many channels open on one connection')).toHaveLength(1);

    (open[0] as ClientChannel).close();
    await expect
      .poll(async () => !((await openTarget(client, target)) instanceof Error))
      .toBe(true);
  });

  it('counts the channels of an inner connection against the same limit', async () => {
    const client = await outer();
    const channel = await openTarget(client, `0.${f.modelUuid}`);
    if (channel instanceof Error) throw channel;
    const inner = await connectInner(channel, loginUser(), f.alice.privateKeyPath);
    clients.push(inner);
    const opens = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<ClientChannel | Error>((resolve) =>
            inner.exec('sleep 30', (error, stream) => resolve(error ?? stream)),
          ),
      ),
    );
    const refused = opens.filter((open) => open instanceof Error);
    expect(refused).toHaveLength(1);
    expect(String(refused[0])).toMatch(/already has 3 channels open/);
    const forward = await new Promise<Error | undefined>((resolve) =>
      inner.forwardOut('127.0.0.1', 0, '127.0.0.1', f.sshd.port, (error) => resolve(error)),
    );
    expect(String(forward)).toMatch(/already has 3 channels open/);
  });

  it("refuses a user's session past the limit over all connections, as ssh prints it", async () => {
    const [a, b] = [await outer(), await outer()];
    const target = `0.${f.modelUuid}`;
    const held = await Promise.all([a, a, b, b].map((client) => openTarget(client, target)));
    expect(held.every((c) => !(c instanceof Error))).toBe(true);

    const result = await f.ssh(target, ['echo should-not-run']);
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(/you already have 4 sessions open/);
    expect(result.stdout.toString()).toBe('');
    expect(log.lines.filter((l) => l.limit === 'max-sessions-per-user')).toHaveLength(1);

    a.end();
    await expect
      .poll(async () => (await f.ssh(target, ['echo after'])).stdout.toString(), {
        timeout: 15_000,
      })
      .toBe('after\n');
  });
});
