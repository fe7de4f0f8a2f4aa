import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { generateUserKey, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('hostile and idle connections', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture({
      limits: { loginGraceTimeMs: 1500, maxConnections: 20, maxUnauthenticated: 8 },
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('survives garbage on the SSH port while a session runs', async () => {
    const session = f.ssh(`0.${f.modelUuid}`, ['sleep 2; echo survived']);
    for (let i = 0; i < 10; i += 1) {
      const socket = await openSocket(f.port);
      socket.on('error', () => {});
      socket.write(randomBytes(4096));
      socket.write('SSH-2.0-garbage\r\n');
      socket.write(randomBytes(65536));
      socket.end();
    }
    const result = await session;
    expect(result.stdout.toString()).toBe('survived\n');
    expect(result.code).toBe(0);
  });

  it('drops a client that connects and says nothing after the grace time', async () => {
    const socket = await openSocket(f.port);
    socket.on('error', () => {});
    socket.on('data', () => {});
    expect(await closedWithin(socket, 5000)).toBe(true);
  });

  it('refuses connections past the limit without disturbing a running session', async () => {
    const session = f.ssh(`0.${f.modelUuid}`, ['sleep 3; echo still-running'], {
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sockets = await Promise.all(
      Array.from({ length: 30 }, () =>
        openSocket(f.port).then(
          (socket) => {
            socket.on('error', () => {});
            socket.on('data', () => {});
            return socket;
          },
          () => undefined,
        ),
      ),
    );
    const closed = await Promise.all(
      sockets.map((socket) => (socket === undefined ? true : closedWithin(socket, 500))),
    );
    expect(closed.filter(Boolean).length).toBeGreaterThan(0);
    const result = await session;
    expect(result.stdout.toString()).toBe('still-running\n');
    for (const socket of sockets) socket?.destroy();
    const after = await f.ssh(`0.${f.modelUuid}`, ['echo after-flood']);
    expect(after.stdout.toString()).toBe('after-flood\n');
  });
});

describe('failed logins per connection', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture({ limits: { maxAuthTries: 3 } });
  });
  afterAll(async () => {
    await f?.close();
  });

  async function loginWith(keys: readonly string[]) {
    return runCommand(
      'ssh',
      [
        '-F',
        f.sshConfig,
        '-p',
        String(f.port),
        '-o',
        'IdentityFile=none',
        ...keys.flatMap((k) => ['-i', k]),
        'alice@127.0.0.1',
        'anything',
      ],
      { timeoutMs: 20_000 },
    );
  }

  it('lets a user in after a few unregistered keys, like sshd', async () => {
    const strangers = await Promise.all([1, 2].map((i) => generateUserKey(f.dir, `s${i}`)));
    const result = await loginWith([
      ...strangers.map((k) => k.privateKeyPath),
      f.alice.privateKeyPath,
    ]);
    expect(result.stderr.toString()).toMatch(/This is a jump host/);
    expect(result.code).toBe(1);
  });

  it('disconnects once the failures reach the limit', async () => {
    const strangers = await Promise.all([3, 4, 5].map((i) => generateUserKey(f.dir, `s${i}`)));
    const result = await loginWith([
      ...strangers.map((k) => k.privateKeyPath),
      f.alice.privateKeyPath,
    ]);
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).not.toMatch(/This is a jump host/);
  });
});
