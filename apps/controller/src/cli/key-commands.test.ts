import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateUserKey, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootstrappedDir, bootstrapTemp } from '../testing/controller-cli.js';

const UUID = '8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a';
const OTHER_UUID = '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b';

let dir: BootstrappedDir;

beforeAll(async () => {
  dir = await bootstrapTemp('--controller-id', 'ctl-keys');
  const hostKey = (await generateUserKey(dir.path, 'machine-host-key')).publicLine;
  await dir.ok('add-model', 'prod', '--uuid', UUID);
  for (const id of ['0', '1']) {
    await dir.ok(
      'add-machine',
      '-m',
      'prod',
      id,
      '--address',
      `10.0.0.${id}`,
      '--host-key',
      hostKey,
    );
  }
  await dir.ok('add-unit', '-m', 'prod', 'postgresql/0', '--machine', '0');
  await dir.ok('add-unit', '-m', 'prod', 'ubuntu/3', '--machine', '0');
  await dir.ok('add-unit', '-m', 'prod', 'ubuntu/4', '--machine', '1');
});
afterAll(() => dir.cleanup());

/** The public half ssh-keygen reads from a private key file, as `type base64`. */
async function publicHalf(privateKeyFile: string): Promise<string> {
  const result = await runCommand('ssh-keygen', ['-y', '-f', privateKeyFile]);
  return result.stdout.toString('utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

describe('system-key', () => {
  it("prints one restricted authorized_keys line with the system key's public half", async () => {
    const line = (await dir.ok('system-key')).trim();
    const systemKey = await publicHalf(join(dir.dataDir, 'secrets', 'system-key'));
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^command="[^\n]*",restrict ssh-ed25519 /);
    expect(line).toContain(`,restrict ${systemKey} `);
    expect(line).toMatch(/ctl-keys$/);
  });

  it('names the authorized_keys file it is told to edit, in text and JSON', async () => {
    const out = await dir.ok(
      'system-key',
      '--authorized-keys-file',
      '/srv/keys/authorized_keys',
      '--format',
      'json',
    );
    const { authorizedKeysLine } = JSON.parse(out);
    expect(authorizedKeysLine).toContain('/srv/keys/authorized_keys');
  });
});

describe('host-key', () => {
  it('prints the jump host key without a target', async () => {
    const printed = (await dir.ok('host-key')).trim();
    expect(printed).toBe(await publicHalf(join(dir.dataDir, 'secrets', 'jump-host-key')));
  });

  it('prints one virtual host key for every unit on a machine, and for the machine', async () => {
    const postgres = await dir.ok('host-key', `0.postgresql.${UUID}`);
    const ubuntu = await dir.ok('host-key', `3.ubuntu.${UUID}.juju.local`);
    const machine = await dir.ok('host-key', `0.${UUID}`);
    expect(postgres).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]{68}\n$/);
    expect(ubuntu).toBe(postgres);
    expect(machine).toBe(postgres);

    const elsewhere = await dir.ok('host-key', `4.ubuntu.${UUID}`);
    expect(elsewhere).not.toBe(postgres);
    expect(await dir.ok('host-key')).not.toBe(postgres);
  });

  it('prints the same key on every run', async () => {
    const first = await dir.ok('host-key', `0.postgresql.${UUID}`);
    const second = await dir.ok('host-key', `3.ubuntu.${UUID}`);
    expect(second).toBe(first);
  });

  it('prints a line ssh-keygen reads, and its fingerprint as JSON', async () => {
    const out = JSON.parse(await dir.ok('host-key', `1.${UUID}`, '--format', 'json'));
    const file = join(dir.path, 'virtual.pub');
    writeFileSync(file, `${out.publicLine}\n`);
    const listed = await runCommand('ssh-keygen', ['-l', '-f', file]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.toString('utf8')).toContain(out.fingerprint);
    expect(out.target).toBe(`1.${UUID}`);
  });

  it('refuses unknown units, machines and models, and malformed names, clearly', async () => {
    const unit = await dir.cli('host-key', `9.postgresql.${UUID}`);
    expect(unit.code).toBe(1);
    expect(unit.stderr).toBe(`error: model ${UUID} has no unit postgresql/9\n`);

    const machine = await dir.cli('host-key', `5.${UUID}`);
    expect(machine.stderr).toBe(`error: model ${UUID} has no machine 5\n`);

    const model = await dir.cli('host-key', `0.postgresql.${OTHER_UUID}`);
    expect(model.stderr).toBe(`error: no model with UUID ${OTHER_UUID}; see list-models\n`);

    const malformed = await dir.cli('host-key', '0.postgresql.not-a-uuid');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^error: bad model UUID "not-a-uuid"/);
  });
});
