/**
 * known_hosts lines for the jump host and virtual host keys, as users and the CLI write them so
 * that OpenSSH checks the keys the controller presents.
 */
import {
  formatPublicKeyLine,
  JujuSshError,
  parsePublicKeyLine,
  quoteUntrusted,
} from '@juju-ssh/core';

const DEFAULT_SSH_PORT = 22;
// Whitespace separates fields, commas separate hosts, and `*?!` are pattern characters.
const HOST_FIELD = /^[^\s,*?!]+$/;

/** How OpenSSH names a host in known_hosts: `host` on port 22, `[host]:port` elsewhere. */
export function knownHostsHost(host: string, port: number): string {
  if (!HOST_FIELD.test(host)) {
    throw new JujuSshError('invalid-argument', `cannot write ${quoteUntrusted(host)} as a host`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new JujuSshError('invalid-argument', `bad port ${port}; expected 1 to 65535`);
  }
  return port === DEFAULT_SSH_PORT ? host : `[${host}]:${port}`;
}

/**
 * A known_hosts line: `h1,h2 ssh-ed25519 AAAA…`.
 * @param hosts host fields, each as {@link knownHostsHost} writes them
 * @param publicLine an OpenSSH public key line
 */
export function knownHostsLine(hosts: readonly string[], publicLine: string): string {
  if (hosts.length === 0) {
    throw new JujuSshError('invalid-argument', 'a known_hosts line needs at least one host');
  }
  for (const host of hosts) {
    if (!HOST_FIELD.test(host)) {
      throw new JujuSshError('invalid-argument', `cannot write ${quoteUntrusted(host)} as a host`);
    }
  }
  return `${hosts.join(',')} ${formatPublicKeyLine(parsePublicKeyLine(publicLine))}`;
}
