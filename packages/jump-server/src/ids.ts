/**
 * Identifiers for connections and sessions: short, random, and safe to put in an
 * authorized_keys comment or a log line.
 */
import { randomBytes } from 'node:crypto';

/** A fresh random identifier of `bytes` bytes, as lowercase hex. */
export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}
