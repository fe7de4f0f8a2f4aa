/**
 * Sinks and events for the audit trail's tests: a memory sink that can be held shut, a sink
 * whose every write fails, and helpers to wait for the trail's later turns.
 */

import { expect } from 'vitest';
import type { AuditEvent } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';

/** A `connection-accepted` event whose connection id is `conn-<n>`. */
export function accepted(n: number): AuditEvent {
  return {
    event: 'connection-accepted',
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
    connectionId: `conn-${n}`,
    sourceAddress: '127.0.0.1',
  };
}

/** The connection ids of `events`, in order. */
export function ids(events: readonly AuditEvent[]): string[] {
  return events.map((e) => e.connectionId);
}

/** Resolves after the event loop has gone round once (where the trail does its work). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Keeps what it is given; while `hold` is set, writes wait until `release()` is called. */
export class MemorySink implements AuditSink {
  readonly events: AuditEvent[] = [];
  readonly batchSizes: number[] = [];
  closed = false;
  maxConcurrentWrites = 0;
  #writing = 0;
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};

  constructor(readonly name: string) {}

  hold(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  release(): void {
    this.#open();
  }

  async write(events: readonly AuditEvent[]): Promise<void> {
    this.#writing += 1;
    this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, this.#writing);
    await this.#gate;
    this.batchSizes.push(events.length);
    this.events.push(...events);
    this.#writing -= 1;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A sink whose every write rejects; counts the attempts. */
export class FailingSink implements AuditSink {
  writes = 0;
  constructor(readonly name: string) {}

  async write(): Promise<void> {
    this.writes += 1;
    throw new Error('disk on fire');
  }

  async close(): Promise<void> {}
}

/** Waits, a turn at a time, for `condition`; fails the test if it never holds. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i += 1) await nextTurn();
  expect(condition()).toBe(true);
}

/** `count` accepted events, `conn-0` onwards. */
export function range(count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, n) => accepted(n));
}
