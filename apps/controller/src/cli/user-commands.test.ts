import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateUserKey, type KeyPair } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootstrappedDir, bootstrapTemp } from '../testing/controller-cli.js';

let dir: BootstrappedDir;
let key: KeyPair;
let other: KeyPair;

beforeAll(async () => {
  dir = await bootstrapTemp();
  key = await generateUserKey(dir.path, 'alice@laptop');
  other = await generateUserKey(dir.path, 'alice@desktop');
});
afterAll(() => dir.cleanup());

describe('users', () => {
  it('adds users, superusers among them, and lists them as a table or JSON', async () => {
    expect(await dir.ok('add-user', 'ann')).toMatch(/^added user ann\nregistration string/);
    expect(await dir.ok('add-user', 'root-ann', '--superuser')).toMatch(
      /^added user root-ann \(superuser\)\n/,
    );

    const table = await dir.ok('list-users');
    expect(table).toMatch(/^NAME\s+SUPERUSER\s+DISABLED\n/);
    expect(table).toMatch(/\nann\s+no\s+no\n/);
    expect(table).toMatch(/\nroot-ann\s+yes\s+no\n/);

    const users = JSON.parse(await dir.ok('list-users', '--format', 'json'));
    expect(users).toContainEqual({ name: 'root-ann', superuser: true, disabled: false });
  });

  it('refuses a user that already exists', async () => {
    await dir.ok('add-user', 'bob');
    const again = await dir.cli('add-user', 'bob');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('error: user bob already exists\n');
  });

  it('disables and enables a user', async () => {
    await dir.ok('add-user', 'carol');
    expect(await dir.ok('disable-user', 'carol')).toBe('disabled user carol\n');
    const disabled = JSON.parse(await dir.ok('list-users', '--format', 'json'));
    expect(disabled).toContainEqual({ name: 'carol', superuser: false, disabled: true });

    const enabled = JSON.parse(await dir.ok('enable-user', 'carol', '--format', 'json'));
    expect(enabled).toEqual({ name: 'carol', superuser: false, disabled: false });
  });

  it('refuses to change a user that does not exist', async () => {
    for (const verb of ['disable-user', 'enable-user']) {
      const result = await dir.cli(verb, 'nobody');
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: .*nobody/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('ssh keys', () => {
  it('registers a key line and removes it by fingerprint', async () => {
    await dir.ok('add-user', 'dave');
    const added = JSON.parse(
      await dir.ok('add-ssh-key', 'dave', key.publicLine, '--format', 'json'),
    );
    expect(added).toEqual([
      expect.objectContaining({ user: 'dave', type: 'ssh-ed25519', comment: 'alice@laptop' }),
    ]);
    const fingerprint: string = added[0].fingerprint;
    expect(await dir.ok('list-ssh-keys', 'dave')).toContain(fingerprint);

    expect(await dir.ok('remove-ssh-key', 'dave', fingerprint)).toBe(
      `removed key ${fingerprint} from dave\n`,
    );
    expect(await dir.ok('list-ssh-keys', 'dave')).toBe('(none)\n');
  });

  it('registers every key of an authorized_keys file and removes one by comment', async () => {
    await dir.ok('add-user', 'erin');
    const file = join(dir.path, 'erin.keys');
    writeFileSync(file, `# erin's keys\n${key.publicLine}\n\n${other.publicLine}\n`);
    const out = await dir.ok('add-ssh-key', 'erin', '--file', file);
    expect(out.trim().split('\n')).toHaveLength(2);

    await dir.ok('remove-ssh-key', 'erin', 'alice@desktop');
    const keys = JSON.parse(await dir.ok('list-ssh-keys', 'erin', '--format', 'json'));
    expect(keys.map((k: { comment: string }) => k.comment)).toEqual(['alice@laptop']);
  });

  it('refuses a bad key line, and a file with one bad line adds nothing', async () => {
    await dir.ok('add-user', 'frank');
    const bad = await dir.cli('add-ssh-key', 'frank', 'ssh-ed25519 not-base64!');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: invalid SSH public key: the key data is not valid base64\n');

    const file = join(dir.path, 'frank.keys');
    writeFileSync(file, `${other.publicLine}\nssh-dss AAAA frank\n`);
    const fromFile = await dir.cli('add-ssh-key', 'frank', '--file', file);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toMatch(
      new RegExp(`^error: ${file}:2: invalid SSH public key: unsupported key type "ssh-dss"`),
    );
    expect(await dir.ok('list-ssh-keys', 'frank')).toBe('(none)\n');
  });

  it('refuses a key for an unknown user, a line with --file, and no key at all', async () => {
    const unknown = await dir.cli('add-ssh-key', 'nobody', key.publicLine);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*nobody/);

    const both = await dir.cli('add-ssh-key', 'frank', key.publicLine, '--file', '/dev/null');
    expect(both.stderr).toBe('error: give either a key line or --file PATH, not both\n');
    const neither = await dir.cli('add-ssh-key', 'frank');
    expect(neither.stderr).toBe('error: give either a key line or --file PATH, not both\n');
  });

  it('refuses to remove a key the user does not have', async () => {
    await dir.ok('add-user', 'gina');
    const result = await dir.cli('remove-ssh-key', 'gina', 'SHA256:nothing');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*gina/);
  });
});
