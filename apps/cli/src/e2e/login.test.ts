import { statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type CliWorld, startCliWorld } from '../testing/cli-world.js';

let world: CliWorld;

beforeAll(async () => {
  world = await startCliWorld();
  await world.admin('add-user', 'root', '--superuser');
}, 240_000);
afterAll(() => world?.stop());

/** The registration string add-user printed for `name`. */
async function register(name: string): Promise<string> {
  const out = await world.admin('add-user', name);
  const match = /jsr1_[A-Za-z0-9_-]{43}/.exec(out);
  if (match === null) throw new Error(`no registration string in: ${out}`);
  return match[0];
}

const controllersFile = (home: string) =>
  join(world.dir, 'homes', home, '.config', 'juju-ssh', 'controllers.yaml');

describe('juju-ssh login', { timeout: 180_000 }, () => {
  it('refuses a controller whose certificate does not match the fingerprint, saving nothing', async () => {
    const registration = await register('mallory');
    const wrong = `SHA256:${'A'.repeat(43)}`;

    const refused = await world.cli(['login', world.apiUrl, '--fingerprint', wrong, registration], {
      home: 'mallory',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^error: the server at ${world.apiUrl} presented ` +
          'SHA256:\\S+ \\(CN=juju-ssh API ctl-a\\), SHA256:\\S+ \\(CN=juju-ssh API CA ctl-a\\), ' +
          `and none has the fingerprint ${wrong}; nothing was sent or saved`,
      ),
    );
    expect(() => statSync(controllersFile('mallory'))).toThrow();

    // Nothing was sent, so the registration string still works with the right fingerprint.
    const ok = await world.cli(
      ['login', world.apiUrl, '--fingerprint', world.fingerprint, registration],
      {
        home: 'mallory',
      },
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('pins the certificate, keeps the credential owner-only, and spends the registration', async () => {
    const registration = await register('alice');

    const login = await world.cli([
      'login',
      world.apiUrl,
      '--fingerprint',
      world.fingerprint,
      registration,
    ]);
    expect(login.stderr).toBe('');
    expect(login.stdout).toMatch(
      /^logged in to controller ctl-a as alice \(certificate SHA256:\S+ pinned\)\n/,
    );
    const file = controllersFile('alice');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const saved = await readFile(file, 'utf8');
    expect(saved).toContain('current: ctl-a');
    expect(saved).toMatch(/credential: jsc1_[A-Za-z0-9_-]{43}/);
    expect(saved).not.toContain(registration);

    const whoami = await world.cli(['whoami']);
    expect(whoami.stdout).toBe('alice on controller ctl-a\n');

    const again = await world.cli(
      ['login', world.apiUrl, '--fingerprint', world.fingerprint, registration],
      {
        home: 'alice-again',
      },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: this registration string is unknown or has been used already/,
    );
  });

  it('trusts nothing but the pinned certificate on later calls', async () => {
    const registration = await register('trudy');
    await world.cli(['login', world.apiUrl, '--fingerprint', world.fingerprint, registration], {
      home: 'trudy',
    });
    const file = controllersFile('trudy');
    const { createCertificateAuthority } = await import('@juju-ssh/api-tls');
    const stranger = await createCertificateAuthority({ commonName: 'stranger' });
    const saved = parse(await readFile(file, 'utf8'));
    saved.controllers['ctl-a'].certificate = stranger.certificatePem;
    const swapped = stringify(saved);
    await writeFile(file, swapped, { mode: 0o600 });

    const refused = await world.cli(['whoami'], { home: 'trudy' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/did not prove it holds the certificate pinned at login/);
  });

  it('logs an admin in with an API credential and refuses plain HTTP', async () => {
    const token = (await world.admin('api-token', 'root')).trim();

    const login = await world.cli(
      ['login', world.apiUrl, '--fingerprint', world.fingerprint, '--token', token],
      {
        home: 'root',
      },
    );
    expect(login.code).toBe(0);
    expect((await world.cli(['whoami'], { home: 'root' })).stdout).toBe(
      'root (superuser) on controller ctl-a\n',
    );

    const plain = await world.cli(
      [
        'login',
        world.apiUrl.replace('https', 'http'),
        '--fingerprint',
        world.fingerprint,
        '--token',
        token,
      ],
      { home: 'root' },
    );
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: the controller API speaks only HTTPS; use https:\/\//);
  });

  it('says how to log in when no controller is known, and which ones are', async () => {
    const result = await world.cli(['list-models'], { home: 'nobody' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: not logged in to any controller; log in with: juju-ssh login https://HOST:17070 ' +
        '--fingerprint SHA256:… REGISTRATION\n',
    );
    const named = await world.cli(['whoami'], {
      home: 'alice',
      env: { JUJU_SSH_CONTROLLER: 'ctl-b' },
    });
    expect(named.stderr).toBe(
      'error: not logged in to a controller called "ctl-b" (logged in to: ctl-a); log in to it ' +
        'with juju-ssh login\n',
    );
    const flag = await world.cli(['whoami', '--controller', 'ctl-a'], {
      home: 'alice',
      env: { JUJU_SSH_CONTROLLER: 'ctl-b' },
    });
    expect(flag.stdout).toBe('alice on controller ctl-a\n');
  });
});
