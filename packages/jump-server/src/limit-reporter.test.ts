import { afterEach, describe, expect, it, vi } from 'vitest';
import { LimitReporter } from './limit-reporter.js';
import { captureLog } from './testing/log-capture.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LimitReporter', () => {
  it('logs the first hit at once and sums up a flood in one line at the end of the period', () => {
    vi.useFakeTimers();
    const log = captureLog();
    const reporter = new LimitReporter(log.logger, 10_000);
    for (let i = 0; i < 1000; i += 1) {
      reporter.hit('max-connections', 5, 'connection limit reached', { sourceAddress: `a${i}` });
    }
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({
      level: 40,
      limit: 'max-connections',
      value: 5,
      sourceAddress: 'a0',
      msg: 'connection limit reached',
    });
    vi.advanceTimersByTime(10_000);
    expect(log.lines).toHaveLength(2);
    expect(log.lines[1]).toMatchObject({
      limit: 'max-connections',
      refusedInPeriod: 999,
      sourceAddress: 'a999',
      msg: 'connection limit reached (999 more times in 10s)',
    });
    reporter.hit('max-connections', 5, 'connection limit reached');
    expect(log.lines).toHaveLength(3);
  });

  it('throttles each limit on its own and writes nothing more for a single hit', () => {
    vi.useFakeTimers();
    const log = captureLog();
    const reporter = new LimitReporter(log.logger, 10_000);
    reporter.hit('max-connections', 5, 'a');
    reporter.hit('max-auth-tries', 6, 'b');
    vi.advanceTimersByTime(60_000);
    expect(log.lines.map((line) => line.msg)).toEqual(['a', 'b']);
  });

  it('writes what it still counts when flushed', () => {
    vi.useFakeTimers();
    const log = captureLog();
    const reporter = new LimitReporter(log.logger, 10_000);
    reporter.hit('max-sessions-per-user', 2, 'too many');
    reporter.hit('max-sessions-per-user', 2, 'too many');
    reporter.flush();
    expect(log.lines.map((line) => line.refusedInPeriod)).toEqual([undefined, 1]);
  });
});
