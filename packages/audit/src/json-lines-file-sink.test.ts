import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJujuSshError } from '@juju-ssh/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import { AuditTrail } from './audit-trail.js';
import { JsonLinesFileSink } from './json-lines-file-sink.js';

const started: AuditEvent = {
  event: 'session-started',
  time: '2025-01-01T00:00:00.000Z',
  connectionId: 'conn-1',
  sourceAddress: '127.0.0.1',
  sessionId: 'sess-1',
  user: 'alice',
  targetName: '0.postgresql.8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelUuid: '8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelName: 'prod',
  targetKind: 'machine',
  machineId: '0',
  unit: 'postgresql/0',
  loginUser: 'ubuntu',
  via: 'direct',
};

const channel: AuditEvent = {
  event: 'channel-opened',
  time: '2025-01-01T00:00:01.000Z',
  connectionId: 'conn-1',
  sourceAddress: '127.0.0.1',
  sessionId: 'sess-1',
  channelType: 'session',
  request: 'exec',
  command: 'echo one\necho two\r\n{"event":"forged"}',
  pty: false,
};

const ended: AuditEvent = {
  ...started,
  event: 'session-ended',
  time: '2025-01-01T00:00:02.000Z',
  durationMs: 2000,
  bytesFromClient: 10,
  bytesToClient: 20,
  exitStatus: 0,
  endReason: 'client closed the channel',
};

async function readLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('JsonLinesFileSink', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-file-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends events in order, one JSON object per line, on flush', async () => {
    const path = join(dir, 'audit.jsonl');
    const trail = new AuditTrail({ sinks: [new JsonLinesFileSink(path)] });

    trail.record(started);
    trail.record(channel);
    trail.record(ended);
    await trail.flush();

    expect(await readLines(path)).toEqual([started, channel, ended]);
    await trail.close();
  });

  it('keeps a field with line breaks inside its one line', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JsonLinesFileSink(path);

    await sink.write([channel]);
    await sink.close();

    const text = await readFile(path, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect(await readLines(path)).toEqual([channel]);
  });

  it('creates the file with mode 0600', async () => {
    const path = join(dir, 'audit.jsonl');
    const previous = process.umask(0);
    try {
      const sink = new JsonLinesFileSink(path);
      await sink.write([started]);
      await sink.close();
    } finally {
      process.umask(previous);
    }

    expect(await modeOf(path)).toBe(0o600);
  });

  it('tightens an existing file with a looser mode to 0600 and appends after its lines', async () => {
    const path = join(dir, 'audit.jsonl');
    await writeFile(path, `${JSON.stringify(started)}\n`);
    await chmod(path, 0o644);

    const sink = new JsonLinesFileSink(path);
    await sink.write([ended]);
    await sink.close();

    expect(await modeOf(path)).toBe(0o600);
    expect(await readLines(path)).toEqual([started, ended]);
  });

  it('writes everything recorded before close', async () => {
    const path = join(dir, 'audit.jsonl');
    const trail = new AuditTrail({ sinks: [new JsonLinesFileSink(path)] });
    const events = Array.from({ length: 700 }, (_, n) => ({ ...started, sessionId: `s-${n}` }));

    for (const event of events) trail.record(event);
    await trail.close();

    expect(await readLines(path)).toEqual(events);
    expect(trail.dropped()).toEqual({ [`file:${path}`]: 0 });
  });

  it('reports a file it cannot open, and opens it on a later write once it can', async () => {
    const path = join(dir, 'missing', 'audit.jsonl');
    const sink = new JsonLinesFileSink(path);

    const failure = await sink.write([started]).catch((error: unknown) => error);
    expect(isJujuSshError(failure, 'store')).toBe(true);
    expect(String(failure)).toMatch(/cannot open audit file ".*missing\/audit.jsonl": ENOENT/);

    await mkdir(join(dir, 'missing'));
    await sink.write([ended]);
    await sink.close();
    expect(await readLines(path)).toEqual([ended]);
  });

  it('refuses a path that is not a regular file and leaves its mode alone', async () => {
    const path = join(dir, 'null');
    execFileSync('mknod', ['-m', '0666', path, 'c', '1', '3']);
    const sink = new JsonLinesFileSink(path);

    await expect(sink.write([started])).rejects.toThrow(/is not a regular file/);
    await sink.close();

    expect(await modeOf(path)).toBe(0o666);
  });

  it('rejects a write after close', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = new JsonLinesFileSink(path);
    await sink.write([started]);
    await sink.close();

    await expect(sink.write([ended])).rejects.toThrow(/already closed/);
    expect(await readLines(path)).toEqual([started]);
  });
});
