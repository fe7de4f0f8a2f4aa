/**
 * `HOST:PORT` as JIMM's settings and admin commands take it: a host name, an IPv4 address or a
 * bracketed IPv6 address, with an optional default port.
 */
import { isIP } from 'node:net';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';

/** A host and a port, the host without IPv6 brackets. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const FORM = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::([0-9]{1,5}))?$/;

/**
 * Reads `HOST:PORT`, `[IPV6]:PORT`, or a bare host when `defaultPort` is given.
 * @throws JujuSshError `invalid-argument` saying what is wrong.
 */
export function parseHostPort(
  text: string,
  rules: { defaultPort?: number; allowPortZero?: boolean } = {},
): HostPort {
  const match = FORM.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  if (match === null || host === undefined || (match[1] !== undefined && isIP(host) !== 6)) {
    throw bad(text, 'expected HOST:PORT, with an IPv6 address in brackets as in [::1]:17022');
  }
  const portText = match[3];
  if (portText === undefined) {
    if (rules.defaultPort === undefined) throw bad(text, 'the port is missing');
    return { host, port: rules.defaultPort };
  }
  const port = Number(portText);
  const lowest = rules.allowPortZero === true ? 0 : 1;
  if (port < lowest || port > 65535) throw bad(text, `the port must be ${lowest} to 65535`);
  return { host, port };
}

/** Writes an address back as `HOST:PORT`, bracketing an IPv6 host. */
export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function bad(text: string, reason: string): JujuSshError {
  return new JujuSshError('invalid-argument', `bad address ${quoteUntrusted(text)}: ${reason}`);
}
