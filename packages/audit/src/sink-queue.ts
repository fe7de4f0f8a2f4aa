/**
 * One sink's bounded queue and the loop that drains it. Accepting an event is synchronous and
 * cheap; writing happens later, one batch at a time, so a slow sink only ever slows itself.
 */

import type { AuditEvent } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';

/** The most events handed to one `write` call, so a long backlog is written in steps. */
const MAX_BATCH = 512;

/** What a queue tells its owner; both are called outside the caller's stack. */
export interface SinkQueueReports {
  /** A write rejected (or threw); its batch is already counted as dropped. */
  readonly onError: (error: unknown) => void;
  /** Events dropped since the previous report; called at most once per turn of the loop. */
  readonly onDrop: (dropped: number) => void;
}

interface FlushWaiter {
  readonly until: number;
  readonly resolve: () => void;
}

/** Holds at most `limit` events for one sink (queued plus being written) and drains them. */
export class SinkQueue {
  readonly #sink: AuditSink;
  readonly #limit: number;
  readonly #reports: SinkQueueReports;
  #pending: AuditEvent[] = [];
  #inFlight = 0;
  #draining = false;
  #accepted = 0;
  #settled = 0;
  #waiters: FlushWaiter[] = [];
  #dropped = 0;
  #unreported = 0;
  #reportScheduled = false;

  constructor(sink: AuditSink, limit: number, reports: SinkQueueReports) {
    this.#sink = sink;
    this.#limit = limit;
    this.#reports = reports;
  }

  /** The sink this queue feeds. */
  get sink(): AuditSink {
    return this.#sink;
  }

  /** Events dropped over the queue's life: overflow, failed writes, records after close. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues `event`, or drops and counts it when the queue is full. Never throws. */
  push(event: AuditEvent): void {
    if (this.#pending.length + this.#inFlight >= this.#limit) {
      this.drop(1);
      return;
    }

    this.#pending.push(event);
    this.#accepted += 1;
    if (!this.#draining) {
      this.#draining = true;
      // Start on a later turn: the recording code never runs sink code, and events recorded
      // in the same turn leave together as one batch.
      setImmediate(() => void this.#drain());
    }
  }

  /** Counts `count` events as dropped and schedules one report for everything unreported. */
  drop(count: number): void {
    this.#dropped += count;
    this.#unreported += count;
    if (!this.#reportScheduled) {
      this.#reportScheduled = true;
      setImmediate(() => this.reportDrops());
    }
  }

  /** Reports drops not yet reported, if any, now. */
  reportDrops(): void {
    this.#reportScheduled = false;
    const count = this.#unreported;
    if (count === 0) return;

    this.#unreported = 0;
    callOutside(() => this.#reports.onDrop(count));
  }

  /** Resolves once every event accepted so far has been written or has failed. */
  flush(): Promise<void> {
    const until = this.#accepted;
    if (this.#settled >= until) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ until, resolve }));
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH);
      this.#inFlight = batch.length;
      try {
        await this.#sink.write(batch);
      } catch (error) {
        this.drop(batch.length);
        callOutside(() => this.#reports.onError(error));
      }

      this.#inFlight = 0;
      this.#settled += batch.length;
      this.#wakeFlushes();
    }

    this.#draining = false;
  }

  #wakeFlushes(): void {
    const ready = this.#waiters.filter((w) => w.until <= this.#settled);
    if (ready.length === 0) return;

    this.#waiters = this.#waiters.filter((w) => w.until > this.#settled);
    for (const waiter of ready) waiter.resolve();
  }
}

/**
 * Runs a caller's callback. Should it throw, the error is raised again on a later turn: it is
 * not swallowed, and it cannot leave the queue half-updated.
 */
export function callOutside(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    setImmediate(() => {
      throw error;
    });
  }
}
