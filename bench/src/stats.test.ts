import { describe, expect, it } from 'vitest';
import { parseVerbose } from './key-exchange.js';
import { median, quantile, ratio, summariseLatency } from './stats.js';

describe('bench statistics', () => {
  it('interpolates quantiles between ranks', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBe(48);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('reports no value rather than a number for missing data', () => {
    expect(median([])).toBeNaN();
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(summariseLatency([])).toEqual({ count: 0, p50Ms: null, p95Ms: null, maxMs: null });
  });

  it('rounds ratios to three decimals', () => {
    expect(ratio(2, 3)).toBe(0.667);
  });
});

describe('reading ssh -v output', () => {
  it('lists each hop with the key exchange and cipher it negotiated, in order', () => {
    const stderr = [
      'debug1: kex: algorithm: sntrup761x25519-sha512@openssh.com',
      'debug1: kex: host key algorithm: ssh-ed25519',
      'debug1: kex: server->client cipher: chacha20-poly1305@openssh.com MAC: <implicit>',
      'debug1: kex: client->server cipher: chacha20-poly1305@openssh.com MAC: <implicit>',
      'debug1: kex: algorithm: curve25519-sha256',
      'debug1: kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit>',
    ].join('\n');

    expect(parseVerbose(stderr)).toEqual([
      { kex: 'sntrup761x25519-sha512@openssh.com', cipher: 'chacha20-poly1305@openssh.com' },
      { kex: 'curve25519-sha256', cipher: 'aes128-gcm@openssh.com' },
    ]);
  });
});
