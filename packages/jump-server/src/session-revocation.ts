/**
 * Ending running sessions whose access was revoked. A grant is checked when a target is opened;
 * a session that runs for hours would outlive a revoked grant, a disabled user or a removed
 * machine. So each session re-checks its access every few seconds, and when the answer is no,
 * every channel of the session is told why on its stderr, given exit status 255, and closed.
 */
import { isJujuSshError, type Target } from '@juju-ssh/core';
import type { Logger } from 'pino';
import type { ServerChannel } from 'ssh2';
import { drained, sendExit } from './channel-exit.js';
import type { JumpServerServices } from './services.js';

const DRAIN_WAIT_MS = 2000;

/** How a {@link RevocationWatch} checks and whom it tells. */
export interface RevocationWatchOptions {
  readonly intervalMs: number;
  /** Resolves while access holds; rejects with the policy's refusal once it does not. */
  readonly recheck: () => Promise<unknown>;
  /** Called once, with the refusal's message, when access is gone. */
  readonly onRevoked: (reason: string) => void;
  /** Called when a check failed for another reason (a store error): access is not revoked. */
  readonly onCheckFailed?: (error: unknown) => void;
}

/**
 * Re-checks a session's access on a timer. Only the policy's refusals (`access-denied`,
 * `not-found`) revoke: a store that cannot answer for a moment ends no session, it is reported
 * and asked again at the next tick.
 */
export class RevocationWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private revoked = false;

  constructor(private readonly options: RevocationWatchOptions) {}

  /** Starts checking; the first check runs one interval from now. */
  start(): void {
    if (this.timer !== undefined || this.revoked) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops checking; a check in flight reports nothing. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.checking || this.timer === undefined) return;
    this.checking = true;
    try {
      await this.options.recheck();
    } catch (error) {
      if (this.timer === undefined) return;
      if (isJujuSshError(error, 'access-denied') || isJujuSshError(error, 'not-found')) {
        this.revoked = true;
        this.stop();
        this.options.onRevoked(error.message);
      } else {
        this.options.onCheckFailed?.(error);
      }
    } finally {
      this.checking = false;
    }
  }
}

/** A session channel the user is running, and whether it has a terminal (for line ends). */
export interface LiveChannel {
  readonly channel: ServerChannel;
  readonly terminal: boolean;
}

/**
 * Tells each channel `message` on its stderr, then sends exit status 255 and closes it, in
 * that order, and waits for the client's close, so the user's client prints the reason before
 * it exits.
 */
export async function endChannelsWithMessage(
  channels: Iterable<LiveChannel>,
  message: string,
): Promise<void> {
  await Promise.all(
    [...channels].map(async ({ channel, terminal }) => {
      channel.stderr.write(`juju-ssh: ${message}${terminal ? '\r\n' : '\n'}`);
      // A client that stopped reading must not keep its session alive: wait a little, not forever.
      await Promise.race([drained(channel.stderr), delay(DRAIN_WAIT_MS)]);
      const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()));
      sendExit(channel, { kind: 'status', code: 255 });
      channel.close();
      // OpenSSH drops output it has not written yet when a disconnect arrives, so the session
      // ends only once the client has closed its side (or did not within the wait).
      await Promise.race([closed, delay(DRAIN_WAIT_MS)]);
    }),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** What a guard needs to know about the session it guards. */
export interface GuardedSession {
  /** The controller user the session runs for. */
  readonly user: string;
  readonly target: Target;
  /** Set for a JIMM-relayed session, whose access JIMM decides; it is not re-checked. */
  readonly relayed?: unknown;
  readonly logger: Logger;
}

/**
 * Watches one target session's access: keeps its live channels, re-checks the user's access
 * to the target on the configured interval, and on revocation tells every channel why and then
 * asks the session to end.
 */
export class SessionAccessGuard {
  private readonly channels = new Set<LiveChannel>();
  private readonly watch: RevocationWatch | undefined;
  private revocation: string | undefined;

  constructor(
    services: Pick<JumpServerServices, 'policy' | 'limits'>,
    private readonly session: GuardedSession,
    /** Ends the session; called once its channels have been told. */
    private readonly end: (reason: string) => void,
  ) {
    const { limits, policy } = services;
    // A relayed session's access lives in JIMM's token, which is short-lived by design: the
    // controller cannot see a revocation there, and must not end sessions as tokens expire.
    if (!limits.endSessionsOnRevoke || session.relayed !== undefined) return;
    this.watch = new RevocationWatch({
      intervalMs: limits.revocationCheckIntervalMs,
      recheck: () => policy.resolveTarget(session.user, session.target),
      onRevoked: (reason) => void this.revoke(reason),
      onCheckFailed: (error) =>
        session.logger.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'could not re-check the access of a running session; it goes on until the next check',
        ),
    });
  }

  /** Keeps `channel` until it closes, to be told if access is revoked. */
  track(channel: ServerChannel, terminal: boolean): void {
    const live = { channel, terminal };
    this.channels.add(live);
    channel.once('close', () => this.channels.delete(live));
  }

  /** Starts re-checking (when the controller is configured to). */
  start(): void {
    this.watch?.start();
  }

  /** Stops re-checking: the session has ended. */
  stop(): void {
    this.watch?.stop();
  }

  /** Why access was revoked, once it was; set before the channels are told. */
  get revokedBecause(): string | undefined {
    return this.revocation;
  }

  private async revoke(reason: string): Promise<void> {
    this.revocation = reason;
    this.session.logger.warn({ reason }, 'access revoked; ending the session');
    await endChannelsWithMessage(this.channels, `access revoked: ${reason}; the session ends`);
    this.end(reason);
  }
}
