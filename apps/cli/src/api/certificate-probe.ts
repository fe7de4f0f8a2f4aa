/**
 * Reading the certificates a controller presents, before any is trusted: the first step of a
 * login, which then keeps only the certificate whose fingerprint the user was given. The probe
 * sends nothing over the connection and closes it once the handshake is done.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { JujuSshError } from '@juju-ssh/core';
import { certificateFingerprint } from '@juju-ssh/http-api/certificates';

/** A certificate the controller presented. */
export interface PresentedCertificate {
  readonly fingerprint: string;
  readonly subject: string;
  readonly pem: string;
}

const PROBE_TIMEOUT_MS = 15_000;

/**
 * The certificates the server at `url` presents, its own first, then its issuers.
 * @throws JujuSshError `upstream-failed` when nothing answers TLS there.
 */
export function probeCertificates(url: URL): Promise<PresentedCertificate[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port === '' ? 443 : url.port);
  return new Promise((resolve, reject) => {
    // Verification is off for this one connection only: it carries no request, and the chain
    // it shows is compared with the fingerprint the user was given before anything is kept.
    const socket = connect({
      host,
      port,
      servername: isIP(host) === 0 ? host : undefined,
      rejectUnauthorized: false,
      timeout: PROBE_TIMEOUT_MS,
    });
    socket.once('secureConnect', () => {
      const chain = presentedChain(socket.getPeerCertificate(true));
      socket.end();
      resolve(chain);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(unreachable(url, `no TLS handshake within ${PROBE_TIMEOUT_MS / 1000} s`));
    });
    socket.once('error', (error) => reject(unreachable(url, error.message)));
  });
}

function presentedChain(first: DetailedPeerCertificate): PresentedCertificate[] {
  const chain: PresentedCertificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = first;
  while (current?.raw !== undefined) {
    const fingerprint = certificateFingerprint(current.raw);
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    const parsed = new X509Certificate(current.raw);
    chain.push({ fingerprint, subject: parsed.subject, pem: parsed.toString() });
    current = current.issuerCertificate;
  }
  return chain;
}

function unreachable(url: URL, reason: string): JujuSshError {
  return new JujuSshError(
    'upstream-failed',
    `cannot reach the controller API at ${url.origin} (${reason}); check the URL and that ` +
      'the controller is running',
  );
}
