/**
 * Certificate fingerprints as users pin them: `SHA256:` and the unpadded base64 of the SHA-256
 * of the certificate's DER bytes, the form SSH uses for keys. Uses node:crypto only.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { JujuSshError } from '@juju-ssh/core';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** The fingerprint of DER certificate bytes. */
export function certificateFingerprint(der: Uint8Array): string {
  const digest = createHash('sha256').update(der).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * The PEM certificates in `text`, in order (a server certificate first, its issuers after).
 * @throws JujuSshError `invalid-argument` naming `source` when it holds none or a bad one.
 */
export function readPemCertificates(text: string, source: string): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new JujuSshError('invalid-argument', `${source} holds no PEM certificate`);
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new JujuSshError(
        'invalid-argument',
        `certificate ${index + 1} in ${source} cannot be read: ${reason}`,
      );
    }
  });
}

/** True when `text` looks like `SHA256:` and 43 base64 characters. */
export function isCertificateFingerprint(text: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(text);
}
