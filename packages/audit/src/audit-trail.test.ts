import { isJujuSshError } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import type { AuditSink } from './audit-sink.js';
import { AuditTrail } from './audit-trail.js';
import { accepted, ids, MemorySink, nextTurn } from './test-sinks.js';

describe('AuditTrail', () => {
  it('delivers every event to every sink in the order recorded, one write at a time', async () => {
    const first = new MemorySink('first');
    const second = new MemorySink('second');
    const trail = new AuditTrail({ sinks: [first, second] });
    const expected: string[] = [];

    for (let n = 0; n < 1500; n += 1) {
      trail.record(accepted(n));
      expected.push(`conn-${n}`);
      if (n % 400 === 0) await nextTurn();
    }
    await trail.flush();

    expect(ids(first.events)).toEqual(expected);
    expect(ids(second.events)).toEqual(expected);
    expect(first.maxConcurrentWrites).toBe(1);
    expect(Math.max(...first.batchSizes)).toBeLessThanOrEqual(512);
    expect(trail.dropped()).toEqual({ first: 0, second: 0 });
  });

  it('resolves flush only once the events recorded before it are written', async () => {
    const sink = new MemorySink('slow');
    sink.hold();
    const trail = new AuditTrail({ sinks: [sink] });
    trail.record(accepted(1));
    let flushed = false;
    const flushing = trail.flush().then(() => {
      flushed = true;
    });

    await nextTurn();
    await nextTurn();
    expect(flushed).toBe(false);

    sink.release();
    await flushing;
    expect(ids(sink.events)).toEqual(['conn-1']);
  });

  it('writes everything before closing each sink, and closes once', async () => {
    const sink = new MemorySink('memory');
    const trail = new AuditTrail({ sinks: [sink] });
    for (let n = 0; n < 3; n += 1) trail.record(accepted(n));

    const closing = trail.close();
    expect(trail.close()).toBe(closing);
    await closing;

    expect(sink.events).toHaveLength(3);
    expect(sink.closed).toBe(true);
  });

  it('counts records after close as dropped instead of throwing', async () => {
    const sink = new MemorySink('memory');
    const drops: [string, number][] = [];
    const trail = new AuditTrail({
      sinks: [sink],
      onDrop: (name, dropped) => drops.push([name, dropped]),
    });
    await trail.close();

    expect(() => trail.record(accepted(1))).not.toThrow();
    trail.record(accepted(2));
    await trail.flush();

    expect(sink.events).toEqual([]);
    expect(trail.dropped()).toEqual({ memory: 2 });
    expect(drops).toEqual([['memory', 2]]);
  });

  it('reports a sink whose close fails and still closes the others', async () => {
    const good = new MemorySink('good');
    const bad: AuditSink = {
      name: 'bad',
      write: async () => {},
      close: async () => {
        throw new Error('cannot close');
      },
    };
    const errors: string[] = [];
    const trail = new AuditTrail({ sinks: [bad, good], onSinkError: (s) => errors.push(s) });

    await trail.close();

    expect(errors).toEqual(['bad']);
    expect(good.closed).toBe(true);
  });

  it('refuses two sinks with one name', () => {
    const make = () => new AuditTrail({ sinks: [new MemorySink('x'), new MemorySink('x')] });
    expect(make).toThrow(/two audit sinks are named "x"/);
    try {
      make();
    } catch (error) {
      expect(isJujuSshError(error, 'invalid-argument')).toBe(true);
    }
  });

  it('refuses a queue limit that holds no event', () => {
    expect(() => new AuditTrail({ sinks: [], queueLimit: 0 })).toThrow(/queue limit/);
    expect(() => new AuditTrail({ sinks: [], queueLimit: 2.5 })).toThrow(/queue limit/);
  });
});
