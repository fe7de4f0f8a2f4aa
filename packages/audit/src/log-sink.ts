/**
 * The structured-log audit sink: every event becomes one pino line at info level, its fields
 * at the top level so log search finds `event`, `user` or `sessionId` directly.
 */

import type { Logger } from 'pino';
import type { AuditEvent } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';

/**
 * Writes each event to a pino logger at info level (a `pino.Logger`, structured fields,
 * message = event name). The event's own `time` is logged as `eventTime`, because pino's
 * `time` is the moment of logging. A logger set above info drops these lines.
 */
export class LogSink implements AuditSink {
  /** Always `log`. */
  readonly name = 'log';
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Logs every event of the batch, in order. */
  async write(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) {
      const { time, ...fields } = event;
      this.#logger.info({ ...fields, eventTime: time }, event.event);
    }
  }

  /** Flushes the logger's destination; the logger itself belongs to the caller. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#logger.flush((error) => (error ? reject(error) : resolve()));
    });
  }
}
