/**
 * Summary statistics for benchmark samples: medians, percentiles and ratios, with the rounding
 * used in the results file so that numbers read the same in the JSON and in the table.
 */

/** The value at quantile `q` (0..1), interpolated linearly between ranks; NaN when empty. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? Number.NaN;
  return low + (high - low) * (position - below);
}

/** The median of `samples`; NaN when empty. */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/** `value / base`, or null when either is missing or the base is zero. */
export function ratio(value: number | null, base: number | null): number | null {
  if (value === null || base === null || !Number.isFinite(value) || !Number.isFinite(base)) {
    return null;
  }
  return base === 0 ? null : round(value / base, 3);
}

/** `value` rounded to `digits` decimals; null for NaN or infinity. */
export function round(value: number, digits = 1): number | null {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Median and 95th percentile of durations in milliseconds, rounded. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly maxMs: number | null;
}

/** Summarises durations in milliseconds. */
export function summariseLatency(samples: readonly number[]): LatencySummary {
  return {
    count: samples.length,
    p50Ms: round(quantile(samples, 0.5)),
    p95Ms: round(quantile(samples, 0.95)),
    maxMs: round(quantile(samples, 1)),
  };
}
