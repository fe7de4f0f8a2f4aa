import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { knownHostsName, updateKnownHosts } from './known-hosts-file.js';

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'juju-ssh-known-hosts-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'config', 'known_hosts.ctl-a');
}

describe('the CLI known_hosts file', () => {
  it('replaces the lines of hosts fetched again and keeps the others, owner-only', () => {
    const file = tempFile();
    updateKnownHosts(file, [
      { host: knownHostsName('127.0.0.1', 17022), publicLine: 'ssh-ed25519 AAAA1' },
      { host: 'a.juju.local', publicLine: 'ssh-ed25519 AAAA2' },
    ]);
    updateKnownHosts(file, [{ host: 'a.juju.local', publicLine: 'ssh-ed25519 AAAA3' }]);

    expect(readFileSync(file, 'utf8')).toBe(
      '[127.0.0.1]:17022 ssh-ed25519 AAAA1\na.juju.local ssh-ed25519 AAAA3\n',
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(knownHostsName('Host.Example', 22)).toBe('host.example');
  });

  it('loses no line when several processes update it at once', async () => {
    const file = tempFile();
    updateKnownHosts(file, [{ host: 'seed.juju.local', publicLine: 'ssh-ed25519 AAAA0' }]);
    // Separate processes run the built module, as separate juju-ssh runs would.
    const module = new URL('../../dist/ssh/known-hosts-file.js', import.meta.url).pathname;
    const writers = Array.from({ length: 6 }, (_, index) => {
      const script =
        `const { updateKnownHosts } = await import(${JSON.stringify(module)});` +
        `for (let i = 0; i < 10; i++) updateKnownHosts(${JSON.stringify(file)}, ` +
        `[{ host: 'w${index}-' + i + '.juju.local', publicLine: 'ssh-ed25519 AAAA${index}' }]);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: 'inherit',
      });
      return new Promise<number | null>((done) => child.once('exit', done));
    });
    expect(await Promise.all(writers)).toEqual([0, 0, 0, 0, 0, 0]);

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(61);
  });
});
