/**
 * A pino logger for tests that keeps every line it writes, parsed, so a test can assert on
 * what the jump server logged (a limit that was hit) or did not log (key material).
 */
import { type Level, type Logger, pino } from 'pino';

/** A logger and the lines it has written so far. */
export interface CapturedLog {
  readonly logger: Logger;
  readonly lines: Array<Record<string, unknown>>;
  /** Every line as written, joined with newlines. */
  text(): string;
  /** The lines whose `msg` contains `fragment`. */
  withMessage(fragment: string): Array<Record<string, unknown>>;
}

/** A logger at `level` (default debug) writing into memory. */
export function captureLog(level: Level = 'debug'): CapturedLog {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level },
    {
      write(text: string) {
        raw.push(text);
        lines.push(JSON.parse(text) as Record<string, unknown>);
      },
    },
  );
  return {
    logger,
    lines,
    text: () => raw.join(''),
    withMessage: (fragment) =>
      lines.filter((line) => typeof line.msg === 'string' && line.msg.includes(fragment)),
  };
}
