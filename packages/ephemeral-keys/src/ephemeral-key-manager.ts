/**
 * Installs and removes session keys on machines through the controller's system identity key
 * and the forced command that key is limited to, and sweeps what a crash left behind.
 */
import { isJujuSshError, JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import ssh2 from 'ssh2';
import type { EphemeralKey } from './ephemeral-key.js';
import { ephemeralKeyLine } from './ephemeral-key-line.js';
import type { MachineEndpoint } from './host-key-check.js';
import { checkControllerId, checkSessionId } from './identifiers.js';
import { RemovalQueue } from './removal-queue.js';
import type { ExecResult } from './system-connection.js';
import { poolKey, SystemConnectionPool } from './system-connection-pool.js';
import { REFUSED_STATUS } from './system-key-line.js';

/** How a controller manages ephemeral keys. */
export interface EphemeralKeyManagerOptions {
  /** Names this controller in key comments: `[a-z0-9-]+`. */
  readonly controllerId: string;
  /** The system identity private key, as an `openssh-key-v1` file. */
  readonly systemKey: string;
  /** An installed key's `expiry-time` is this many seconds from now. */
  readonly ttlSeconds: number;
  /** Limit on reaching a machine and logging in; default 10000. */
  readonly connectTimeoutMs?: number;
  /** A pooled system connection closes after this idle time; default 60000. */
  readonly idleCloseMs?: number;
}

/** A session's key line, present on a machine until removed or expired. */
export interface InstalledKey {
  readonly sessionId: string;
  /** When sshd stops accepting the key even if it was never removed. */
  readonly expiresAt: Date;
  /** Takes the line away again; calling it after it succeeded does nothing. */
  remove(): Promise<void>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_IDLE_CLOSE_MS = 60_000;
// Well below sshd's default MaxSessions of 10.
const MAX_CHANNELS_PER_CONNECTION = 8;

/** Edits ephemeral key lines in login users' authorized_keys files on machines. */
export class EphemeralKeyManager {
  private readonly pool: SystemConnectionPool;
  private readonly removals = new Map<string, RemovalQueue>();

  /** @throws JujuSshError `invalid-argument` or `invalid-key` for unusable options. */
  constructor(private readonly options: EphemeralKeyManagerOptions) {
    checkControllerId(options.controllerId);
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new JujuSshError(
        'invalid-argument',
        'the ephemeral key lifetime must be a whole number of seconds above 0, not ' +
          `${options.ttlSeconds}`,
      );
    }
    const parsed = ssh2.utils.parseKey(options.systemKey);
    if (parsed instanceof Error) {
      throw new JujuSshError(
        'invalid-key',
        `the system identity key cannot be read: ${parsed.message}`,
      );
    }
    this.pool = new SystemConnectionPool({
      systemKey: options.systemKey,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      idleCloseMs: options.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS,
      maxChannels: MAX_CHANNELS_PER_CONNECTION,
    });
  }

  /**
   * Adds the key's line (expiry-time option + comment naming controller and session) to the
   * login user's authorized_keys on the machine. A line left for the same session is replaced.
   */
  async install(
    machine: MachineEndpoint,
    loginUser: string,
    sessionId: string,
    key: EphemeralKey,
  ): Promise<InstalledKey> {
    checkSessionId(sessionId);
    const wholeSeconds = Math.floor(Date.now() / 1000) * 1000;
    const expiresAt = new Date(wholeSeconds + this.options.ttlSeconds * 1000);
    const line = ephemeralKeyLine(key.publicLine, this.options.controllerId, sessionId, expiresAt);
    const what = `install the ephemeral key of session ${sessionId}`;
    await this.run({ machine, loginUser, command: 'add', input: `${line}\n`, what });

    let removed = false;
    return {
      sessionId,
      expiresAt,
      remove: async () => {
        if (removed) return;
        await this.removalQueue(machine, loginUser).remove(sessionId);
        removed = true;
      },
    };
  }

  /**
   * Removes every line this controller left for that login user (after a crash). Returns how
   * many.
   */
  async sweep(machine: MachineEndpoint, loginUser: string): Promise<number> {
    const what = 'sweep left-over ephemeral keys';
    const result = await this.run({ machine, loginUser, command: 'sweep', what });
    const count = result.stdout.trim();
    if (!/^[0-9]+$/.test(count)) {
      throw new JujuSshError(
        'upstream-failed',
        `could not ${what} on ${machine.description}: the forced command printed ` +
          `${quoteUntrusted(count)} instead of a count`,
      );
    }
    return Number(count);
  }

  /** Closes pooled system connections. */
  async close(): Promise<void> {
    this.pool.close();
  }

  /** The queue that batches removals for this machine and login user. */
  private removalQueue(machine: MachineEndpoint, loginUser: string): RemovalQueue {
    const key = poolKey(machine, loginUser);
    let queue = this.removals.get(key);
    if (queue === undefined) {
      queue = new RemovalQueue(
        (sessionIds) => this.removeKeys(machine, loginUser, sessionIds),
        () => this.removals.delete(key),
      );
      this.removals.set(key, queue);
    }
    return queue;
  }

  /**
   * Removes the lines of `sessionIds` in one run of the forced command. A machine whose forced
   * command predates removing several sessions at once refuses the list; it gets one run each.
   */
  private async removeKeys(
    machine: MachineEndpoint,
    loginUser: string,
    sessionIds: readonly string[],
  ): Promise<void> {
    const run: ForcedCommandRun = {
      machine,
      loginUser,
      command: `remove ${sessionIds.join(' ')}`,
      what: `remove the ephemeral ${removalSubject(sessionIds)}`,
    };
    const result = await this.exec(run);
    if (result.code !== REFUSED_STATUS || sessionIds.length === 1) {
      this.check(result, run);
      return;
    }
    const failures: unknown[] = [];
    for (const sessionId of sessionIds) {
      await this.removeKeys(machine, loginUser, [sessionId]).catch((error: unknown) => {
        failures.push(error);
      });
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Runs the forced command and insists that it succeeded. */
  private async run(run: ForcedCommandRun): Promise<ExecResult> {
    const result = await this.exec(run);
    this.check(result, run);
    return result;
  }

  private async exec({ machine, loginUser, command, input, what }: ForcedCommandRun) {
    try {
      return await this.pool.exec(machine, loginUser, command, input);
    } catch (err) {
      if (!isJujuSshError(err)) throw err;
      throw new JujuSshError(err.code, `could not ${what}: ${err.message}`, { cause: err });
    }
  }

  /** @throws JujuSshError `upstream-failed` unless the forced command exited with status 0. */
  private check(result: ExecResult, { machine, loginUser, what }: ForcedCommandRun): void {
    if (result.code === 0) return;
    const status = result.signal
      ? `ended by ${result.signal}`
      : `exited with status ${result.code}`;
    const stderr = result.stderr.trim();
    const detail = stderr.length > 0 ? `: ${quoteUntrusted(stderr, 300)}` : ' with no message';
    throw new JujuSshError(
      'upstream-failed',
      `could not ${what} on ${machine.description} for ${loginUser}: the forced command ` +
        `${status}${detail}`,
    );
  }
}

/** One run of the forced command on a machine. */
interface ForcedCommandRun {
  readonly machine: MachineEndpoint;
  readonly loginUser: string;
  /** What the forced command reads from $SSH_ORIGINAL_COMMAND. */
  readonly command: string;
  /** Its standard input, if any. */
  readonly input?: string;
  /** What the run does, as an error puts it: "could not <what>". */
  readonly what: string;
}

/** `key of session a`, or `keys of sessions a, b, c and 5 more`. */
function removalSubject(sessionIds: readonly string[]): string {
  if (sessionIds.length === 1) return `key of session ${sessionIds[0]}`;
  const shown = sessionIds.slice(0, 3).join(', ');
  const more = sessionIds.length > 3 ? ` and ${sessionIds.length - 3} more` : '';
  return `keys of sessions ${shown}${more}`;
}
