import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { loginUser, runCommand } from '@juju-ssh/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerWithMachine,
  startControllerWithMachine,
} from '../testing/controller-machine.js';

const TTL_SECONDS = 30;

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** When an `expiry-time="YYYYMMDDHHMMSSZ"` option says the line stops working. */
function expiryOf(line: string): number {
  const match = /expiry-time="(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z"/.exec(line);
  if (match === null) throw new Error(`no expiry-time in ${line}`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
}

/**
 * Offers the public half of a key to sshd and reports whether sshd would take it (OpenSSH's
 * "Server accepts key"); no private key is needed for that question.
 */
async function sshdAcceptsKey(port: number, publicKeyFile: string): Promise<boolean> {
  const result = await runCommand(
    'ssh',
    [
      '-v',
      '-F',
      '/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'IdentityAgent=none',
      '-i',
      publicKeyFile,
      '-p',
      String(port),
      `${loginUser()}@127.0.0.1`,
      'true',
    ],
    { timeoutMs: 20_000 },
  );
  return result.stderr.toString().includes(`Server accepts key: ${publicKeyFile}`);
}

describe('a controller killed with SIGKILL mid-session', () => {
  let c: ControllerWithMachine | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('leaves a key that stops working at its expiry and is swept by the next start', async () => {
    c = await startControllerWithMachine({
      runArgs: ['--ephemeral-key-ttl', String(TTL_SECONDS)],
      sshdConfig: ['LogLevel DEBUG1'],
    });
    const running = c.ssh(`0.${c.modelUuid}`, 'sleep 120');
    await expect.poll(() => c?.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);
    const [line = ''] = await c.ephemeralLines();
    await c.controller.stop('SIGKILL');
    expect((await running).code).toBe(255);
    expect(await c.ephemeralLines()).toEqual([line]);

    const expiresAt = expiryOf(line);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    const [type, data] = line.replace(/^expiry-time="[^"]*" /, '').split(' ');
    const leftover = join(c.home.path, 'leftover.pub');
    await writeFile(leftover, `${type} ${data}\n`, { mode: 0o600 });
    expect(await sshdAcceptsKey(c.sshd.port, leftover)).toBe(true);
    expect(Date.now()).toBeLessThan(expiresAt);

    while (Date.now() < expiresAt + 1500) await new Promise((r) => setTimeout(r, 250));
    expect(await sshdAcceptsKey(c.sshd.port, leftover)).toBe(false);
    expect(await readFile(c.sshd.logFile, 'utf8')).toMatch(/authorized_keys:\d+: entry expired/);

    const restarted = await c.start();
    expect(restarted.lines.find((l) => l.msg === 'swept leftover ephemeral keys')).toMatchObject({
      swept: 1,
      failed: 0,
    });
    expect(await c.ephemeralLines()).toEqual([]);
  }, 240_000);
});

describe('a machine that fails', () => {
  let c: ControllerWithMachine;
  beforeAll(async () => {
    c = await startControllerWithMachine();
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it('that no sshd answers: a prompt, clear error; other sessions go on', async () => {
    const port = await closedPort();
    await c.addMachineRecord('1', '127.0.0.1', port, c.sshd.hostKeyLine);
    const other = c.ssh(`0.${c.modelUuid}`, 'sleep 4; echo other-ok');
    const started = Date.now();
    const result = await c.ssh(`1.${c.modelUuid}`, 'echo never');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr.toString()).toContain(
      `cannot reach machine 1 in model prod at 127.0.0.1:${port}: connection refused ` +
        '(is sshd running?)',
    );
    expect((await other).stdout.toString()).toBe('other-ok\n');
  }, 120_000);

  it('whose sshd refuses the controller: a clear error; other sessions go on', async () => {
    const refusing = await c.addMachine('2');
    await writeFile(refusing.authorizedKeysFile, '');
    const other = c.ssh(`0.${c.modelUuid}`, 'sleep 4; echo other-ok');
    const result = await c.ssh(`2.${c.modelUuid}`, 'echo never');
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr.toString()).toMatch(/juju-ssh: .*machine 2 in model prod/);
    expect(result.stderr.toString()).toMatch(/refused the controller's system identity key/);
    expect((await other).stdout.toString()).toBe('other-ok\n');
    expect(await c.ephemeralLines(refusing)).toEqual([]);
  }, 120_000);

  it('whose sshd is killed mid-session: the session says so; other sessions go on', async () => {
    const doomed = await c.addMachine('3');
    const pidFile = join(dirname(doomed.authorizedKeysFile), 'session-sshd.pid');
    const running = c.ssh(`3.${c.modelUuid}`, `echo $PPID > ${pidFile}; echo up; sleep 60`);
    const other = c.ssh(`0.${c.modelUuid}`, 'sleep 8; echo other-ok');
    await expect
      .poll(() => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 20_000 })
      .toMatch(/^\d+\n$/);
    await doomed.kill();
    process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGKILL');

    const result = await running;
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('up\n');
    expect(result.stderr.toString()).toMatch(/juju-ssh: the connection to the machine ended/);
    expect((await other).stdout.toString()).toBe('other-ok\n');
    await expect
      .poll(() => c.controller.lines.some((l) => String(l.msg).startsWith('could not remove')), {
        timeout: 20_000,
      })
      .toBe(true);
    const after = await c.ssh(`0.${c.modelUuid}`, 'echo still-serving');
    expect(after.stdout.toString()).toBe('still-serving\n');
  }, 120_000);
});
