import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import { AuditTrail } from './audit-trail.js';
import { LogSink } from './log-sink.js';

/** A pino destination that keeps every line it is given. */
function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const failed: AuditEvent = {
  event: 'auth-failed',
  time: '2025-01-01T00:00:00.000Z',
  connectionId: 'conn-7',
  sourceAddress: '::1',
  user: 'mallory',
  method: 'password',
  reason: 'only public keys are accepted',
};

const ended: AuditEvent = {
  event: 'session-ended',
  time: '2025-01-01T00:00:05.000Z',
  connectionId: 'conn-8',
  sourceAddress: '127.0.0.1',
  sessionId: 'sess-8',
  user: 'alice',
  targetName: 'charm.1.postgresql.8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelUuid: '8f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  modelName: 'prod',
  targetKind: 'kubernetes',
  unit: 'postgresql/1',
  loginUser: 'root',
  via: 'jimm',
  durationMs: 5000,
  bytesFromClient: 3,
  bytesToClient: 4,
  exitSignal: 'TERM',
  endReason: 'upstream closed',
};

describe('LogSink', () => {
  it('logs each event at info with its fields and the event name as message', async () => {
    const { lines, stream } = captureLines();
    const logger = pino({ level: 'info', base: { service: 'audit-test' } }, stream);
    const trail = new AuditTrail({ sinks: [new LogSink(logger)] });

    trail.record(failed);
    trail.record(ended);
    await trail.close();

    const records = lines.map((line) => JSON.parse(line));
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.msg)).toEqual(['auth-failed', 'session-ended']);
    expect(records.every((r) => r.level === 30 && r.service === 'audit-test')).toBe(true);

    const { time: failedTime, ...failedFields } = failed;
    expect(records[0]).toMatchObject({ ...failedFields, eventTime: failedTime });
    const { time: endedTime, ...endedFields } = ended;
    expect(records[1]).toMatchObject({ ...endedFields, eventTime: endedTime });
  });

  it('leaves pino its own time, so each line holds one time key', async () => {
    const { lines, stream } = captureLines();
    const sink = new LogSink(pino(stream));

    await sink.write([failed]);

    expect(lines).toHaveLength(1);
    expect(lines[0]?.match(/"time":/g)).toHaveLength(1);
    expect(typeof JSON.parse(lines[0] ?? '{}').time).toBe('number');
  });
});
