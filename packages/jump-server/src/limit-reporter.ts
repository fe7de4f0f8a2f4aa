/**
 * Log lines for limits that were hit. A flood hits a limit thousands of times a second, and a
 * line for each would turn the flood into a disk-filling attack on the log: the first hit of
 * each limit is logged at once, later ones within a period are counted and summed up in one
 * line when the period ends.
 */
import type { Logger } from 'pino';

/** A limit's name as it appears in the log and in the settings (`max-connections`). */
export type LimitName =
  | 'max-connections'
  | 'max-unauthenticated'
  | 'login-grace-time'
  | 'max-auth-tries'
  | 'max-channels-per-connection'
  | 'max-sessions-per-user'
  | 'max-new-connections-per-source';

interface Hit {
  readonly value: number;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

interface Window {
  suppressed: number;
  last?: Hit;
  timer: NodeJS.Timeout;
}

/** Writes a throttled warning each time a limit is hit. */
export class LimitReporter {
  private readonly windows = new Map<LimitName, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly periodMs = 10_000,
  ) {}

  /**
   * Reports that `limit`, set to `value`, refused something. The first hit in a period is
   * logged at once; the others are counted and logged, with the last one's fields, at its end.
   */
  hit(limit: LimitName, value: number, message: string, fields: Record<string, unknown> = {}) {
    const window = this.windows.get(limit);
    if (window !== undefined) {
      window.suppressed += 1;
      window.last = { value, message, fields };
      return;
    }
    this.logger.warn({ limit, value, ...fields }, message);
    const timer = setTimeout(() => this.endWindow(limit), this.periodMs);
    timer.unref();
    this.windows.set(limit, { suppressed: 0, timer });
  }

  /** Writes what is still counted and stops the timers; used when the server closes. */
  flush(): void {
    for (const limit of [...this.windows.keys()]) this.endWindow(limit);
  }

  private endWindow(limit: LimitName): void {
    const window = this.windows.get(limit);
    if (window === undefined) return;
    clearTimeout(window.timer);
    this.windows.delete(limit);
    const { last, suppressed } = window;
    if (last === undefined) return;
    this.logger.warn(
      { limit, value: last.value, ...last.fields, refusedInPeriod: suppressed },
      `${last.message} (${suppressed} more times in ${Math.round(this.periodMs / 1000)}s)`,
    );
  }
}
