/**
 * The controller's own certificate authority for the HTTPS API: a CA made at bootstrap and the
 * server certificates it issues. ECDSA P-256 keys from WebCrypto; @peculiar/x509 writes the
 * certificates. The CA key stays in the controller's secrets and signs nothing else.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import * as x509 from '@peculiar/x509';

/** A certificate (PEM, possibly a chain) and its unencrypted private key (PKCS#8 PEM). */
export interface CertificateAndKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** How a certificate is made. */
export interface CertificateOptions {
  /** The subject's common name. */
  readonly commonName: string;
  /** How long it is valid; default ten years. */
  readonly validDays?: number;
  /** The time it is made at; tests set it. */
  readonly now?: Date;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DEFAULT_VALID_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;
// Valid from a little before now, for clients whose clocks run behind.
const BACKDATE_MS = 60 * 60 * 1000;
const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** Makes a self-signed CA certificate that may sign server certificates only. */
export async function createCertificateAuthority(
  options: CertificateOptions,
): Promise<CertificateAndKey> {
  const keys = await generateKeys();
  const name = subject(options.commonName);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    ...validity(options),
    serialNumber: serialNumber(),
    name,
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: pem(cert), privateKeyPem: privateKeyPem(keys.privateKey) };
}

/**
 * Issues a server certificate for `hosts` (names and IP addresses), signed by `ca`. The PEM
 * holds the server certificate, then the CA's: the chain a TLS server presents.
 * @throws JujuSshError `invalid-argument` for no hosts, a host that is neither a name nor an
 *   IP address, or a CA key that is not the ECDSA P-256 key this module makes.
 */
export async function issueServerCertificate(
  ca: CertificateAndKey,
  hosts: readonly string[],
  options: CertificateOptions,
): Promise<CertificateAndKey> {
  if (hosts.length === 0) {
    throw new JujuSshError('invalid-argument', 'a server certificate needs at least one host');
  }
  const altNames = [...new Set(hosts)].map(altName);
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const caKey = await importCaKey(ca.privateKeyPem);
  const keys = await generateKeys();

  const cert = await x509.X509CertificateGenerator.create({
    ...validity(options),
    serialNumber: serialNumber(),
    subject: subject(options.commonName),
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return {
    certificatePem: pem(cert) + ca.certificatePem,
    privateKeyPem: privateKeyPem(keys.privateKey),
  };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

async function importCaKey(text: string): Promise<CryptoKey> {
  try {
    const der = createPrivateKey(text).export({ format: 'der', type: 'pkcs8' });
    return (await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, [
      'sign',
    ])) as CryptoKey;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError(
      'invalid-argument',
      `the CA key cannot sign server certificates (${reason}); it must be the ECDSA P-256 ` +
        'key bootstrap made',
    );
  }
}

function subject(commonName: string): x509.JsonName {
  return [{ CN: [commonName] }];
}

function validity(options: CertificateOptions): { notBefore: Date; notAfter: Date } {
  const now = (options.now ?? new Date()).getTime();
  const days = options.validDays ?? DEFAULT_VALID_DAYS;
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** A positive 128-bit serial: the top bit cleared so DER does not read it as negative. */
function serialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  return serial.toString('hex');
}

function pem(cert: x509.X509Certificate): string {
  return `${cert.toString('pem').trim()}\n`;
}

function privateKeyPem(key: CryptoKey): string {
  return KeyObject.from(key as webcrypto.CryptoKey)
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

function altName(host: string): x509.JsonGeneralName {
  if (isIP(host) !== 0) return { type: 'ip', value: host };
  if (DNS_NAME.test(host)) return { type: 'dns', value: host };
  throw new JujuSshError(
    'invalid-argument',
    `${quoteUntrusted(host)} is neither an IP address nor a host name; a certificate cannot ` +
      'name it',
  );
}
