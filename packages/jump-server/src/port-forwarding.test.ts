import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loginUser, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from './testing/agent.js';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { connectNested } from './testing/nested-client.js';
import {
  type BackgroundProcess,
  type EchoServer,
  exchange,
  freePort,
  listening,
  runInBackground,
  startEchoServer,
  waitUntil,
} from './testing/network-helpers.js';

describe('port forwarding through the jump server', () => {
  let f: JumpFixture;
  let machineService: EchoServer;
  let userService: EchoServer;
  const running: BackgroundProcess[] = [];

  beforeAll(async () => {
    f = await startJumpFixture();
    machineService = await startEchoServer('machine:');
    userService = await startEchoServer('user:');
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await machineService?.close();
    await userService?.close();
    await f?.close();
  });

  const target = () => `${loginUser()}@0.${f.modelUuid}`;
  /** Starts `ssh -N` with the given forwarding options and keeps it for the test. */
  const forwarder = (args: readonly string[]) => {
    const ssh = runInBackground('ssh', [
      '-F',
      f.sshConfig,
      '-J',
      `alice@127.0.0.1:${f.port}`,
      '-N',
      '-o',
      'ExitOnForwardFailure=yes',
      '-o',
      'LogLevel=INFO',
      ...args,
      target(),
    ]);
    running.push(ssh);
    return ssh;
  };

  it('carries -L connections to a port on the machine, half-close included', async () => {
    const local = await freePort();
    const ssh = forwarder(['-L', `${local}:127.0.0.1:${machineService.port}`]);
    await waitUntil('the -L listener', () => listening(local));
    const replies = await Promise.all(['one', 'two', 'three'].map((word) => exchange(local, word)));
    expect(replies).toEqual(['machine:one', 'machine:two', 'machine:three']);
    await ssh.stop();
  });

  it("passes the machine's refusal of a -L destination on to the user", async () => {
    const local = await freePort();
    const closed = await freePort();
    const ssh = forwarder(['-L', `${local}:127.0.0.1:${closed}`]);
    await waitUntil('the -L listener', () => listening(local));
    expect(await exchange(local, 'hello')).toBe('');
    await waitUntil('the refusal on stderr', async () => ssh.stderr().includes('open failed'));
    expect(ssh.stderr()).toMatch(/open failed: connect failed: .*refused/i);
    await ssh.stop();
  });

  it('serves -D as a SOCKS proxy that reaches the machine side', async () => {
    const http = createServer((_request, response) => response.end('served on the machine'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    const httpPort = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const socks = await freePort();
      const ssh = forwarder(['-D', `127.0.0.1:${socks}`]);
      await waitUntil('the SOCKS listener', () => listening(socks));
      const result = await runCommand('curl', [
        '-sS',
        '--max-time',
        '10',
        '--socks5-hostname',
        `127.0.0.1:${socks}`,
        `http://localhost:${httpPort}/`,
      ]);
      expect(result.stderr.toString()).toBe('');
      expect(result.stdout.toString()).toBe('served on the machine');
      await ssh.stop();
    } finally {
      http.close();
    }
  });

  it('carries connections to a fixed -R port back to the user', async () => {
    const remote = await freePort();
    const ssh = forwarder(['-R', `${remote}:localhost:${userService.port}`]);
    await waitUntil('the -R listener on the machine', () => listening(remote));
    const replies = await Promise.all(['a', 'b'].map((word) => exchange(remote, word)));
    expect(replies).toEqual(['user:a', 'user:b']);
    await ssh.stop();
    await waitUntil('the -R listener to close', async () => !(await listening(remote)));
  });

  it('answers -R 0 with the port the machine chose, and carries connections to it', async () => {
    const ssh = forwarder(['-R', `0:localhost:${userService.port}`]);
    let port = 0;
    await waitUntil('the allocated port', async () => {
      const match = /Allocated port (\d+) for remote forward/.exec(ssh.stderr());
      port = Number(match?.[1] ?? 0);
      return port > 0;
    });
    expect(await exchange(port, 'chosen')).toBe('user:chosen');
    await ssh.stop();
  });

  it('cancels a remote forwarding when the user asks (cancel-tcpip-forward)', async () => {
    const client = await connectNested(f);
    try {
      client.inner.on('tcp connection', (_details, accept) => {
        const channel = accept();
        channel.end('from the user');
      });
      const port = await new Promise<number>((resolve, reject) =>
        client.inner.forwardIn('127.0.0.1', 0, (error, chosen) =>
          error ? reject(error) : resolve(chosen),
        ),
      );
      expect(port).toBeGreaterThan(0);
      expect(await exchange(port, '')).toBe('from the user');
      await new Promise<void>((resolve, reject) =>
        client.inner.unforwardIn('127.0.0.1', port, (error) => (error ? reject(error) : resolve())),
      );
      expect(await listening(port)).toBe(false);
    } finally {
      client.close();
    }
  });

  it('forwards Unix sockets both ways where the machine allows it', async () => {
    const dir = join(f.dir, 'sockets');
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o1777);
    await chmod(f.dir, 0o755);
    const machineSocket = await startEchoServer('machine-socket:', join(dir, 'machine.sock'));
    try {
      const localSocket = join(dir, 'local.sock');
      const remoteSocket = join(dir, 'remote.sock');
      const ssh = forwarder([
        '-L',
        `${localSocket}:${join(dir, 'machine.sock')}`,
        '-R',
        `${remoteSocket}:localhost:${userService.port}`,
      ]);
      await waitUntil('both socket forwardings', async () => {
        const local = await exchange(localSocket, 'x', 2000).catch(() => '');
        return local === 'machine-socket:x';
      });
      expect(await exchange(remoteSocket, 'y')).toBe('user:y');
      await ssh.stop();
    } finally {
      await machineSocket.close();
    }
  });
});

