/**
 * The secrets the API hands out: one-time registration strings and the credentials they are
 * exchanged for. Each is 32 random bytes behind a prefix that says what it is; the store keeps
 * only SHA-256 hashes, so a copy of the store lets no one in.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How a registration string starts. */
export const REGISTRATION_PREFIX = 'jsr1_';
/** How an API credential starts. */
export const CREDENTIAL_PREFIX = 'jsc1_';

const SECRET_BYTES = 32;

/** A new secret: `prefix` and 43 base64url characters. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(SECRET_BYTES).toString('base64url');
}

/** The lowercase hex SHA-256 of a secret, as the store keeps it. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `text` has the shape of a secret with this prefix. */
export function isSecret(text: string, prefix: string): boolean {
  return text.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(text.slice(prefix.length));
}
