import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateUserKey, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerWithMachine,
  startControllerWithMachine,
} from '../testing/controller-machine.js';

const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJ0b2tlbi1tdXN0LW5ldmVyLWJlLWxvZ2dlZCJ9.c2lnbmF0dXJlLTk5';

/** Pieces of a secret file long enough to be unmistakable when they show up elsewhere. */
function fragmentsOf(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  if (text.startsWith('-----BEGIN ')) {
    return text
      .split('\n')
      .filter((line) => line.length >= 24 && !line.startsWith('-----'))
      .map((line) => line.slice(0, 24));
  }
  return [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')].map((form) =>
    form.slice(0, 24),
  );
}

/**
 * Everything the controller writes where people look (its log at debug level, the audit file,
 * admin command output) is searched for every secret it holds or is handed: no private key,
 * no session key, no password or token may be there.
 */
describe('secrets in logs and audit records', () => {
  let c: ControllerWithMachine;
  const outputs: string[] = [];

  beforeAll(async () => {
    c = await startControllerWithMachine({ runArgs: ['--log-level', 'debug'] });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  /** Logs in by password through OpenSSH (as JIMM's relay user does), answering with `secret`. */
  async function passwordLogin(user: string, secret: string) {
    const askpass = join(c.home.path, 'askpass.sh');
    await writeFile(askpass, `#!/bin/sh\necho '${secret}'\n`);
    await chmod(askpass, 0o700);
    const result = await runCommand(
      'ssh',
      [
        '-F',
        c.sshConfig,
        '-o',
        'BatchMode=no',
        '-o',
        'PreferredAuthentications=password,keyboard-interactive',
        '-o',
        'PasswordAuthentication=yes',
        '-o',
        'NumberOfPasswordPrompts=2',
        '-p',
        String(c.controller.port),
        `${user}@127.0.0.1`,
        'true',
      ],
      {
        env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
        timeoutMs: 30_000,
      },
    );
    outputs.push(result.stdout.toString(), result.stderr.toString());
    return result;
  }

  it('writes none while serving sessions, refusals and admin commands at debug level', async () => {
    const ok = await c.ssh(`0.${c.modelUuid}`, 'echo fine');
    expect(ok.stdout.toString()).toBe('fine\n');

    const stranger = await generateUserKey(c.home.path, 'stranger');
    const strangerConfig = join(c.home.path, 'stranger_config');
    await writeFile(
      strangerConfig,
      (await readFile(c.sshConfig, 'utf8')).replace(
        c.alice.privateKeyPath,
        stranger.privateKeyPath,
      ),
    );
    const refusedKey = await runCommand(
      'ssh',
      ['-F', strangerConfig, '-p', String(c.controller.port), 'alice@127.0.0.1', 'true'],
      { timeoutMs: 30_000 },
    );
    expect(refusedKey.code).toBe(255);

    expect((await passwordLogin('external-auth', TOKEN)).code).toBe(255);

    const noModel = await c.ssh(`0.${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, 'true');
    expect(noModel.code).toBe(255);

    for (const args of [
      ['add-user', 'bob'],
      ['add-ssh-key', 'bob', stranger.publicLine],
      ['system-key'],
      ['host-key'],
      ['host-key', `0.${c.modelUuid}`],
      ['revoke', 'alice', 'admin', 'prod'],
      ['grant', 'alice', 'admin', 'prod'],
      ['show-config'],
    ]) {
      const result = await c.home.cli(...args, '--log-level', 'debug');
      outputs.push(result.stdout, result.stderr);
    }
    const again = await c.ssh(`0.${c.modelUuid}`, 'echo again');
    expect(again.stdout.toString()).toBe('again\n');

    const secretsDir = join(c.home.dataDir, 'secrets');
    const secretFiles = await readdir(secretsDir);
    expect(secretFiles).toEqual(
      expect.arrayContaining(['jump-host-key', 'system-key', 'virtual-host-key-secret']),
    );
    const forbidden = [TOKEN, 'PRIVATE KEY', 'b3BlbnNzaC1rZXktdjE', '"type":"Buffer"'];
    for (const name of secretFiles) {
      const raw = await readFile(join(secretsDir, name));
      forbidden.push(...fragmentsOf(raw));
    }
    for (const key of [c.alice.privateKeyPath, stranger.privateKeyPath]) {
      const raw = await readFile(key);
      forbidden.push(...fragmentsOf(raw));
    }

    await expect.poll(() => c.controller.lines.some((l) => l.msg === 'session ended')).toBe(true);
    const log = c.controller.lines.map((line) => JSON.stringify(line)).join('\n');
    expect(log).toMatch(/login refused/);
    expect(log).toMatch(/"user":"external-auth","method":"password"/);
    const audit = await c.auditText();
    expect(audit).toMatch(/"event":"auth-failed"/);
    for (const [where, text] of [
      ['log', log],
      ['audit', audit],
      ['command output', outputs.join('\n')],
    ] as const) {
      const found = forbidden.filter((secret) => text.includes(secret));
      expect({ where, found }).toEqual({ where, found: [] });
    }
  }, 240_000);
});
