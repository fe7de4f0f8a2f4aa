/**
 * `HOST:PORT` addresses as settings and admin commands take them (listeners, machines,
 * controllers): a host name, an IPv4 address or a bracketed IPv6 address (`[::1]:22`), with an
 * optional default port.
 */
import { isIP } from 'node:net';
import { JujuSshError, quoteUntrusted } from './errors.js';

/** A host and a port, the host without IPv6 brackets. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** How to read an address. */
export interface HostPortRules {
  /** Used when the text has no port; without it a port is required. */
  readonly defaultPort?: number;
  /** Accept port 0 (a listener asking the system for any free port). */
  readonly allowPortZero?: boolean;
}

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOST_LENGTH = 253;

/**
 * Reads `HOST:PORT`, `[IPV6]:PORT`, or (with a default port) `HOST` or `[IPV6]`.
 * @throws JujuSshError `invalid-argument` saying what is wrong with the address.
 */
export function parseHostPort(text: string, rules: HostPortRules = {}): HostPort {
  const { host, portText } = split(text.trim());
  if (host.length === 0) throw bad(text, 'the host is missing');
  checkHost(text, host);

  if (portText === undefined) {
    if (rules.defaultPort === undefined) throw bad(text, 'the port is missing');
    return { host, port: rules.defaultPort };
  }
  const lowest = rules.allowPortZero === true ? 0 : 1;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < lowest || Number(portText) > 65535) {
    throw bad(text, `the port must be a number from ${lowest} to 65535`);
  }
  return { host, port: Number(portText) };
}

/** Writes an address back as `HOST:PORT`, bracketing an IPv6 host. */
export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function split(text: string): { host: string; portText: string | undefined } {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw bad(text, 'the "[" of an IPv6 address has no closing "]"');
    const host = text.slice(1, close);
    if (isIP(host) !== 6) throw bad(text, `${quoteUntrusted(host)} is not an IPv6 address`);
    const rest = text.slice(close + 1);
    if (rest.length === 0) return { host, portText: undefined };
    if (!rest.startsWith(':')) throw bad(text, 'expected ":PORT" after the "]"');
    return { host, portText: rest.slice(1) };
  }

  const colons = text.split(':').length - 1;
  if (colons > 1) throw bad(text, 'write an IPv6 address in brackets, as in [::1]:22');
  if (colons === 0) return { host: text, portText: undefined };
  const at = text.indexOf(':');
  return { host: text.slice(0, at), portText: text.slice(at + 1) };
}

function checkHost(text: string, host: string): void {
  if (isIP(host) !== 0) return;
  const labels = host.split('.');
  if (host.length > MAX_HOST_LENGTH || !labels.every((label) => HOST_LABEL.test(label))) {
    throw bad(text, `${quoteUntrusted(host)} is neither an IP address nor a host name`);
  }
}

function bad(text: string, reason: string): JujuSshError {
  return new JujuSshError('invalid-argument', `bad address ${quoteUntrusted(text)}: ${reason}`);
}
