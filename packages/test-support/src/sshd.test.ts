import { readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginUser, loginUserIds } from './login-user.js';
import { runCommand } from './run-command.js';
import { writeSshConfig } from './ssh-config.js';
import { type SshdHandle, startSshd } from './sshd.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { generateUserKey } from './user-key.js';

describe('startSshd', () => {
  let dir: TempDir;
  let sshd: SshdHandle;

  beforeEach(async () => {
    dir = await makeTempDir('sshd-test');
    sshd = await startSshd({ dir: dir.path });
  });

  afterEach(async () => {
    await sshd.stop();
    await dir.cleanup();
  });

  async function ssh(knownHostLine: string, authorize: boolean, command: string) {
    const key = await generateUserKey(dir.path, `user-${Math.random().toString(36).slice(2)}`);
    if (authorize) await writeFile(sshd.authorizedKeysFile, `${key.publicLine}\n`);
    const knownHostsFile = `${key.privateKeyPath}.known_hosts`;
    await writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${knownHostLine}\n`);
    const config = await writeSshConfig(dir.path, {
      identityFile: key.privateKeyPath,
      knownHostsFile,
    });
    const destination = `${loginUser()}@127.0.0.1`;
    return runCommand('ssh', ['-F', config, '-p', String(sshd.port), destination, command], {
      timeoutMs: 20_000,
    });
  }

  it('lets a real ssh client log in with a key put into its authorized_keys file', async () => {
    const result = await ssh(sshd.hostKeyLine, true, 'echo hi; id -un');
    expect(result.stderr.toString()).toBe('');
    expect(result.stdout.toString()).toBe(`hi\n${loginUser()}\n`);
    expect(result.code).toBe(0);
  });

  it('refuses a key that is not in its authorized_keys file', async () => {
    const result = await ssh(sshd.hostKeyLine, false, 'echo hi');
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr.toString()).toMatch(/Permission denied \(publickey\)/);
  });

  it('presents the host key it reports, so a different recorded key is refused', async () => {
    expect(sshd.hostKeyLine).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=*$/);
    const other = await generateUserKey(dir.path, 'not-the-host-key');
    const otherLine = other.publicLine.split(' ').slice(0, 2).join(' ');
    const result = await ssh(otherLine, true, 'echo hi');
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(/HOST IDENTIFICATION HAS CHANGED/);
  });

  it('keeps its authorized_keys file owned by the login user with mode 0600', async () => {
    const info = await stat(sshd.authorizedKeysFile);
    expect(info.mode & 0o777).toBe(0o600);
    expect(info.uid).toBe((await loginUserIds()).uid);
  });

  it('writes what happens to its log file', async () => {
    await ssh(sshd.hostKeyLine, false, 'echo hi');
    const log = await runCommand('cat', [sshd.logFile]);
    expect(log.stdout.toString()).toMatch(/Server listening on 127\.0\.0\.1 port/);
    expect(log.stdout.toString()).toMatch(/Connection from 127\.0\.0\.1/);
  });

  it('stops listening once stopped', async () => {
    const pid = Number((await readFile(join(dir.path, 'sshd.pid'), 'utf8')).trim());
    expect(() => process.kill(pid, 0)).not.toThrow();
    await sshd.stop();
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: sshd.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('runs several servers side by side on different ports', async () => {
    const secondDir = await makeTempDir('sshd-second');
    const second = await startSshd({ dir: secondDir.path });
    try {
      expect(second.port).not.toBe(sshd.port);
      expect(second.hostKeyLine).not.toBe(sshd.hostKeyLine);
    } finally {
      await second.kill();
      await secondDir.cleanup();
    }
  });
});

describe('startSshd extraConfig', () => {
  it('lets an extra line replace the default of the same keyword', async () => {
    const dir = await makeTempDir('sshd-extra');
    const sshd = await startSshd({ dir: dir.path, extraConfig: ['MaxSessions 3', 'Banner none'] });
    try {
      const check = await runCommand('/usr/sbin/sshd', ['-T', '-f', `${dir.path}/sshd_config`]);
      const settings = check.stdout.toString();
      expect(settings).toMatch(/^maxsessions 3$/m);
      expect(settings).toMatch(/^maxstartups 100:30:200$/m);
    } finally {
      await sshd.stop();
      await dir.cleanup();
    }
  });
});
