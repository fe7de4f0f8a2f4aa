import { describe, expect, it } from 'vitest';
import { SourceRateLimiter, sourceKey } from './source-rate-limit.js';

function limiter(perMinute: number, maxTracked?: number) {
  let time = 0;
  const rate = new SourceRateLimiter({
    perMinute,
    ...(maxTracked === undefined ? {} : { maxTracked }),
    now: () => time,
  });
  return {
    rate,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('SourceRateLimiter', () => {
  it('allows a minute of connections at once, then refuses until time refills them', () => {
    const { rate, advance } = limiter(3);
    expect([1, 2, 3, 4].map(() => rate.tryAcquire('192.0.2.1'))).toEqual([true, true, true, false]);
    advance(19_000);
    expect(rate.tryAcquire('192.0.2.1')).toBe(false);
    advance(1_000);
    expect(rate.tryAcquire('192.0.2.1')).toBe(true);
    expect(rate.tryAcquire('192.0.2.1')).toBe(false);
  });

  it('keeps each source address apart', () => {
    const { rate } = limiter(1);
    expect(rate.tryAcquire('192.0.2.1')).toBe(true);
    expect(rate.tryAcquire('192.0.2.1')).toBe(false);
    expect(rate.tryAcquire('192.0.2.2')).toBe(true);
  });

  it('counts the addresses of one IPv6 /64 together, and a mapped IPv4 as the IPv4', () => {
    const { rate } = limiter(1);
    expect(rate.tryAcquire('2001:db8:1:2::1')).toBe(true);
    expect(rate.tryAcquire('2001:db8:1:2:ffff:1:2:3')).toBe(false);
    expect(rate.tryAcquire('2001:db8:1:3::1')).toBe(true);
    expect(rate.tryAcquire('::ffff:192.0.2.9')).toBe(true);
    expect(rate.tryAcquire('192.0.2.9')).toBe(false);
  });

  it('never refuses when the limit is 0', () => {
    const { rate } = limiter(0);
    for (let i = 0; i < 1000; i += 1) expect(rate.tryAcquire('192.0.2.1')).toBe(true);
    expect(rate.tracked).toBe(0);
  });

  it('remembers a bounded number of sources, forgetting the idlest', () => {
    const { rate, advance } = limiter(1, 100);
    for (let i = 0; i < 10_000; i += 1) {
      rate.tryAcquire(`10.0.${Math.floor(i / 256)}.${i % 256}`);
      advance(1);
    }
    expect(rate.tracked).toBe(100);
    expect(rate.tryAcquire('10.0.39.15')).toBe(false);
  });
});

describe('sourceKey', () => {
  it('writes IPv6 prefixes in one form however the address was written', () => {
    expect(sourceKey('2001:DB8:0:0:1::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('127.0.0.1')).toBe('127.0.0.1');
  });
});
