import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginUser, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, startCliWorld } from '../testing/cli-world.js';

let world: CliWorld;
let key: string;
const login = loginUser();

/** alice, granted prod, logged in, with her key added through the CLI itself. */
beforeAll(async () => {
  world = await startCliWorld();
  key = world.alice.privateKeyPath;
  const out = await world.admin('add-user', 'alice');
  const registration = /jsr1_[A-Za-z0-9_-]{43}/.exec(out)?.[0] ?? '';
  await world.admin('grant', 'alice', 'admin', 'prod');
  const loggedIn = await world.cli([
    'login',
    world.apiUrl,
    '--fingerprint',
    world.fingerprint,
    registration,
  ]);
  expect(loggedIn.code).toBe(0);
  const added = await world.cli(['add-ssh-key', world.alice.publicLine]);
  expect(added.stdout).toMatch(/^added key SHA256:\S+ to alice\n$/);
}, 300_000);
afterAll(() => world?.stop());

describe('juju-ssh ssh', { timeout: 180_000 }, () => {
  it('runs a command on app/N and exits with its status', async () => {
    const result = await world.cli([
      'ssh',
      '-m',
      'prod',
      '-i',
      key,
      `${login}@postgresql/0`,
      '--',
      'echo out; echo err >&2; exit 7',
    ]);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.code).toBe(7);
  });

  it('takes the model from JUJU_SSH_MODEL, and a machine id or a target name as the target', async () => {
    const machine = await world.cli(['ssh', '-i', key, '-l', login, '0', '--', 'echo machine'], {
      env: { JUJU_SSH_MODEL: 'prod' },
    });
    expect(machine).toEqual({ code: 0, stdout: 'machine\n', stderr: '' });
    const named = await world.cli([
      'ssh',
      '-i',
      key,
      '-l',
      login,
      `1.postgresql.${world.modelUuid}`,
      'echo',
      'named',
    ]);
    expect(named).toMatchObject({ code: 0, stdout: 'named\n' });
  });

  it('trusts exactly the keys the API gave, in a known_hosts file of its own', async () => {
    const printed = await world.cli(['known-hosts', '-m', 'prod', 'postgresql/0']);
    const lines = printed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${world.sshPort} ssh-ed25519 `));
    expect(lines[1]).toMatch(
      new RegExp(`^0\\.postgresql\\.${world.modelUuid}\\.juju\\.local ssh-ed25519 `),
    );
    const file = join(world.dir, 'homes', 'alice', '.config', 'juju-ssh', 'known_hosts.ctl-a');
    const owned = await readFile(file, 'utf8');
    for (const line of lines) expect(owned).toContain(line);
    const config = await readFile(file.replace('known_hosts', 'ssh_config'), 'utf8');
    expect(config).toContain('StrictHostKeyChecking yes');
  });

  it('names the units there are when the one asked for is missing, and asks for a model', async () => {
    const missing = await world.cli(['ssh', '-m', 'prod', '-i', key, 'postgresql/3', '--', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: no unit postgresql/3 in model prod; units are: postgresql/0, /1\n',
    );
    const noModel = await world.cli(['ssh', 'postgresql/0']);
    expect(noModel.stderr).toBe(
      'error: postgresql/0 names a unit; say which model with -m MODEL or JUJU_SSH_MODEL ' +
        '(your models: prod)\n',
    );
    const hidden = await world.cli(['ssh', '-m', 'secret', 'postgresql/0']);
    expect(hidden.stderr).toBe(
      'error: no model "secret" that you may reach; the models you may reach are: prod\n',
    );
  });

  it('refuses a target once the grant is revoked, before ssh runs', async () => {
    await world.admin('revoke', 'alice', 'admin', 'prod');
    try {
      const refused = await world.cli([
        'ssh',
        '-i',
        key,
        '-l',
        login,
        `0.postgresql.${world.modelUuid}`,
        '--',
        'true',
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `error: you do not have admin access to model ${world.modelUuid}; ask a controller ` +
          'superuser to grant it\n',
      );
    } finally {
      await world.admin('grant', 'alice', 'admin', 'prod');
    }
  });
});

describe('juju-ssh scp and sftp', { timeout: 180_000 }, () => {
  it('copies a file to a unit and back from another unit on the same machine', async () => {
    const local = join(world.dir, 'homes', 'alice', 'payload.txt');
    const remote = join(world.dir, 'uploaded.txt');
    await writeFile(local, 'payload through the controller\n');

    const up = await world.cli([
      'scp',
      '-m',
      'prod',
      '-i',
      key,
      local,
      `${login}@postgresql/0:${remote}`,
    ]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(await readFile(remote, 'utf8')).toBe('payload through the controller\n');

    const back = join(world.dir, 'homes', 'alice', 'back.txt');
    const down = await world.cli([
      'scp',
      '-m',
      'prod',
      '-i',
      key,
      `${login}@postgresql/1:${remote}`,
      back,
    ]);
    expect(down.code).toBe(0);
    expect(await readFile(back, 'utf8')).toBe('payload through the controller\n');
  });

  it('refuses scp without a remote path, saying how to write one', async () => {
    const result = await world.cli(['scp', '-m', 'prod', 'a.txt', 'b.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: none of the paths is remote; write remote paths as TARGET:PATH/,
    );
  });

  it('runs an sftp batch against a machine', async () => {
    const batch = join(world.dir, 'homes', 'alice', 'batch');
    await writeFile(batch, `ls ${world.dir}\n`);
    const result = await world.cli(['sftp', '-m', 'prod', '-i', key, '-b', batch, `${login}@0`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('uploaded.txt');
  });
});

describe('juju-ssh ssh-config', { timeout: 180_000 }, () => {
  it('prints a block that plain ssh uses to reach app-N.model and a machine', async () => {
    const printed = await world.cli(['ssh-config', '-m', 'prod', '-i', key]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('Host juju-ssh-jump.ctl-a\n');
    expect(printed.stdout).toContain(
      `Host postgresql-0.prod\n  HostName 0.postgresql.${world.modelUuid}.juju.local`,
    );
    const file = join(world.dir, 'homes', 'alice', 'plain_ssh_config');
    await writeFile(file, printed.stdout);

    for (const alias of ['postgresql-0.prod', '0.prod']) {
      const result = await runCommand(
        'ssh',
        ['-F', file, '-l', login, alias, 'echo', 'plain', alias],
        {
          timeoutMs: 60_000,
        },
      );
      expect(result.stderr.toString()).toBe('');
      expect(result.stdout.toString()).toBe(`plain ${alias}\n`);
      expect(result.code).toBe(0);
    }
  });
});
