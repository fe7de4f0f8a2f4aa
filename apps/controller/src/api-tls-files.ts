/**
 * The HTTPS API's certificate in the data directory: made at bootstrap by the controller's own
 * CA (or supplied by the operator), kept in secrets/ with mode 0600, and loaded by `run`. Users
 * pin the last certificate of the chain: the controller's CA, or the operator's top issuer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { CertificateAndKey } from '@juju-ssh/api-tls';
import type { HostPort } from '@juju-ssh/core';
import { JujuSshError } from '@juju-ssh/core';
import { readSecretFile, writeSecretFile } from '@juju-ssh/host-keys';
import { checkServerCertificate, type ServerCertificateSummary } from '@juju-ssh/http-api/tls';
import type { DataDirPaths } from './data-dir.js';

/** The API's certificate, its key, and the CA that issued it when the controller made one. */
export interface ApiTlsMaterial {
  readonly server: CertificateAndKey;
  readonly ca?: CertificateAndKey;
  readonly summary: ServerCertificateSummary;
}

/** Where the certificate comes from: the operator's files, or a new (or given) own CA. */
export interface ApiTlsSource {
  readonly controllerId: string;
  /** Names and addresses the server certificate must carry (see {@link apiCertificateHosts}). */
  readonly hosts: readonly string[];
  readonly certFile?: string;
  readonly keyFile?: string;
  /** An existing own CA to issue from; a new one is made when absent. */
  readonly ca?: CertificateAndKey;
}

const WILDCARD_HOSTS = ['0.0.0.0', '::', ''];
const DNS_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*$/;

/** Loopback names, this host's name, the API's own host unless a wildcard, and `extra`. */
export function apiCertificateHosts(apiAddress: HostPort, extra: readonly string[]): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1'];
  const own = hostname();
  if (DNS_NAME.test(own)) hosts.push(own);
  if (!WILDCARD_HOSTS.includes(apiAddress.host)) hosts.push(apiAddress.host);
  return [...new Set([...hosts, ...extra])];
}

/**
 * Makes or reads the API's certificate and checks that its key belongs to it.
 * @throws JujuSshError `config` for half-given or unreadable files, `invalid-argument` for a
 *   certificate or key that does not fit.
 */
export async function createApiTls(source: ApiTlsSource): Promise<ApiTlsMaterial> {
  if ((source.certFile === undefined) !== (source.keyFile === undefined)) {
    throw new JujuSshError('config', 'give --api-cert and --api-key together, or neither');
  }
  if (source.certFile !== undefined && source.keyFile !== undefined) {
    const server = {
      certificatePem: readOperatorFile(source.certFile),
      privateKeyPem: readOperatorFile(source.keyFile),
    };
    return { server, summary: checkServerCertificate(server, source.certFile) };
  }

  // Loaded only when a certificate is made: the X.509 library is large.
  const { createCertificateAuthority, issueServerCertificate } = await import('@juju-ssh/api-tls');
  const ca =
    source.ca ??
    (await createCertificateAuthority({ commonName: `juju-ssh API CA ${source.controllerId}` }));
  const server = await issueServerCertificate(ca, source.hosts, {
    commonName: `juju-ssh API ${source.controllerId}`,
  });
  return { server, ca, summary: checkServerCertificate(server, 'the issued certificate') };
}

/** Writes the certificate, key and any CA into secrets/, each with mode 0600. */
export function writeApiTls(paths: DataDirPaths, material: ApiTlsMaterial): void {
  writeSecretFile(paths.apiCertificate, material.server.certificatePem);
  writeSecretFile(paths.apiKey, material.server.privateKeyPem);
  if (material.ca !== undefined) {
    writeSecretFile(paths.apiCaCertificate, material.ca.certificatePem);
    writeSecretFile(paths.apiCaKey, material.ca.privateKeyPem);
  }
}

/**
 * Reads and checks the API's certificate and key.
 * @throws JujuSshError `config` naming the missing file and the command that makes it.
 */
export function loadApiTls(paths: DataDirPaths): ApiTlsMaterial {
  if (!existsSync(paths.apiCertificate) || !existsSync(paths.apiKey)) {
    throw new JujuSshError(
      'config',
      `data directory ${paths.root} has no HTTPS API certificate (${paths.apiCertificate}); ` +
        `make one with: juju-ssh-controller issue-api-certificate --data-dir ${paths.root}`,
    );
  }
  const server = {
    certificatePem: readSecretFile(paths.apiCertificate).toString('utf8'),
    privateKeyPem: readSecretFile(paths.apiKey).toString('utf8'),
  };
  return {
    server,
    ca: loadApiCa(paths),
    summary: checkServerCertificate(server, paths.apiCertificate),
  };
}

/** The controller's own API CA, if it made one. */
export function loadApiCa(paths: DataDirPaths): CertificateAndKey | undefined {
  if (!existsSync(paths.apiCaCertificate) || !existsSync(paths.apiCaKey)) return undefined;
  return {
    certificatePem: readSecretFile(paths.apiCaCertificate).toString('utf8'),
    privateKeyPem: readSecretFile(paths.apiCaKey).toString('utf8'),
  };
}

function readOperatorFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('config', `cannot read ${path}: ${reason}`);
  }
}
