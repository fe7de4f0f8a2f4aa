/**
 * Checks a server certificate chain and its key before the API serves them, and names the
 * certificate users pin: the last one of the chain (the controller's CA, or the operator's own).
 */
import { createPrivateKey } from 'node:crypto';
import { JujuSshError } from '@juju-ssh/core';
import {
  certificateFingerprint,
  readPemCertificates,
} from '../protocol/certificate-fingerprint.js';

/** A certificate chain (server first, issuers after) and its unencrypted key, PEM. */
export interface CertificateAndKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** What users need to know about a served certificate. */
export interface ServerCertificateSummary {
  /** The fingerprint users pin: of the last certificate in the chain. */
  readonly pinFingerprint: string;
  /** The fingerprint of the server's own certificate. */
  readonly serverFingerprint: string;
  /** The host names and IP addresses the server certificate names. */
  readonly hosts: readonly string[];
  readonly validTo: Date;
}

/**
 * Reads and checks a chain and its key: the key must belong to the first certificate.
 * @param source where they came from (file names), named in every refusal
 * @throws JujuSshError `invalid-argument` saying what is wrong and with which file.
 */
export function checkServerCertificate(
  pair: CertificateAndKey,
  source: string,
): ServerCertificateSummary {
  const chain = readPemCertificates(pair.certificatePem, source);
  const [server] = chain;
  const pinned = chain.at(-1);
  if (server === undefined || pinned === undefined) {
    throw new JujuSshError('invalid-argument', `${source} holds no PEM certificate`);
  }

  let matches: boolean;
  try {
    const key = createPrivateKey(pair.privateKeyPem);
    matches = server.checkPrivateKey(key);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError(
      'invalid-argument',
      `the private key for ${source} cannot be read (${reason}); supply an unencrypted PEM key`,
    );
  }
  if (!matches) {
    throw new JujuSshError(
      'invalid-argument',
      `the private key does not belong to the first certificate in ${source}; the server's ` +
        'own certificate must come first, its issuers after it',
    );
  }

  return {
    pinFingerprint: certificateFingerprint(pinned.raw),
    serverFingerprint: certificateFingerprint(server.raw),
    hosts: subjectAltNames(server.subjectAltName),
    validTo: new Date(server.validTo),
  };
}

/** `DNS:a, IP Address:127.0.0.1` as node:crypto writes it, as a list of names. */
function subjectAltNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((entry) => entry.length > 0);
}
