import { generateUserKey } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootstrappedDir, bootstrapTemp } from '../testing/controller-cli.js';

let dir: BootstrappedDir;
// Host keys as machines' sshd would show them: `type base64`, made by ssh-keygen.
let KEY_A: string;
let KEY_B: string;

beforeAll(async () => {
  dir = await bootstrapTemp();
  const typeAndData = (line: string) => line.split(' ').slice(0, 2).join(' ');
  KEY_A = typeAndData((await generateUserKey(dir.path, 'host-a')).publicLine);
  KEY_B = typeAndData((await generateUserKey(dir.path, 'host-b')).publicLine);
  await dir.ok('add-model', 'prod');
});
afterAll(() => dir.cleanup());

describe('machines', () => {
  it('adds machines reached by IPv4, IPv6 and host name, port 22 unless given', async () => {
    await dir.ok('add-machine', '-m', 'prod', '0', '--address', '10.0.0.5', '--host-key', KEY_A);
    await dir.ok('add-machine', '-m', 'prod', '1', '--address', '[::1]:2222', '--host-key', KEY_B);
    const out = await dir.ok(
      'add-machine',
      '-m',
      'prod',
      '0/lxd/1',
      '--address',
      'node-2.internal:22',
      '--host-key',
      `${KEY_A} root@node-2`,
    );
    expect(out).toMatch(/^added machine 0\/lxd\/1 at node-2\.internal:22 \(host key SHA256:/);

    const machines = JSON.parse(await dir.ok('list-machines', '-m', 'prod', '--format', 'json'));
    expect(
      machines.map((m: { id: string; address: string; port: number }) => [m.id, m.address, m.port]),
    ).toEqual([
      ['0', '10.0.0.5', 22],
      ['0/lxd/1', 'node-2.internal', 22],
      ['1', '::1', 2222],
    ]);
    expect(machines[1].hostKey).toBe(KEY_A);
    expect(await dir.ok('list-machines', '-m', 'prod')).toMatch(/\n1\s+\[::1\]:2222\s+SHA256:/);
  });

  it('refuses a duplicate machine, bad address, bad host key and unknown model', async () => {
    await dir.ok('add-machine', '-m', 'prod', '7', '--address', '10.0.0.7', '--host-key', KEY_A);
    const duplicate = await dir.cli(
      'add-machine',
      '-m',
      'prod',
      '7',
      '--address',
      '10.0.0.8',
      '--host-key',
      KEY_A,
    );
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('error: model prod already has machine 7\n');

    const address = await dir.cli(
      'add-machine',
      '-m',
      'prod',
      '8',
      '--address',
      '::1',
      '--host-key',
      KEY_A,
    );
    expect(address.stderr).toBe(
      'error: bad address "::1": write an IPv6 address in brackets, as in [::1]:22\n',
    );

    const key = await dir.cli(
      'add-machine',
      '-m',
      'prod',
      '8',
      '--address',
      '10.0.0.8',
      '--host-key',
      'ssh-ed25519',
    );
    expect(key.code).toBe(1);
    expect(key.stderr).toMatch(/^error: invalid SSH public key/);

    const model = await dir.cli(
      'add-machine',
      '-m',
      'nope',
      '8',
      '--address',
      '10.0.0.8',
      '--host-key',
      KEY_A,
    );
    expect(model.stderr).toBe('error: no model named or with UUID "nope"; see list-models\n');

    const id = await dir.cli(
      'add-machine',
      '-m',
      'prod',
      'x1',
      '--address',
      '10.0.0.8',
      '--host-key',
      KEY_A,
    );
    expect(id.stderr).toMatch(/^error: bad machine id x1/);
  });

  it('updates the address or host key of a machine', async () => {
    await dir.ok('add-machine', '-m', 'prod', '9', '--address', '10.0.0.9', '--host-key', KEY_A);
    await dir.ok('update-machine', '-m', 'prod', '9', '--host-key', KEY_B);
    const moved = JSON.parse(
      await dir.ok(
        'update-machine',
        '-m',
        'prod',
        '9',
        '--address',
        '10.1.0.9:2200',
        '--format',
        'json',
      ),
    );
    expect(moved).toMatchObject({ id: '9', address: '10.1.0.9', port: 2200, hostKey: KEY_B });
  });

  it('refuses to update an unknown machine or to change nothing', async () => {
    const unknown = await dir.cli('update-machine', '-m', 'prod', '99', '--host-key', KEY_B);
    expect(unknown.stderr).toBe('error: model prod has no machine 99\n');
    const nothing = await dir.cli('update-machine', '-m', 'prod', '0');
    expect(nothing.stderr).toBe('error: nothing to change: give --address or --host-key\n');
  });
});

describe('units', () => {
  it('places units on machines and lists them', async () => {
    await dir.ok('add-model', 'apps');
    await dir.ok('add-machine', '-m', 'apps', '0', '--address', '10.2.0.1', '--host-key', KEY_A);
    expect(await dir.ok('add-unit', '-m', 'apps', 'postgresql/0', '--machine', '0')).toBe(
      'added unit postgresql/0 on machine 0\n',
    );
    await dir.ok('add-unit', '-m', 'apps', 'ubuntu/12', '--machine', '0');

    const units = JSON.parse(await dir.ok('list-units', '-m', 'apps', '--format', 'json'));
    expect(units).toHaveLength(2);
    expect(units).toContainEqual(
      expect.objectContaining({ application: 'ubuntu', number: 12, machineId: '0' }),
    );
    expect(await dir.ok('list-units', '-m', 'apps')).toMatch(/\npostgresql\/0\s+0\n/);
  });

  it('refuses a bad unit name, an unknown machine and a duplicate unit', async () => {
    await dir.ok('add-model', 'more');
    await dir.ok('add-machine', '-m', 'more', '0', '--address', '10.3.0.1', '--host-key', KEY_A);

    const name = await dir.cli('add-unit', '-m', 'more', 'postgresql', '--machine', '0');
    expect(name.stderr).toBe(
      'error: bad unit name "postgresql": expected APPLICATION/NUMBER, as in postgresql/0\n',
    );
    const app = await dir.cli('add-unit', '-m', 'more', 'Bad_App/0', '--machine', '0');
    expect(app.stderr).toMatch(/^error: bad application name/);

    const machine = await dir.cli('add-unit', '-m', 'more', 'pg/0', '--machine', '5');
    expect(machine.stderr).toMatch(/^error: model more has no machine 5/);

    await dir.ok('add-unit', '-m', 'more', 'pg/0', '--machine', '0');
    const duplicate = await dir.cli('add-unit', '-m', 'more', 'pg/0', '--machine', '0');
    expect(duplicate.stderr).toBe('error: model more already has unit pg/0\n');
  });
});
