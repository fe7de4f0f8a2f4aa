/**
 * New connections per source address per minute: a token bucket for each source, holding a
 * minute's allowance and refilled evenly. IPv6 sources count per /64, the block one host
 * usually holds, so a client cannot dodge the limit by cycling through its own addresses.
 * Memory stays bounded: at most `maxTracked` sources are remembered, the idlest forgotten first.
 */
import { isIPv6 } from 'node:net';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** How a {@link SourceRateLimiter} is tuned; the clock is replaceable for tests. */
export interface SourceRateLimitOptions {
  /** New connections a source may open per minute; 0 turns the limit off. */
  readonly perMinute: number;
  /** Sources remembered at once. */
  readonly maxTracked?: number;
  readonly now?: () => number;
}

const MINUTE_MS = 60_000;

/** Decides whether a source address may open another connection now. */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMinute: number;
  private readonly maxTracked: number;
  private readonly now: () => number;

  constructor(options: SourceRateLimitOptions) {
    this.perMinute = options.perMinute;
    this.maxTracked = options.maxTracked ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes one connection from `address`'s allowance; false when none is left. */
  tryAcquire(address: string): boolean {
    if (this.perMinute <= 0) return true;
    const key = sourceKey(address);
    const time = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: time };
    bucket.tokens = this.refilled(bucket, time);
    bucket.updatedAt = time;
    // Re-inserting keeps the map in order of last use, so the idlest source comes first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.forgetIdlest();
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Sources currently remembered. */
  get tracked(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket, time: number): number {
    const earned = ((time - bucket.updatedAt) * this.perMinute) / MINUTE_MS;
    return Math.min(this.perMinute, bucket.tokens + Math.max(0, earned));
  }

  private forgetIdlest(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxTracked) return;
      this.buckets.delete(key);
    }
  }
}

/** The key a source address is counted under: IPv4 as is, IPv6 by its /64 prefix. */
export function sourceKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [''];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right];
  return groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
