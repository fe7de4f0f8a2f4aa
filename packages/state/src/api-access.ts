/**
 * The HTTPS API's secrets as the store keeps them: one-time registration strings waiting to be
 * exchanged, and the API credentials they were exchanged for. Only SHA-256 hashes are stored.
 */
import { JujuSshError } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';
import type { UserTable } from './users.js';

/** An API credential, without its secret. */
export interface ApiCredentialRecord {
  readonly user: string;
  /** Says where the credential came from (`registration`, `api-token`, a host name). */
  readonly label: string;
  readonly createdAt: Date;
}

/** A credential to create: the hash of its secret and what to call it. */
export interface NewApiCredential {
  /** Lowercase hex SHA-256 of the secret the client holds. */
  readonly tokenHash: string;
  readonly label: string;
  readonly createdAt: Date;
}

const HASH = /^[0-9a-f]{64}$/;
const LABEL = /^[\x20-\x7e]{1,100}$/;

type Redemption =
  | { readonly outcome: 'redeemed'; readonly user: string }
  | { readonly outcome: 'expired'; readonly at: number }
  | { readonly outcome: 'unknown' };

interface CredentialRow {
  readonly user: string;
  readonly label: string;
  readonly createdAt: number;
}

/** Reads and writes registrations and API credentials. */
export class ApiAccessTable {
  constructor(
    private readonly db: Database.Database,
    private readonly users: UserTable,
  ) {}

  /** Notes a registration string (by its hash) that `user` may exchange until `expiresAt`. */
  addRegistration(user: string, secretHash: string, expiresAt: Date): void {
    checkHash(secretHash, 'registration hash');
    checkDate(expiresAt, 'expiry time');
    const insert = this.db.transaction(() => {
      this.users.require(user);
      this.db
        .prepare('INSERT INTO registrations (secret_hash, user, expires_at) VALUES (?, ?, ?)')
        .run(secretHash, user, expiresAt.getTime());
    });
    insert.immediate();
  }

  /**
   * Exchanges a registration for a credential in one step: the registration is gone and the
   * credential exists, or neither changed. Returns the user the registration was for.
   * @throws JujuSshError `access-denied` for an unknown, used or expired registration.
   */
  redeemRegistration(secretHash: string, credential: NewApiCredential, now: Date): string {
    checkHash(secretHash, 'registration hash');
    checkCredential(credential);
    const redeem = this.db.transaction((): Redemption => {
      const row = this.db
        .prepare<[string], { user: string; expiresAt: number }>(
          'SELECT user, expires_at AS expiresAt FROM registrations WHERE secret_hash = ?',
        )
        .get(secretHash);
      if (row === undefined) return { outcome: 'unknown' };
      this.db.prepare('DELETE FROM registrations WHERE secret_hash = ?').run(secretHash);
      if (row.expiresAt <= now.getTime()) return { outcome: 'expired', at: row.expiresAt };
      this.insertCredential(row.user, credential);
      return { outcome: 'redeemed', user: row.user };
    });
    // Refusals are thrown after the transaction, so an expired registration stays deleted.
    const result = redeem.immediate();
    if (result.outcome === 'redeemed') return result.user;
    if (result.outcome === 'expired') {
      throw new JujuSshError(
        'access-denied',
        `this registration string expired at ${new Date(result.at).toISOString()}; ask a ` +
          'controller superuser for a new one',
      );
    }
    throw new JujuSshError(
      'access-denied',
      'this registration string is unknown or has been used already; ask a controller ' +
        'superuser for a new one',
    );
  }

  /** Creates a credential for `user` directly (an admin on the controller's own host). */
  addApiCredential(user: string, credential: NewApiCredential): void {
    checkCredential(credential);
    const insert = this.db.transaction(() => {
      this.users.require(user);
      this.insertCredential(user, credential);
    });
    insert.immediate();
  }

  /** The credential whose secret hashes to `tokenHash`, if any. */
  findApiCredential(tokenHash: string): ApiCredentialRecord | undefined {
    if (!HASH.test(tokenHash)) return undefined;
    const row = this.db
      .prepare<[string], CredentialRow>(
        `SELECT user, label, created_at AS createdAt FROM api_credentials
          WHERE token_hash = ?`,
      )
      .get(tokenHash);
    return row === undefined ? undefined : toRecord(row);
  }

  /** `user`'s credentials, oldest first. */
  listApiCredentials(user: string): ApiCredentialRecord[] {
    return this.db
      .prepare<[string], CredentialRow>(
        `SELECT user, label, created_at AS createdAt FROM api_credentials
          WHERE user = ? ORDER BY created_at, rowid`,
      )
      .all(user)
      .map(toRecord);
  }

  /** Removes every credential and pending registration of `user`; returns how many. */
  revokeApiAccess(user: string): number {
    const revoke = this.db.transaction(() => {
      this.users.require(user);
      const credentials = this.db.prepare('DELETE FROM api_credentials WHERE user = ?').run(user);
      const registrations = this.db.prepare('DELETE FROM registrations WHERE user = ?').run(user);
      return credentials.changes + registrations.changes;
    });
    return revoke.immediate();
  }

  private insertCredential(user: string, credential: NewApiCredential): void {
    this.db
      .prepare(
        `INSERT INTO api_credentials (token_hash, user, label, created_at)
         VALUES (?, ?, ?, ?)`,
      )
      .run(credential.tokenHash, user, credential.label, credential.createdAt.getTime());
  }
}

function checkCredential(credential: NewApiCredential): void {
  checkHash(credential.tokenHash, 'credential hash');
  checkDate(credential.createdAt, 'creation time');
  if (!LABEL.test(credential.label)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad credential label ${shown(credential.label)}: use 1 to 100 printable ASCII characters`,
    );
  }
}

function checkHash(value: string, what: string): void {
  if (!HASH.test(value)) {
    throw new JujuSshError('invalid-argument', `bad ${what}: expected 64 lowercase hex digits`);
  }
}

function checkDate(value: Date, what: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new JujuSshError('invalid-argument', `the ${what} is not a valid date`);
  }
}

function toRecord(row: CredentialRow): ApiCredentialRecord {
  return { user: row.user, label: row.label, createdAt: new Date(row.createdAt) };
}
