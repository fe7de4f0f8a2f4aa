/**
 * The contract every audit sink fulfils: it stores batches of events somewhere (a log, a file)
 * and is closed once when the trail shuts down.
 */

import type { AuditEvent } from './audit-event.js';

/** Where events go. `write` receives batches in order. */
export interface AuditSink {
  /** Names the sink in drop counts and error reports; unique within one trail. */
  readonly name: string;
  /**
   * Stores one batch. The trail never calls it again before the previous call settled; a
   * rejection counts the whole batch as dropped.
   */
  write(events: readonly AuditEvent[]): Promise<void>;
  /** Releases what the sink holds; called once, after its last write. */
  close(): Promise<void>;
}
