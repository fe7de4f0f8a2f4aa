import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { createCertificateAuthority, issueServerCertificate } from '@juju-ssh/api-tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BootstrappedDir,
  bootstrapTemp,
  controllerCli,
  type RunningController,
  startController,
} from '../testing/controller-cli.js';

let dir: BootstrappedDir;

beforeAll(async () => {
  dir = await bootstrapTemp('--controller-id', 'ctl-api', '--api-san', 'api.example.test');
});
afterAll(() => dir.cleanup());

/** `SHA256:` and the unpadded base64 of a PEM certificate's DER digest. */
function pinOf(pem: string): string {
  const der = new X509Certificate(pem).raw;
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/** Waits for the `api server listening` log line and returns its port. */
async function apiPort(running: RunningController): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const line = running.lines.find((entry) => entry.msg === 'api server listening');
    if (line !== undefined) return Number(line.port);
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the controller never logged "api server listening"');
}

/** A GET over TLS trusting only `ca`. */
function get(port: number, path: string, ca: string, credential: string) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const headers = { authorization: `Bearer ${credential}` };
    const req = request({ host: '127.0.0.1', port, path, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the API certificate made at bootstrap', () => {
  it("comes from the controller's own CA, whose fingerprint users pin", async () => {
    const caPem = readFileSync(join(dir.dataDir, 'secrets', 'api-ca-cert.pem'), 'utf8');
    const chain = readFileSync(join(dir.dataDir, 'secrets', 'api-cert.pem'), 'utf8');
    const server = new X509Certificate(chain);

    expect(server.verify(new X509Certificate(caPem).publicKey)).toBe(true);
    expect(server.subjectAltName).toContain('DNS:api.example.test');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(statSync(join(dir.dataDir, 'secrets', 'api-ca-key.pem')).mode & 0o777).toBe(0o600);
    const unknown = await dir.cli('registration', 'nobody');
    expect(unknown.stderr).toBe('error: no user nobody; add one with add-user\n');
    await dir.ok('add-user', 'pin-check');
    const report = JSON.parse(await dir.ok('registration', 'pin-check', '--format', 'json'));
    expect(report.fingerprint).toBe(pinOf(caPem));
  });

  it("uses the operator's certificate and key instead, pinning the chain's last certificate", async () => {
    const ca = await createCertificateAuthority({ commonName: 'operator CA' });
    const server = await issueServerCertificate(ca, ['localhost'], { commonName: 'api' });
    const certFile = join(dir.path, 'operator-chain.pem');
    const keyFile = join(dir.path, 'operator-key.pem');
    writeFileSync(certFile, server.certificatePem);
    writeFileSync(keyFile, server.privateKeyPem);
    const dataDir = join(dir.path, 'operator');

    const out = await controllerCli([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--api-cert',
      certFile,
      '--api-key',
      keyFile,
      '--format',
      'json',
    ]);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).api).toMatchObject({
      pinFingerprint: pinOf(ca.certificatePem),
      ownCa: false,
    });
    expect(existsSync(join(dataDir, 'secrets', 'api-ca-key.pem'))).toBe(false);
    expect(readFileSync(join(dataDir, 'secrets', 'api-cert.pem'), 'utf8')).toBe(
      server.certificatePem,
    );
  });

  it('refuses a key that does not belong to the certificate, or one file without the other', async () => {
    const ca = await createCertificateAuthority({ commonName: 'operator CA' });
    const server = await issueServerCertificate(ca, ['localhost'], { commonName: 'api' });
    const certFile = join(dir.path, 'chain.pem');
    const wrongKey = join(dir.path, 'wrong-key.pem');
    writeFileSync(certFile, server.certificatePem);
    writeFileSync(wrongKey, ca.privateKeyPem);
    const dataDir = join(dir.path, 'refused');

    const wrong = await controllerCli([
      'bootstrap',
      '--data-dir',
      dataDir,
      '--api-cert',
      certFile,
      '--api-key',
      wrongKey,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^error: the private key does not belong to the first certificate/,
    );
    const half = await controllerCli(['bootstrap', '--data-dir', dataDir, '--api-cert', certFile]);
    expect(half.stderr).toBe('error: give --api-cert and --api-key together, or neither\n');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('registration strings and API credentials', () => {
  it('add-user prints a one-time registration string and the login command using it', async () => {
    const out = await dir.ok('add-user', 'alice');
    const lines = out.trim().split('\n');

    expect(lines[0]).toBe('added user alice');
    expect(lines[1]).toMatch(/^registration string for alice \(one use, until \d{4}-/);
    expect(lines[2]).toMatch(/^ {2}jsr1_[A-Za-z0-9_-]{43}$/);
    expect(lines[4]).toMatch(
      /^ {2}juju-ssh login https:\/\/\S+:17070 --fingerprint SHA256:\S{43} jsr1_\S{43}$/,
    );
  });

  it('api-token prints a credential the running API accepts; run serves on a free port', async () => {
    await dir.ok('add-user', 'root', '--superuser');
    const credential = (await dir.ok('api-token', 'root')).trim();
    expect(credential).toMatch(/^jsc1_[A-Za-z0-9_-]{43}$/);
    const ca = readFileSync(join(dir.dataDir, 'secrets', 'api-ca-cert.pem'), 'utf8');

    const running = await startController(dir.dataDir);
    try {
      const port = await apiPort(running);
      const whoami = await get(port, '/v1/whoami', ca, credential);
      expect(whoami).toEqual({
        status: 200,
        body: { name: 'root', superuser: true, disabled: false },
      });
      const controller = await get(port, '/v1/controller', ca, credential);
      expect(controller.body).toMatchObject({ controllerId: 'ctl-api', sshPort: running.port });
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

  it('shows the API address following the SSH address when nothing sets it', async () => {
    const config = JSON.parse(
      await dir.ok('show-config', '--ssh-address', '127.0.0.1:0', '--format', 'json'),
    );
    expect(config['api-address']).toEqual({
      value: '127.0.0.1:0',
      source: 'default (follows ssh-address)',
    });
    const set = JSON.parse(
      await dir.ok('show-config', '--api-address', '[::1]:8443', '--format', 'json'),
    );
    expect(set['api-address']).toEqual({ value: '[::1]:8443', source: 'flag --api-address' });
  });
});

describe('a data directory without an API certificate', () => {
  it('refuses to run, naming the command that makes one, which then does', async () => {
    const other = await bootstrapTemp();
    try {
      const cert = join(other.dataDir, 'secrets', 'api-cert.pem');
      renameSync(cert, `${cert}.old`);
      const refused = await other.cli('run', '--ssh-address', '127.0.0.1:0');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('has no HTTPS API certificate');
      expect(refused.stderr).toContain('juju-ssh-controller issue-api-certificate --data-dir');

      const caPem = readFileSync(join(other.dataDir, 'secrets', 'api-ca-cert.pem'), 'utf8');
      const issued = await other.ok('issue-api-certificate', '--api-san', '10.1.2.3');
      expect(issued).toContain(`users pin ${pinOf(caPem)}`);
      expect(new X509Certificate(readFileSync(cert, 'utf8')).subjectAltName).toContain(
        'IP Address:10.1.2.3',
      );
    } finally {
      await other.cleanup();
    }
  });
});
