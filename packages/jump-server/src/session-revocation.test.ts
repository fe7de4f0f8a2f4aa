import { JujuSshError } from '@juju-ssh/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RevocationWatch } from './session-revocation.js';

afterEach(() => {
  vi.useRealTimers();
});

function watch(answers: Array<Error | undefined>) {
  const revoked: string[] = [];
  const failed: unknown[] = [];
  let calls = 0;
  const w = new RevocationWatch({
    intervalMs: 1000,
    recheck: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (answer !== undefined) throw answer;
    },
    onRevoked: (reason) => revoked.push(reason),
    onCheckFailed: (error) => failed.push(error),
  });
  return { w, revoked, failed, calls: () => calls };
}

describe('RevocationWatch', () => {
  it('re-checks on every interval and reports a refusal once, then stops', async () => {
    vi.useFakeTimers();
    const denied = new JujuSshError('access-denied', 'no admin on model m');
    const { w, revoked, calls } = watch([undefined, undefined, denied]);
    w.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(revoked).toEqual(['no admin on model m']);
    expect(calls()).toBe(3);
  });

  it('treats a machine or model that is gone as revoked', async () => {
    vi.useFakeTimers();
    const { w, revoked } = watch([new JujuSshError('not-found', 'model m has no machine 0')]);
    w.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(revoked).toEqual(['model m has no machine 0']);
  });

  it('ends nothing when the check itself fails, and asks again at the next tick', async () => {
    vi.useFakeTimers();
    const { w, revoked, failed, calls } = watch([
      new JujuSshError('store', 'database is locked'),
      new Error('boom'),
      undefined,
    ]);
    w.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(revoked).toEqual([]);
    expect(failed).toHaveLength(2);
    expect(calls()).toBe(5);
  });

  it('reports nothing once stopped', async () => {
    vi.useFakeTimers();
    const { w, revoked, calls } = watch([new JujuSshError('access-denied', 'no')]);
    w.start();
    w.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls()).toBe(0);
    expect(revoked).toEqual([]);
  });
});
