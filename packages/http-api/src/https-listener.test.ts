import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { startApiFixture, testTls } from './testing/api-fixture.js';
import { checkServerCertificate } from './tls/server-certificate.js';

/** A GET over real TLS that trusts only `ca`. */
function get(
  port: number,
  path: string,
  ca: string,
  credential: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, ca, headers: { authorization: `Bearer ${credential}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTPS listener', () => {
  it('serves the API over TLS with the CA-issued chain on a port the system picks', async () => {
    const f = await startApiFixture();
    const credential = await f.user('alice');
    const { ca } = await testTls();

    const address = await f.server.listen('127.0.0.1', 0);
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    const answer = await get(address.port, '/v1/whoami', ca.certificatePem, credential);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'alice' });
  });
});

describe('checking a server certificate', () => {
  it('names the CA as the certificate to pin, and the hosts the server certificate names', async () => {
    const { server, ca } = await testTls();
    const summary = checkServerCertificate(server, 'api.pem');

    const { certificateFingerprint } = await import('./protocol/certificate-fingerprint.js');
    const { X509Certificate } = await import('node:crypto');
    expect(summary.pinFingerprint).toBe(
      certificateFingerprint(new X509Certificate(ca.certificatePem).raw),
    );
    expect(summary.serverFingerprint).not.toBe(summary.pinFingerprint);
    expect(summary.hosts).toEqual(['127.0.0.1', '0:0:0:0:0:0:0:1', 'localhost']);
  });

  it('refuses a key that belongs to another certificate, and a file with no certificate', async () => {
    const { server, ca } = await testTls();

    expect(() =>
      checkServerCertificate({ ...server, privateKeyPem: ca.privateKeyPem }, 'a.pem'),
    ).toThrow(/^the private key does not belong to the first certificate in a\.pem/);
    expect(() => checkServerCertificate({ ...server, certificatePem: 'junk' }, 'b.pem')).toThrow(
      'b.pem holds no PEM certificate',
    );
    expect(() => checkServerCertificate({ ...server, privateKeyPem: 'junk' }, 'c.pem')).toThrow(
      /^the private key for c\.pem cannot be read/,
    );
  });
});
