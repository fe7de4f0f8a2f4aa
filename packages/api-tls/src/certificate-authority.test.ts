import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCertificateAuthority, issueServerCertificate } from './certificate-authority.js';

/** Serves a chain and key on 127.0.0.1; resolves with the port. */
async function serve(certificatePem: string, privateKeyPem: string): Promise<number> {
  const server: Server = createServer({ cert: certificatePem, key: privateKeyPem }, (_, res) =>
    res.end('ok'),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  onTestFinished(() => new Promise<void>((done) => server.close(() => done())));
  return (server.address() as AddressInfo).port;
}

/** Connects trusting only `ca`, as `servername`; resolves with the TLS verdict. */
function handshake(port: number, ca: string, servername: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername }, () => {
      socket.end();
      resolve('trusted');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the controller CA', () => {
  it('issues a server certificate that TLS clients trusting only the CA accept', async () => {
    const ca = await createCertificateAuthority({ commonName: 'juju-ssh CA ctl-a' });
    const server = await issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1'], {
      commonName: 'juju-ssh API ctl-a',
    });
    const port = await serve(server.certificatePem, server.privateKeyPem);

    expect(await handshake(port, ca.certificatePem, 'localhost')).toBe('trusted');
    const stranger = await createCertificateAuthority({ commonName: 'another CA' });
    expect(await handshake(port, stranger.certificatePem, 'localhost')).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN',
    );
    expect(await handshake(port, ca.certificatePem, 'api.example.test')).toBe(
      'ERR_TLS_CERT_ALTNAME_INVALID',
    );
  });

  it('writes a CA that may sign only end certificates, and a chain of server and CA', async () => {
    const now = new Date('2031-05-01T12:00:00Z');
    const ca = await createCertificateAuthority({ commonName: 'CA, with comma', now });
    const server = await issueServerCertificate(ca, ['10.0.0.7', 'ctl.internal'], {
      commonName: 'api',
      now,
      validDays: 30,
    });
    const caCert = new X509Certificate(ca.certificatePem);
    const [leafPem, chainedCaPem] = server.certificatePem.split(/(?<=-----END CERTIFICATE-----\n)/);
    const leaf = new X509Certificate(leafPem ?? '');

    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=CA\\, with comma');
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('IP Address:10.0.0.7, DNS:ctl.internal');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(new Date(leaf.validTo).toISOString()).toBe('2031-05-31T12:00:00.000Z');
    expect(new Date(leaf.validFrom).toISOString()).toBe('2031-05-01T11:00:00.000Z');
    expect(chainedCaPem).toBe(ca.certificatePem);
    expect(
      leaf.checkPrivateKey((await import('node:crypto')).createPrivateKey(server.privateKeyPem)),
    ).toBe(true);
  });

  it('refuses hosts a certificate cannot name, and a CA key it did not make', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca' });

    await expect(issueServerCertificate(ca, [], { commonName: 'x' })).rejects.toThrow(
      'a server certificate needs at least one host',
    );
    await expect(issueServerCertificate(ca, ['bad host!'], { commonName: 'x' })).rejects.toThrow(
      '"bad host!" is neither an IP address nor a host name; a certificate cannot name it',
    );
    const broken = { ...ca, privateKeyPem: 'not a key' };
    await expect(
      issueServerCertificate(broken, ['localhost'], { commonName: 'x' }),
    ).rejects.toThrow(/^the CA key cannot sign server certificates/);
  });
});
