import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CliWorld, startCliWorld } from '../testing/cli-world.js';

let world: CliWorld;
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const STAGING_UUID = '3c2b1a0f-9e8d-4c7b-8a69-5f4e3d2c1b0a';

/** root logs in with an API credential; the admin commands below run as root. */
beforeAll(async () => {
  world = await startCliWorld();
  await world.admin('add-user', 'root', '--superuser');
  const token = (await world.admin('api-token', 'root')).trim();
  const login = await world.cli(
    ['login', world.apiUrl, '--fingerprint', world.fingerprint, '--token', token],
    { home: 'root' },
  );
  expect(login.code).toBe(0);
}, 300_000);
afterAll(() => world?.stop());

const root = (...args: string[]) => world.cli(args, { home: 'root' });
const bob = (...args: string[]) => world.cli(args, { home: 'bob' });

describe('admin commands over the API', { timeout: 180_000 }, () => {
  it('add a user whose printed login command logs them in', async () => {
    const added = await root('add-user', 'bob');
    expect(added.code).toBe(0);
    const command = /juju-ssh login (\S+) --fingerprint (\S+) (jsr1_\S+)/.exec(added.stdout);
    expect(command?.[1]).toBe(world.apiUrl);
    expect(command?.[2]).toBe(world.fingerprint);

    const login = await bob(
      'login',
      command?.[1] ?? '',
      '--fingerprint',
      command?.[2] ?? '',
      command?.[3] ?? '',
    );
    expect(login.code).toBe(0);
    expect((await bob('whoami')).stdout).toBe('bob on controller ctl-a\n');
  });

  it('build a model with machines and units, and grant and revoke access to it', async () => {
    expect((await root('add-model', 'staging', '--uuid', STAGING_UUID)).stdout).toBe(
      `${STAGING_UUID}\n`,
    );
    const machine = await root(
      'add-machine',
      '-m',
      'staging',
      '0',
      '--address',
      '[::1]:2222',
      '--host-key',
      HOST_KEY,
    );
    expect(machine.stdout).toMatch(/^added machine 0 at ::1:2222 \(host key SHA256:\S+\)\n$/);
    await root('update-machine', '-m', 'staging', '0', '--address', '10.9.8.7');
    await root('add-unit', '-m', 'staging', 'redis/0', '--machine', '0');

    const machines = JSON.parse(
      (await root('list-machines', '-m', 'staging', '--format', 'json')).stdout,
    );
    expect(machines).toEqual([
      expect.objectContaining({
        id: '0',
        address: '10.9.8.7',
        port: 22,
        target: `0.${STAGING_UUID}`,
      }),
    ]);
    const units = parse((await root('list-units', '-m', 'staging', '--format', 'yaml')).stdout);
    expect(units).toEqual([
      {
        unit: 'redis/0',
        application: 'redis',
        number: 0,
        machine: '0',
        target: `0.redis.${STAGING_UUID}`,
      },
    ]);

    expect((await bob('list-models')).stdout).toBe('(none)\n');
    expect((await root('grant', 'bob', 'admin', 'staging')).stdout).toBe(
      `granted admin to bob on model staging (${STAGING_UUID})\n`,
    );
    expect((await bob('list-models')).stdout).toMatch(/^MODEL\s+UUID\nstaging\s+3c2b1a0f/);
    const targets = await bob('list-targets', '-m', 'staging');
    expect(targets.stdout).toMatch(
      /\nredis\/0\s+unit\s+0\.redis\.3c2b1a0f\S+\.juju\.local\s+SHA256:/,
    );
    await root('revoke', 'bob', 'admin', 'staging');
    expect((await bob('list-models')).stdout).toBe('(none)\n');
  });

  it('disable and enable a user, and manage keys as the user or as a superuser', async () => {
    expect((await bob('add-ssh-key', HOST_KEY)).stdout).toMatch(/^added key SHA256:\S+ to bob\n$/);
    const listed = await root('list-ssh-keys', '--user', 'bob', '--format', 'json');
    expect(JSON.parse(listed.stdout)).toHaveLength(1);

    expect((await root('disable-user', 'bob')).stdout).toBe('disabled user bob\n');
    const refused = await bob('whoami');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: user bob is disabled; ask a controller superuser to enable it\n',
    );
    await root('enable-user', 'bob');
    expect((await bob('whoami')).code).toBe(0);

    const users = await root('list-users');
    expect(users.stdout).toMatch(/^NAME\s+SUPERUSER\s+DISABLED\nbob\s+no\s+no\nroot\s+yes\s+no\n$/);
  });

  it('refuse admin actions to a user who is not a superuser, saying so', async () => {
    const refused = await bob('add-model', 'mine');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: adding a model needs a controller superuser, and bob is not one\n',
    );
    const theirs = await bob('list-ssh-keys', '--user', 'root');
    expect(theirs.stderr).toBe(
      "error: listing another user's SSH keys needs a controller superuser; you are bob\n",
    );
  });

  it('print a bash completion script naming every command', async () => {
    const script = await bob('completion', 'bash');
    expect(script.stdout).toContain('complete -o default -F _juju_ssh juju-ssh');
    for (const command of ['login', 'ssh', 'scp', 'sftp', 'ssh-config', 'add-machine']) {
      expect(script.stdout).toContain(` ${command}`);
    }
  });
});
