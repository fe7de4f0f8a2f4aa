import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { isJujuSshError } from '@juju-ssh/core';
import {
  type CommandResult,
  generateUserKey,
  type KeyPair,
  loginUser,
  makeTempDir,
  runCommand,
  type SshdHandle,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEphemeralKey, type EphemeralKey } from './ephemeral-key.js';
import { formatExpiryTime } from './ephemeral-key-line.js';
import { EphemeralKeyManager } from './ephemeral-key-manager.js';
import type { MachineEndpoint } from './host-key-check.js';
import { systemKeyLine } from './system-key-line.js';

const ORIGINAL = [
  '# keys the operator put here',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHzZ2bBTc4jN4Q2G3c2KZsPq0xZmN0K3o3ZyTqXcB0aJ alice@laptop',
  '',
].join('\n');

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let sshd: SshdHandle;
let system: KeyPair;
let machine: MachineEndpoint;
const managers: EphemeralKeyManager[] = [];

async function setUp(extraConfig: string[] = []) {
  dir = await makeTempDir('ephemeral-keys');
  sshd = await startSshd({ dir: dir.path, extraConfig });
  system = await generateUserKey(dir.path, 'system');
  await writeFile(sshd.authorizedKeysFile, `${ORIGINAL}${trustedLine()}\n`);
  machine = {
    address: '127.0.0.1',
    port: sshd.port,
    hostKey: sshd.hostKeyLine,
    description: 'machine 0 in model prod',
  };
}

/** The system key line the machine holds: the current forced command for `ctl-a`. */
function trustedLine(): string {
  return systemKeyLine(system.publicLine, {
    controllerId: 'ctl-a',
    authorizedKeysFile: sshd.authorizedKeysFile,
  });
}

async function manager(
  options: { controllerId?: string; systemKey?: string; idleCloseMs?: number } = {},
) {
  const created = new EphemeralKeyManager({
    controllerId: options.controllerId ?? 'ctl-a',
    systemKey: options.systemKey ?? (await readFile(system.privateKeyPath, 'utf8')),
    ttlSeconds: 300,
    connectTimeoutMs: 5000,
    idleCloseMs: options.idleCloseMs ?? 60_000,
  });
  managers.push(created);
  return created;
}

const authorizedKeys = () => readFile(sshd.authorizedKeysFile, 'utf8');

async function ephemeralLines(): Promise<string[]> {
  return (await authorizedKeys()).split('\n').filter((l) => l.startsWith('expiry-time='));
}

