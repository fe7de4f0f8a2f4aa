import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBootstrapped, dataDirPaths, resolveDataDir } from './data-dir.js';

describe('resolveDataDir', () => {
  it('prefers the flag, then JUJU_SSH_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { JUJU_SSH_DATA_DIR: '/env/dir', XDG_DATA_HOME: '/xdg', HOME: '/home/op' };
    expect(resolveDataDir('/flag/dir', env)).toBe('/flag/dir');
    expect(resolveDataDir(undefined, env)).toBe('/env/dir');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg', HOME: '/home/op' })).toBe(
      '/xdg/juju-ssh/controller',
    );
    expect(resolveDataDir(undefined, { HOME: '/home/op' })).toBe(
      '/home/op/.local/share/juju-ssh/controller',
    );
  });

  it('treats empty variables as unset and makes relative paths absolute', () => {
    const dir = resolveDataDir(undefined, { JUJU_SSH_DATA_DIR: '', XDG_DATA_HOME: 'rel' });
    expect(dir).toBe(join(process.cwd(), 'rel', 'juju-ssh', 'controller'));
  });
});

describe('assertBootstrapped', () => {
  it('names the directory and the bootstrap command when it is missing or empty', () => {
    const temp = mkdtempSync(join(tmpdir(), 'data-dir-'));
    try {
      const missing = dataDirPaths(join(temp, 'nowhere'));
      expect(() => assertBootstrapped(missing)).toThrow(/does not exist.*bootstrap --data-dir/);
      expect(() => assertBootstrapped(dataDirPaths(temp))).toThrow(
        /has not been bootstrapped.*juju-ssh-controller bootstrap/,
      );
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
