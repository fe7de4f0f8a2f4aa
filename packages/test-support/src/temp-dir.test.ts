import { access, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loginUser, loginUserIds } from './login-user.js';
import { runCommand } from './run-command.js';
import { makeTempDir } from './temp-dir.js';
import { generateUserKey } from './user-key.js';

describe('makeTempDir', () => {
  it('makes a directory under the system temp dir that the login user owns', async () => {
    const dir = await makeTempDir('owned');
    try {
      expect(dir.path.startsWith(tmpdir())).toBe(true);
      const info = await stat(dir.path);
      expect(info.isDirectory()).toBe(true);
      expect(info.uid).toBe((await loginUserIds()).uid);
    } finally {
      await dir.cleanup();
    }
  });

  it('removes the directory and its contents on cleanup', async () => {
    const dir = await makeTempDir('removed');
    await generateUserKey(dir.path, 'k');
    await dir.cleanup();
    await expect(access(dir.path)).rejects.toThrow(/ENOENT/);
  });
});

describe('generateUserKey', () => {
  it('writes an ed25519 key of mode 0600 whose public line ssh-keygen agrees with', async () => {
    const dir = await makeTempDir('keys');
    try {
      const key = await generateUserKey(dir.path, 'alice');
      expect((await stat(key.privateKeyPath)).mode & 0o777).toBe(0o600);
      expect(key.publicLine).toMatch(/^ssh-ed25519 AAAA\S+ alice$/);
      const derived = await runCommand('ssh-keygen', ['-y', '-f', key.privateKeyPath]);
      expect(derived.stdout.toString().split(' ').slice(0, 2)).toEqual(
        key.publicLine.split(' ').slice(0, 2),
      );
      expect(await readFile(`${key.privateKeyPath}.pub`, 'utf8')).toBe(`${key.publicLine}\n`);
    } finally {
      await dir.cleanup();
    }
  });
});

describe('loginUser', () => {
  it('names jujutest as root and the current account otherwise', () => {
    const expected = process.getuid?.() === 0 ? 'jujutest' : process.env.USER;
    expect(loginUser()).toBe(expected);
  });
});
