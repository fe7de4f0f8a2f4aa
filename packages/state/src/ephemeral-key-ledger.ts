/**
 * The ephemeral-key ledger: which machine and login user may still hold a key a controller
 * installed, so that after a crash the controller knows where to sweep.
 */
import { isMachineId, isModelUuid, JujuSshError } from '@juju-ssh/core';
import type Database from 'better-sqlite3';
import { shown } from './display.js';

/** One ephemeral key a controller installed (or is about to install) on a machine. */
export interface EphemeralKeyEntry {
  readonly controllerId: string;
  readonly sessionId: string;
  readonly modelUuid: string;
  readonly machineId: string;
  /** The account on the machine whose `authorized_keys` holds the key. */
  readonly loginUser: string;
  /** When the key's `expiry-time` runs out on the machine. */
  readonly expiresAt: Date;
}

/** Where a controller notes the ephemeral keys it has put on machines. */
export interface EphemeralKeyLedger {
  /** Notes a key before it is installed. @throws `already-exists` for a known session. */
  recordEphemeralKey(entry: EphemeralKeyEntry): void;
  /** Drops the note once the key is removed; forgetting an unknown session does nothing. */
  forgetEphemeralKey(sessionId: string): void;
  /** The keys this controller may have left behind, soonest to expire first. */
  listEphemeralKeys(controllerId: string): EphemeralKeyEntry[];
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const LOGIN_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

interface EphemeralKeyRow {
  readonly controllerId: string;
  readonly sessionId: string;
  readonly modelUuid: string;
  readonly machineId: string;
  readonly loginUser: string;
  readonly expiresAt: number;
}

/** Reads and writes the ledger's table. */
export class EphemeralKeyTable {
  constructor(private readonly db: Database.Database) {}

  /** See {@link EphemeralKeyLedger.recordEphemeralKey}. */
  record(entry: EphemeralKeyEntry): void {
    check(entry);
    const insert = this.db.transaction(() => {
      const known = this.db
        .prepare('SELECT 1 FROM ephemeral_keys WHERE session_id = ?')
        .get(entry.sessionId);
      if (known !== undefined) {
        throw new JujuSshError(
          'already-exists',
          `an ephemeral key for session ${entry.sessionId} is already recorded`,
        );
      }
      this.db
        .prepare(
          `INSERT INTO ephemeral_keys
             (session_id, controller_id, model_uuid, machine_id, login_user, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.sessionId,
          entry.controllerId,
          entry.modelUuid,
          entry.machineId,
          entry.loginUser,
          entry.expiresAt.getTime(),
        );
    });
    insert.immediate();
  }

  /** See {@link EphemeralKeyLedger.forgetEphemeralKey}. */
  forget(sessionId: string): void {
    this.db.prepare('DELETE FROM ephemeral_keys WHERE session_id = ?').run(sessionId);
  }

  /** See {@link EphemeralKeyLedger.listEphemeralKeys}. */
  list(controllerId: string): EphemeralKeyEntry[] {
    return this.db
      .prepare<[string], EphemeralKeyRow>(
        `SELECT controller_id AS controllerId, session_id AS sessionId,
                model_uuid AS modelUuid, machine_id AS machineId,
                login_user AS loginUser, expires_at AS expiresAt
           FROM ephemeral_keys WHERE controller_id = ?
          ORDER BY expires_at, session_id`,
      )
      .all(controllerId)
      .map((row) => ({ ...row, expiresAt: new Date(row.expiresAt) }));
  }
}

function check(entry: EphemeralKeyEntry): void {
  const problems: string[] = [];
  if (!IDENTIFIER.test(entry.controllerId)) {
    problems.push(`bad controller id ${shown(entry.controllerId)}`);
  }
  if (!IDENTIFIER.test(entry.sessionId)) problems.push(`bad session id ${shown(entry.sessionId)}`);
  if (!isModelUuid(entry.modelUuid)) problems.push(`bad model UUID ${shown(entry.modelUuid)}`);
  if (!isMachineId(entry.machineId) || entry.machineId.includes('-')) {
    problems.push(`bad machine id ${shown(entry.machineId)}`);
  }
  if (!LOGIN_USER.test(entry.loginUser)) problems.push(`bad login user ${shown(entry.loginUser)}`);
  if (!(entry.expiresAt instanceof Date) || Number.isNaN(entry.expiresAt.getTime())) {
    problems.push('expiry time is not a valid date');
  }
  if (problems.length > 0) {
    throw new JujuSshError(
      'invalid-argument',
      `cannot record the ephemeral key: ${problems.join('; ')}`,
    );
  }
}
