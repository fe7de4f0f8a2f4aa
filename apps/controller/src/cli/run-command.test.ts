import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '@juju-ssh/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BootstrappedDir, bootstrapTemp, startController } from '../testing/controller-cli.js';

let dir: BootstrappedDir;

beforeEach(async () => {
  dir = await bootstrapTemp();
});
afterEach(() => dir.cleanup());

describe('run', () => {
  it('serves its jump host key on the bound port and exits 0 on SIGTERM', async () => {
    const running = await startController(dir.dataDir);
    expect(running.host).toBe('127.0.0.1');
    expect(running.port).toBeGreaterThan(0);

    const scan = await runCommand('ssh-keyscan', [
      '-T',
      '5',
      '-t',
      'ed25519',
      '-p',
      String(running.port),
      '127.0.0.1',
    ]);
    const jumpHostKey = (await dir.ok('host-key')).trim();
    expect(scan.stdout.toString('utf8')).toContain(`[127.0.0.1]:${running.port} ${jumpHostKey}`);

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.lines.map((line) => line.msg)).toContain('stopped');
    expect(running.lines.every((line) => typeof line.level === 'number')).toBe(true);
  });

  it('stops on SIGINT with status 0 as well', async () => {
    const running = await startController(dir.dataDir);
    expect(await running.stop('SIGINT')).toBe(0);
  });

  it('lets admin commands change the store while it serves', async () => {
    const running = await startController(dir.dataDir);
    try {
      await dir.ok('add-user', 'alice');
      await dir.ok('add-model', 'prod');
      await dir.ok('grant', 'alice', 'admin', 'prod');
      expect(await dir.ok('list-users')).toContain('alice');
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it('refuses to start with a secret file others can read, naming the file', async () => {
    for (const name of ['virtual-host-key-secret', 'jump-host-key', 'system-key']) {
      const file = join(dir.dataDir, 'secrets', name);
      chmodSync(file, 0o644);
      const result = await dir.cli('run', '--ssh-address', '127.0.0.1:0');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: secret file ${file} has mode 0644, which gives its group or others access; ` +
          `restrict it with: chmod 600 ${file}\n`,
      );
      chmodSync(file, 0o600);
    }
  });

  it('refuses a bad setting before it listens', async () => {
    const result = await dir.cli('run', '--ssh-address', '127.0.0.1:0', '--max-connections', '0');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: bad value "0" for setting max-connections from flag --max-connections; ' +
        'expected a whole number from 1 to 1000000\n',
    );
  });

  it('says so when its port is taken', async () => {
    const first = await startController(dir.dataDir);
    try {
      const second = await dir.cli('run', '--ssh-address', `127.0.0.1:${first.port}`);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${first.port}: .*EADDRINUSE`),
      );
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await first.stop();
    }
  });
});
