import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { configDir } from './config-dir.js';
import { readControllersFile, writeControllersFile } from './controllers-file.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'juju-ssh-cli-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const ENTRY = {
  url: 'https://127.0.0.1:17070',
  fingerprint: `SHA256:${'a'.repeat(43)}`,
  certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  user: 'alice',
  credential: `jsc1_${'b'.repeat(43)}`,
};

describe('the configuration directory', () => {
  it('follows XDG_CONFIG_HOME, then the platform default', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' }, 'linux')).toBe(
      '/x/cfg/juju-ssh',
    );
    expect(configDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.config/juju-ssh');
    expect(configDir({ HOME: '/Users/a' }, 'darwin')).toBe(
      '/Users/a/Library/Application Support/juju-ssh',
    );
  });
});

describe('controllers.yaml', () => {
  it('round-trips, written owner-only in an owner-only directory', () => {
    const file = join(tempDir(), 'juju-ssh', 'controllers.yaml');
    writeControllersFile(file, { current: 'ctl-a', controllers: { 'ctl-a': ENTRY } });

    expect(readControllersFile(file)).toEqual({
      current: 'ctl-a',
      controllers: { 'ctl-a': ENTRY },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('refuses a file others may read, and one that is damaged, saying what to do', () => {
    const dir = tempDir();
    const file = join(dir, 'controllers.yaml');
    writeControllersFile(file, { controllers: { 'ctl-a': ENTRY } });
    chmodSync(file, 0o644);
    expect(() => readControllersFile(file)).toThrow(
      `${file} holds API credentials but has mode 0644; restrict it with: chmod 600 ${file}`,
    );

    writeFileSync(file, 'controllers:\n  ctl-a:\n    url: x\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => readControllersFile(file)).toThrow(
      `${file}: controller "ctl-a" is incomplete; fix it or remove it and log in again`,
    );
    expect(readControllersFile(join(dir, 'missing.yaml'))).toEqual({ controllers: {} });
  });
});
