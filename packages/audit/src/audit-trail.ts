/**
 * The audit trail: the one object the jump server records events into. It fans each event out
 * to every sink's own bounded queue and reports failures and drops through callbacks.
 */

import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import type { AuditEvent } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';
import { callOutside, SinkQueue } from './sink-queue.js';

/** How many events one sink may hold, queued or being written, unless told otherwise. */
const DEFAULT_QUEUE_LIMIT = 10_000;

/**
 * What an {@link AuditTrail} writes to and whom it tells about trouble. The callbacks run
 * outside `record`; one that throws leaves the trail intact and its error is raised again
 * on a later turn, as an uncaught exception.
 */
export interface AuditTrailOptions {
  readonly sinks: readonly AuditSink[];
  /** Events one sink may hold, queued or being written; default 10000 per sink. */
  readonly queueLimit?: number;
  /** A sink's write or close failed; that write's events are counted as dropped. */
  readonly onSinkError?: (sink: string, error: unknown) => void;
  /** A sink dropped `dropped` events since its previous report (batched, not per event). */
  readonly onDrop?: (sink: string, dropped: number) => void;
}

/**
 * Carries audit events to sinks off the data path. Each sink drains its own queue, so a slow
 * or failing sink holds up neither another sink nor the code that records.
 */
export class AuditTrail {
  readonly #queues: readonly SinkQueue[];
  readonly #onSinkError: (sink: string, error: unknown) => void;
  #closing: Promise<void> | undefined;

  constructor(options: AuditTrailOptions) {
    const limit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new JujuSshError(
        'invalid-argument',
        `audit queue limit must be a whole number of events, 1 or more; got ${limit}`,
      );
    }

    const names = new Set<string>();
    for (const sink of options.sinks) {
      if (names.has(sink.name)) {
        throw new JujuSshError(
          'invalid-argument',
          `two audit sinks are named ${quoteUntrusted(sink.name)}; give each sink its own name`,
        );
      }
      names.add(sink.name);
    }

    const { onSinkError, onDrop } = options;
    this.#onSinkError = (sink, error) => onSinkError?.(sink, error);
    this.#queues = options.sinks.map(
      (sink) =>
        new SinkQueue(sink, limit, {
          onError: (error) => this.#onSinkError(sink.name, error),
          onDrop: (dropped) => onDrop?.(sink.name, dropped),
        }),
    );
  }

  /**
   * Never blocks or throws: queues the event for every sink. A full queue drops the event and
   * counts it.
   */
  record(event: AuditEvent): void {
    if (this.#closing !== undefined) {
      for (const queue of this.#queues) queue.drop(1);
      return;
    }

    // A copy, so a caller reusing its object cannot change what the sinks are still to write.
    const copy = { ...event };
    for (const queue of this.#queues) queue.push(copy);
  }

  /** Resolves when everything queued so far has been written (or failed). */
  async flush(): Promise<void> {
    await Promise.all(this.#queues.map((queue) => queue.flush()));
    for (const queue of this.#queues) queue.reportDrops();
  }

  /**
   * Flushes and closes every sink; later records are dropped and counted. A sink whose close
   * fails is reported through `onSinkError`; the promise still resolves. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeSinks();
    return this.#closing;
  }

  /** Events dropped so far, per sink name. */
  dropped(): Readonly<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const queue of this.#queues) counts[queue.sink.name] = queue.dropped;
    return Object.freeze(counts);
  }

  async #closeSinks(): Promise<void> {
    // TODO: no time limit; a sink whose write never settles holds close() open for good, so a
    // shutting-down daemon should race it against its own deadline.
    await this.flush();
    await Promise.all(
      this.#queues.map(async (queue) => {
        try {
          await queue.sink.close();
        } catch (error) {
          callOutside(() => this.#onSinkError(queue.sink.name, error));
        }
      }),
    );
  }
}