/** Runs `command` on the test sshd with the real OpenSSH client and the given private key. */
async function ssh(privateKey: string | KeyPair, args: string[], input?: string) {
  let identityFile: string;
  if (typeof privateKey === 'string') {
    identityFile = join(dir.path, `id-${Math.random().toString(36).slice(2)}`);
    await writeFile(identityFile, privateKey, { mode: 0o600 });
  } else {
    identityFile = privateKey.privateKeyPath;
  }
  const knownHostsFile = join(dir.path, 'known_hosts');
  await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}\n`);
  const config = await writeSshConfig(dir.path, { identityFile, knownHostsFile });
  const target = `${loginUser()}@127.0.0.1`;
  return runCommand('ssh', ['-F', config, '-p', String(sshd.port), target, ...args], {
    input,
    timeoutMs: 20_000,
  });
}

/** A loopback port that nothing listens on right now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

const logsIn = async (key: EphemeralKey): Promise<CommandResult> =>
  ssh(key.privateKey, ['echo in']);

async function systemLogins(): Promise<number> {
  const fp = (await runCommand('ssh-keygen', ['-l', '-f', system.privateKeyPath])).stdout
    .toString()
    .split(' ')[1];
  const log = await readFile(sshd.logFile, 'utf8');
  return log.split('\n').filter((l) => l.includes('Accepted publickey') && l.includes(`${fp}`))
    .length;
}

afterEach(async () => {
  for (const m of managers.splice(0)) await m.close();
  await sshd.stop();
  await dir.cleanup();
});

describe('EphemeralKeyManager against a real sshd', () => {
  beforeEach(() => setUp());

  it('adds one line with expiry-time and a comment naming both; the key logs in', async () => {
    const before = await authorizedKeys();
    const key = createEphemeralKey();
    const installed = await (await manager()).install(machine, loginUser(), 'sess-1', key);

    const expiry = formatExpiryTime(installed.expiresAt);
    const expected = `expiry-time="${expiry}" ${key.publicLine} juju-ssh-ephemeral:ctl-a:sess-1`;
    expect(await authorizedKeys()).toBe(`${before}${expected}\n`);
    expect(installed.sessionId).toBe('sess-1');
    expect(Math.abs(installed.expiresAt.getTime() - Date.now() - 300_000)).toBeLessThan(5000);

    const login = await logsIn(key);
    expect(login.stderr.toString()).toBe('');
    expect(login.stdout.toString()).toBe('in\n');
  });

  it('removes the line, after which the key no longer logs in; other lines stay', async () => {
    const before = await authorizedKeys();
    const key = createEphemeralKey();
    const installed = await (await manager()).install(machine, loginUser(), 'sess-1', key);
    expect((await logsIn(key)).code).toBe(0);

    await installed.remove();
    await installed.remove();
    expect(await authorizedKeys()).toBe(before);
    const login = await logsIn(key);
    expect(login.code).toBe(255);
    expect(login.stderr.toString()).toMatch(/Permission denied \(publickey\)/);
  });

  it('sweeps only its own lines and leaves those of another controller', async () => {
    const other = await generateUserKey(dir.path, 'other-system');
    const otherLine = systemKeyLine(other.publicLine, {
      controllerId: 'ctl-b',
      authorizedKeysFile: sshd.authorizedKeysFile,
    });
    await writeFile(sshd.authorizedKeysFile, `${await authorizedKeys()}${otherLine}\n`);
    const before = await authorizedKeys();
    const mine = await manager();
    const theirs = await manager({
      controllerId: 'ctl-b',
      systemKey: await readFile(other.privateKeyPath, 'utf8'),
    });

    for (const session of ['a', 'b', 'c']) {
      await mine.install(machine, loginUser(), session, createEphemeralKey());
    }
    const kept = createEphemeralKey();
    await theirs.install(machine, loginUser(), 'a', kept);
    await theirs.install(machine, loginUser(), 'z', createEphemeralKey());

    expect(await mine.sweep(machine, loginUser())).toBe(3);
    const left = await ephemeralLines();
    expect(left).toHaveLength(2);
    expect(left.every((l) => l.includes('juju-ssh-ephemeral:ctl-b:'))).toBe(true);
    expect((await logsIn(kept)).code).toBe(0);

    expect(await mine.sweep(machine, loginUser())).toBe(0);
    expect(await theirs.sweep(machine, loginUser())).toBe(2);
    expect(await authorizedKeys()).toBe(before);
  });

  it('does not let a key whose expiry-time has passed log in', async () => {
    const key = createEphemeralKey();
    const line = `expiry-time="20200101000000Z" ${key.publicLine} juju-ssh-ephemeral:ctl-a:old`;
    const added = await ssh(system, ['add'], `${line}\n`);
    expect(added.code).toBe(0);
    expect(await ephemeralLines()).toEqual([line]);

    const login = await logsIn(key);
    expect(login.code).toBe(255);
    expect(login.stderr.toString()).toMatch(/Permission denied \(publickey\)/);
    expect(await readFile(sshd.logFile, 'utf8')).toMatch(/Refused by key options/);

    // The same key with a future expiry-time logs in, so the past one was the only obstacle.
    await (await manager()).install(machine, loginUser(), 'old', key);
    expect(await ephemeralLines()).toHaveLength(1);
    expect((await logsIn(key)).code).toBe(0);
  });

  it('refuses a machine whose host key differs from the recorded one, naming both', async () => {
    const before = await authorizedKeys();
    const impostor = createEphemeralKey();
    const wrong = { ...machine, hostKey: impostor.publicLine };
    const install = (await manager()).install(wrong, loginUser(), 's', createEphemeralKey());

    const err = await install.catch((e: unknown) => e);
    expect(isJujuSshError(err, 'host-key-mismatch')).toBe(true);
    const message = err instanceof Error ? err.message : '';
    const actual = await runCommand('ssh-keygen', [
      '-l',
      '-f',
      join(dir.path, 'ssh_host_ed25519_key.pub'),
    ]);
    expect(message).toContain('machine 0 in model prod');
    expect(message).toContain(impostor.fingerprint);
    expect(message).toContain(actual.stdout.toString().split(' ')[1]);
    expect(message).toContain('update-machine');
    expect(await authorizedKeys()).toBe(before);
  });

  it('keeps the system key from running a shell command, a subsystem or a forward', async () => {
    const command = await ssh(system, ['id']);
    expect(command.code).toBe(2);
    expect(command.stdout.toString()).not.toMatch(/uid=/);
    expect(command.stderr.toString()).toMatch(/refused: this key may only add, remove or sweep/);

    const forward = await ssh(system, ['-W', `127.0.0.1:${sshd.port}`]);
    expect(forward.code).toBe(255);
    expect(forward.stdout.toString()).not.toMatch(/^SSH-/);
    expect(forward.stderr.toString()).toMatch(
      /stdio forwarding failed|administratively prohibited/,
    );
  });

  it.each([
    ['another controller', (l: string) => l.replace(':ctl-a:', ':ctl-b:')],
    ['no expiry-time', (l: string) => l.replace(/^expiry-time="\d+Z" /, '')],
    ['a command option', (l: string) => `command="/bin/sh",${l}`],
    ['an extra option', (l: string) => l.replace('" ', '",permitopen="*:*" ')],
  ])('refuses a forged add line with %s through the real sshd', async (_, forge) => {
    const before = await authorizedKeys();
    const key = createEphemeralKey();
    const line = `expiry-time="20400101000000Z" ${key.publicLine} juju-ssh-ephemeral:ctl-a:f`;
    const result = await ssh(system, ['add'], `${forge(line)}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.toString()).toMatch(/refused: the input is not one ephemeral key line/);
    expect(await authorizedKeys()).toBe(before);
  });

  it('reports a machine that does not trust the system key', async () => {
    const untrusted = createEphemeralKey();
    const install = (await manager({ systemKey: untrusted.privateKey })).install(
      machine,
      loginUser(),
      's',
      createEphemeralKey(),
    );
    await expect(install).rejects.toThrow(
      /machine 0 in model prod .* refused the controller's system identity key/,
    );
  });

  it('reports a forced command that fails as upstream-failed naming the machine', async () => {
    const broken = systemKeyLine(system.publicLine, {
      controllerId: 'ctl-a',
      authorizedKeysFile: '/proc/no-such-dir/authorized_keys',
    });
    await writeFile(sshd.authorizedKeysFile, `${broken}\n`);
    const err = await (await manager())
      .install(machine, loginUser(), 's', createEphemeralKey())
      .catch((e: unknown) => e);
    expect(isJujuSshError(err, 'upstream-failed')).toBe(true);
    expect(String(err)).toMatch(
      /ephemeral key of session s on machine 0 in model prod .*status 1.*cannot/,
    );
  });

  it('reports a machine that cannot be reached', async () => {
    await sshd.stop();
    const install = (await manager()).install(machine, loginUser(), 's', createEphemeralKey());
    await expect(install).rejects.toThrow(
      /could not reach machine 0 in model prod \(127\.0\.0\.1:/,
    );
  });

  it('tries again after a machine was unreachable', async () => {
    const m = await manager();
    const away = { ...machine, port: await closedPort() };
    await expect(m.install(away, loginUser(), 's', createEphemeralKey())).rejects.toThrow(
      /could not reach/,
    );

    // The machine comes back on that port (a TCP relay to the running sshd).
    const relay = createServer((inbound) => {
      const outbound = connect({ host: '127.0.0.1', port: sshd.port });
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(away.port, '127.0.0.1', resolve));
    try {
      await m.install(away, loginUser(), 's', createEphemeralKey());
      expect(await ephemeralLines()).toHaveLength(1);
    } finally {
      await m.close();
      relay.close();
    }
  });

  it('closes an idle system connection and opens a new one when needed', async () => {
    const m = await manager({ idleCloseMs: 100 });
    await m.install(machine, loginUser(), 'one', createEphemeralKey());
    await new Promise((resolve) => setTimeout(resolve, 400));
    await m.install(machine, loginUser(), 'two', createEphemeralKey());
    expect(await ephemeralLines()).toHaveLength(2);
    expect(await systemLogins()).toBe(2);
  });

  it('reconnects when the system connection drops', async () => {
    const m = await manager();
    await m.install(machine, loginUser(), 'one', createEphemeralKey());
    const listener = (await readFile(join(dir.path, 'sshd.pid'), 'utf8')).trim();
    const children = await runCommand('ps', ['-o', 'pid=', '--ppid', listener]);
    const pids = children.stdout.toString().split(/\s+/).filter(Boolean);
    expect(pids.length).toBeGreaterThan(0);
    await runCommand('kill', ['-KILL', ...pids]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    await m.install(machine, loginUser(), 'two', createEphemeralKey());
    expect(await ephemeralLines()).toHaveLength(2);
    expect(await systemLogins()).toBe(2);
  });
});

describe('EphemeralKeyManager under concurrency', () => {
  // Fewer sessions per connection than requests, so the per-connection limit is what keeps
  // every request inside sshd's MaxSessions.
  beforeEach(() => setUp(['MaxSessions 8']));

  it('runs ten concurrent installs and then ten removes over one system connection', async () => {
    const before = await authorizedKeys();
    const m = await manager();
    const sessions = Array.from({ length: 10 }, (_, i) => `s-${i}`);
    const installed = await Promise.all(
      sessions.map((s) => m.install(machine, loginUser(), s, createEphemeralKey())),
    );
    const lines = await ephemeralLines();
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => l.split(':').at(-1)).sort()).toEqual([...sessions].sort());

    await Promise.all(installed.map((k) => k.remove()));
    expect(await authorizedKeys()).toBe(before);
    expect(await systemLogins()).toBe(1);
  });
});

