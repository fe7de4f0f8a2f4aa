import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv, controllerCli, controllerOk, type TempDir } from '../testing/controller-cli.js';

let temp: TempDir;
let dataDir: string;

beforeEach(async () => {
  temp = await makeTempDir('bootstrap');
  dataDir = join(temp.path, 'nested', 'data');
});
afterEach(() => temp.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;

/** The `type base64` of a key file's public half, as ssh-keygen derives it. */
async function publicHalf(privateKeyFile: string): Promise<string> {
  const result = await runCommand('ssh-keygen', ['-y', '-f', privateKeyFile]);
  expect(result.code).toBe(0);
  return result.stdout.toString('utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

describe('bootstrap', () => {
  it('creates a 0700 data directory with 0600 secrets, store, audit and settings', async () => {
    const out = await controllerOk(['bootstrap', '--data-dir', dataDir]);
    expect(out).toContain(`bootstrapped controller controller-`);

    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'secrets'))).toBe(0o700);
    const secrets = [
      'api-ca-cert.pem',
      'api-ca-key.pem',
      'api-cert.pem',
      'api-key.pem',
      'jump-host-key',
      'system-key',
      'virtual-host-key-secret',
    ];
    expect(readdirSync(join(dataDir, 'secrets')).sort()).toEqual(secrets);
    for (const name of secrets) {
      expect(mode(join(dataDir, 'secrets', name))).toBe(0o600);
    }
    expect(statSync(join(dataDir, 'secrets', 'virtual-host-key-secret')).size).toBe(32);
    expect(mode(join(dataDir, 'audit.jsonl'))).toBe(0o600);
    expect(existsSync(join(dataDir, 'store.db'))).toBe(true);

    const settings = parse(readFileSync(join(dataDir, 'controller.yaml'), 'utf8'));
    expect(settings['controller-id']).toMatch(/^controller-[0-9a-f]{8}$/);
    expect(settings['ssh-address']).toBe('0.0.0.0:17022');
    // Nothing but the data directory is left beside it.
    expect(readdirSync(join(temp.path, 'nested'))).toEqual(['data']);
  });

  it('writes the generated keys as OpenSSH private keys that ssh-keygen reads', async () => {
    await controllerOk(['bootstrap', '--data-dir', dataDir]);
    const jump = await publicHalf(join(dataDir, 'secrets', 'jump-host-key'));
    expect(jump).toMatch(/^ssh-ed25519 /);
    expect((await controllerOk(['host-key', '--data-dir', dataDir])).trim()).toBe(jump);
    expect(await publicHalf(join(dataDir, 'secrets', 'system-key'))).toMatch(/^ssh-ed25519 /);
  });

  it('refuses a second bootstrap and leaves the first one as it was', async () => {
    await controllerOk(['bootstrap', '--data-dir', dataDir]);
    const key = readFileSync(join(dataDir, 'secrets', 'jump-host-key'));
    const settings = readFileSync(join(dataDir, 'controller.yaml'));

    const again = await controllerCli(['bootstrap', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: data directory ${dataDir} is already bootstrapped; bootstrap never overwrites a ` +
        'controller (choose another --data-dir, or move this one aside first)\n',
    );
    expect(readFileSync(join(dataDir, 'secrets', 'jump-host-key'))).toEqual(key);
    expect(readFileSync(join(dataDir, 'controller.yaml'))).toEqual(settings);
  });

  it('refuses a directory that already holds other files', async () => {
    const busy = join(temp.path, 'busy');
    await controllerOk(['bootstrap', '--data-dir', join(busy, 'other')]);
    const result = await controllerCli(['bootstrap', '--data-dir', busy]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`data directory ${busy} is not empty`);
  });

  it('uses a supplied jump host key made by ssh-keygen, ed25519 or ECDSA', async () => {
    for (const type of ['ed25519', 'ecdsa']) {
      const keyFile = join(temp.path, `operator-${type}`);
      await runCommand('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', keyFile]);
      const dir = join(temp.path, `with-${type}`);
      await controllerOk(['bootstrap', '--data-dir', dir, '--jump-host-key', keyFile]);

      const printed = (await controllerOk(['host-key', '--data-dir', dir])).trim();
      expect(printed).toBe(await publicHalf(keyFile));
      expect(mode(join(dir, 'secrets', 'jump-host-key'))).toBe(0o600);
    }
  });

  it('refuses a supplied public key or passphrase-protected key, creating nothing', async () => {
    const keyFile = join(temp.path, 'operator');
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', keyFile]);

    const encrypted = await controllerCli([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--jump-host-key',
      keyFile,
    ]);
    expect(encrypted.code).toBe(1);
    expect(encrypted.stderr).toMatch(
      new RegExp(`^error: host key ${keyFile} is protected by a passphrase`),
    );

    const pub = await controllerCli([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--jump-host-key',
      `${keyFile}.pub`,
    ]);
    expect(pub.code).toBe(1);
    expect(pub.stderr).toContain(`${keyFile}.pub`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('writes the controller id and ssh address it is given, and reports them as JSON', async () => {
    const out = await controllerOk([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--controller-id',
      'ctl-east',
      '--ssh-address',
      '[::1]:2222',
      '--format',
      'json',
    ]);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ dataDir, controllerId: 'ctl-east', sshAddress: '[::1]:2222' });
    expect(report.jumpHostKey.fingerprint).toMatch(/^SHA256:/);

    const settings = parse(readFileSync(join(dataDir, 'controller.yaml'), 'utf8'));
    expect(settings).toEqual({ 'controller-id': 'ctl-east', 'ssh-address': '[::1]:2222' });
  });

  it('refuses a bad controller id before creating anything', async () => {
    const result = await controllerCli([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--controller-id',
      'Bad_Id',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: bad value "Bad_Id" for setting controller-id from flag/);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('commands on a data directory that was never bootstrapped', () => {
  it('say so and name bootstrap', async () => {
    for (const args of [['list-users'], ['host-key'], ['run'], ['add-model', 'm']]) {
      const result = await controllerCli([...args, '--data-dir', dataDir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `error: data directory ${dataDir} does not exist; create it with: ` +
          `juju-ssh-controller bootstrap --data-dir ${dataDir}\n`,
      );
    }
  });

  it('finds the data directory through JUJU_SSH_DATA_DIR', async () => {
    const result = await controllerCli(['list-users'], {
      env: cleanEnv({ JUJU_SSH_DATA_DIR: dataDir }),
    });
    expect(result.stderr).toContain(`data directory ${dataDir} does not exist`);
  });
});
