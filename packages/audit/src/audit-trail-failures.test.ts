import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditSink } from './audit-sink.js';
import { AuditTrail } from './audit-trail.js';
import { JsonLinesFileSink } from './json-lines-file-sink.js';
import { accepted, FailingSink, ids, MemorySink, nextTurn, range, until } from './test-sinks.js';

describe('AuditTrail under a slow or failing sink', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-trail-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('drops and counts what overflows a blocked sink, and reports the drops in one call', async () => {
    const blocked = new MemorySink('blocked');
    blocked.hold();
    const drops: [string, number][] = [];
    const trail = new AuditTrail({
      sinks: [blocked],
      queueLimit: 3,
      onDrop: (sink, dropped) => drops.push([sink, dropped]),
    });

    for (let n = 0; n < 10; n += 1) trail.record(accepted(n));
    await nextTurn();
    await nextTurn();

    expect(trail.dropped()).toEqual({ blocked: 7 });
    expect(drops).toEqual([['blocked', 7]]);

    blocked.release();
    await trail.flush();
    expect(ids(blocked.events)).toEqual(['conn-0', 'conn-1', 'conn-2']);
  });

  it('keeps the limit while a batch is being written', async () => {
    const blocked = new MemorySink('blocked');
    blocked.hold();
    const trail = new AuditTrail({ sinks: [blocked], queueLimit: 3 });

    for (let n = 0; n < 2; n += 1) trail.record(accepted(n));
    await nextTurn();
    for (let n = 2; n < 6; n += 1) trail.record(accepted(n));

    expect(trail.dropped()).toEqual({ blocked: 3 });
    blocked.release();
    await trail.flush();
    expect(ids(blocked.events)).toEqual(['conn-0', 'conn-1', 'conn-2']);
  });

  it('lets a fast sink receive everything while another sink is blocked', async () => {
    const blocked = new MemorySink('blocked');
    blocked.hold();
    const fast = new MemorySink('fast');
    const trail = new AuditTrail({ sinks: [blocked, fast] });

    for (let n = 0; n < 5; n += 1) trail.record(accepted(n));
    await until(() => fast.events.length === 5);

    expect(blocked.events).toEqual([]);
    blocked.release();
    await trail.flush();
    expect(blocked.events).toHaveLength(5);
  });

  it('keeps writing to other sinks when one rejects, and reports the failure', async () => {
    const failing = new FailingSink('failing');
    const path = join(dir, 'audit.jsonl');
    const file = new JsonLinesFileSink(path);
    const errors: [string, unknown][] = [];
    const drops: [string, number][] = [];
    const trail = new AuditTrail({
      sinks: [failing, file],
      onSinkError: (sink, error) => errors.push([sink, error]),
      onDrop: (sink, dropped) => drops.push([sink, dropped]),
    });

    for (let n = 0; n < 4; n += 1) trail.record(accepted(n));
    await nextTurn();
    for (let n = 4; n < 8; n += 1) trail.record(accepted(n));
    await trail.close();

    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).connectionId)).toEqual(ids(range(8)));
    expect(failing.writes).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBe(failing.writes);
    expect(errors.every(([sink]) => sink === 'failing')).toBe(true);
    expect(String(errors[0]?.[1])).toContain('disk on fire');
    expect(trail.dropped()).toEqual({ failing: 8, [file.name]: 0 });
    expect(drops.reduce((sum, [, n]) => sum + n, 0)).toBe(8);
    expect(drops.every(([sink]) => sink === 'failing')).toBe(true);
  });

  it('reports a sink that throws instead of rejecting, without throwing from record', async () => {
    const errors: string[] = [];
    const throwing: AuditSink = {
      name: 'throwing',
      write: () => {
        throw new Error('not even a promise');
      },
      close: async () => {},
    };
    const trail = new AuditTrail({
      sinks: [throwing],
      onSinkError: (sink) => errors.push(sink),
    });

    expect(() => trail.record(accepted(1))).not.toThrow();
    await trail.flush();

    expect(errors).toEqual(['throwing']);
    expect(trail.dropped()).toEqual({ throwing: 1 });
  });
});
