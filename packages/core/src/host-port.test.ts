import { describe, expect, it } from 'vitest';
import { formatHostPort, parseHostPort } from './host-port.js';

describe('parseHostPort', () => {
  it('reads a host name, an IPv4 address and a bracketed IPv6 address with ports', () => {
    expect(parseHostPort('machine-0.example:2222')).toEqual({
      host: 'machine-0.example',
      port: 2222,
    });
    expect(parseHostPort('10.0.0.5:22')).toEqual({ host: '10.0.0.5', port: 22 });
    expect(parseHostPort('[::1]:17022')).toEqual({ host: '::1', port: 17022 });
  });

  it('uses the default port when the text has none', () => {
    expect(parseHostPort('10.0.0.5', { defaultPort: 22 })).toEqual({ host: '10.0.0.5', port: 22 });
    expect(parseHostPort('[fe80::1]', { defaultPort: 22 })).toEqual({ host: 'fe80::1', port: 22 });
  });

  it('refuses a missing port when there is no default', () => {
    expect(() => parseHostPort('10.0.0.5')).toThrow(/the port is missing/);
  });

  it('refuses an unbracketed IPv6 address, saying how to write it', () => {
    expect(() => parseHostPort('::1:22', { defaultPort: 22 })).toThrow(
      /in brackets, as in \[::1\]:22/,
    );
  });

  it('refuses ports outside 1 to 65535 and port 0 unless allowed', () => {
    expect(() => parseHostPort('h:0')).toThrow(/from 1 to 65535/);
    expect(() => parseHostPort('h:65536')).toThrow(/from 1 to 65535/);
    expect(() => parseHostPort('h:22x')).toThrow(/from 1 to 65535/);
    expect(parseHostPort('127.0.0.1:0', { allowPortZero: true })).toEqual({
      host: '127.0.0.1',
      port: 0,
    });
  });

  it('refuses hosts that are neither addresses nor host names', () => {
    expect(() => parseHostPort('bad_host:22')).toThrow(/neither an IP address nor a host name/);
    expect(() => parseHostPort(':22')).toThrow(/the host is missing/);
    expect(() => parseHostPort('[::1')).toThrow(/no closing/);
    expect(() => parseHostPort('[10.0.0.1]:22')).toThrow(/not an IPv6 address/);
    expect(() => parseHostPort('[::1]22')).toThrow(/expected ":PORT"/);
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6 hosts only', () => {
    expect(formatHostPort({ host: '::1', port: 22 })).toBe('[::1]:22');
    expect(formatHostPort({ host: '0.0.0.0', port: 17022 })).toBe('0.0.0.0:17022');
  });
});