describe('EphemeralKeyManager removing many keys at once', () => {
  beforeEach(() => setUp());

  async function forcedCommandRuns(): Promise<number> {
    const log = await readFile(sshd.logFile, 'utf8');
    return log.split('\n').filter((l) => l.includes('Starting session: forced-command')).length;
  }

  async function installMany(count: number) {
    const m = await manager();
    const sessions = Array.from({ length: count }, (_, i) => `s-${i}`);
    const installed = [];
    for (const session of sessions) {
      installed.push(await m.install(machine, loginUser(), session, createEphemeralKey()));
    }
    return installed;
  }

  it('removes keys asked for while a removal runs together, in a few runs', async () => {
    const installed = await installMany(30);
    expect(await ephemeralLines()).toHaveLength(30);
    const before = await forcedCommandRuns();

    await Promise.all(installed.map((k) => k.remove()));

    expect(await authorizedKeys()).toBe(`${ORIGINAL}${trustedLine()}\n`);
    expect((await forcedCommandRuns()) - before).toBeLessThanOrEqual(3);
  });

  it('removes one session at a time on a machine whose forced command takes only one', async () => {
    const current = trustedLine();
    const earlier = current
      .replace('\\"$s( $s)*\\"', '\\"$s\\"')
      .replace(/edit \\"\$p\(\$\(printf .*?\)\)\\" \\"\\";;/, 'edit \\"$p$i\\" \\"\\";;');
    expect(earlier).not.toContain('( $s)*');
    expect(earlier).toContain('edit \\"$p$i\\"');
    await writeFile(sshd.authorizedKeysFile, `${ORIGINAL}${earlier}\n`);
    const installed = await installMany(6);

    await Promise.all(installed.map((k) => k.remove()));

    expect(await authorizedKeys()).toBe(`${ORIGINAL}${earlier}\n`);
  });
});

describe('EphemeralKeyManager options', () => {
  it('refuses a bad controller id, lifetime or system key', () => {
    const systemKey = createEphemeralKey().privateKey;
    const base = { controllerId: 'ctl', systemKey, ttlSeconds: 60 };
    expect(() => new EphemeralKeyManager({ ...base, controllerId: 'Bad Id' })).toThrow(
      /controller id/,
    );
    expect(() => new EphemeralKeyManager({ ...base, ttlSeconds: 0 })).toThrow(/lifetime/);
    expect(() => new EphemeralKeyManager({ ...base, systemKey: 'nonsense' })).toThrow(
      /system identity key cannot be read/,
    );
    expect(() => new EphemeralKeyManager(base)).not.toThrow();
  });
});