describe('forwarding switched off by the controller', () => {
  let f: JumpFixture;
  let service: EchoServer;
  const running: BackgroundProcess[] = [];
  beforeAll(async () => {
    f = await startJumpFixture({
      forwarding: { local: false, remote: false, agent: false, streamlocal: false },
    });
    service = await startEchoServer('machine:');
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await service?.close();
    await f?.close();
  });

  it('refuses -L at once, saying it is the policy', async () => {
    const local = await freePort();
    const ssh = runInBackground('ssh', [
      '-F',
      f.sshConfig,
      '-J',
      `alice@127.0.0.1:${f.port}`,
      '-N',
      '-o',
      'LogLevel=INFO',
      '-L',
      `${local}:127.0.0.1:${service.port}`,
      `${loginUser()}@0.${f.modelUuid}`,
    ]);
    try {
      await waitUntil('the -L listener', () => listening(local));
      expect(await exchange(local, 'hello')).toBe('');
      await waitUntil('the refusal', async () => ssh.stderr().includes('open failed'));
      expect(ssh.stderr()).toContain(
        'administratively prohibited: local port forwarding (-L, -D) is disabled by this ' +
          "controller's policy",
      );
    } finally {
      await ssh.stop();
    }
  });

  it('refuses -R and -A, tells the session why, and runs the command anyway', async () => {
    const remote = await freePort();
    const agent = await startAgent(f.dir);
    running.push(agent.process);
    const result = await f.ssh(`0.${f.modelUuid}`, ['echo still-running'], {
      extraArgs: [
        '-o',
        'LogLevel=INFO',
        '-o',
        `IdentityAgent=${agent.socket}`,
        '-A',
        '-R',
        `${remote}:localhost:${service.port}`,
      ],
    });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('still-running\n');
    const stderr = result.stderr.toString();
    expect(stderr).toContain(`remote port forwarding failed for listen port ${remote}`);
    expect(stderr).toContain("remote port forwarding (-R) is disabled by this controller's policy");
    expect(stderr).toContain("agent forwarding (-A) is disabled by this controller's policy");
    expect(await listening(remote)).toBe(false);
  });
});
