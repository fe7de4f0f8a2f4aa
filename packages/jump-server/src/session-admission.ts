/**
 * Counts what each connection and each user holds open, and admits a new channel only while
 * it stays within the limits: channels per outer connection (against a flood of channel opens
 * on one connection) and target sessions per user (over all of their connections). An admitted
 * channel is released when it closes or is rejected; a closed connection forgets its count.
 */
import { JujuSshError } from '@juju-ssh/core';
import type { Connection } from 'ssh2';
import { rejectChannel } from './channel-open-failure.js';
import type { LimitReporter } from './limit-reporter.js';
import type { JumpServerLimits } from './limits.js';

/** Something that says when it has closed, as an ssh2 channel or session does. */
export interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

/** The accept and reject of one channel open, as ssh2 hands them over. */
export interface ChannelOpen<T extends Closable> {
  readonly accept: () => T;
  readonly reject: () => void;
}

/**
 * How admitting a channel open went. Admitted: use `open`, whose accept and reject keep the
 * count. Refused over the connection's limit: reject the channel with `error`'s message.
 * Refused over the user's limit: `open` is still given (and counted), so the refusal can be
 * told inside the channel, where stock `ssh -J` prints it.
 */
export type OpenAdmission<T extends Closable> =
  | { readonly admitted: true; readonly open: ChannelOpen<T> }
  | { readonly admitted: false; readonly error: JujuSshError; readonly open?: ChannelOpen<T> };

type Limits = Pick<JumpServerLimits, 'maxChannelsPerConnection' | 'maxSessionsPerUser'>;

/** Keeps the per-connection and per-user counts. */
export class SessionAdmission {
  private readonly channels = new Map<string, number>();
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly limits: Limits,
    private readonly reporter: LimitReporter,
  ) {}

  /**
   * Admits a channel open on `connectionId`. With `sessionUser` it opens a target session,
   * which also counts against that user's sessions.
   */
  admitOpen<T extends Closable>(
    connectionId: string,
    sessionUser: string | undefined,
    open: ChannelOpen<T>,
  ): OpenAdmission<T> {
    const { maxChannelsPerConnection, maxSessionsPerUser } = this.limits;
    if (count(this.channels, connectionId) >= maxChannelsPerConnection) {
      this.reporter.hit(
        'max-channels-per-connection',
        maxChannelsPerConnection,
        'too many channels open on one connection; refusing another',
        { connectionId },
      );
      return {
        admitted: false,
        error: new JujuSshError(
          'access-denied',
          `this connection already has ${plural(maxChannelsPerConnection, 'channel')} open, ` +
            'the most the controller allows; close some or open another connection',
        ),
      };
    }
    const releaseChannel = take(this.channels, connectionId);
    if (sessionUser === undefined) return { admitted: true, open: counted(open, releaseChannel) };

    if (count(this.sessions, sessionUser) >= maxSessionsPerUser) {
      this.reporter.hit(
        'max-sessions-per-user',
        maxSessionsPerUser,
        'user has too many sessions open; refusing another',
        { connectionId, user: sessionUser },
      );
      return {
        admitted: false,
        error: new JujuSshError(
          'access-denied',
          `you already have ${plural(maxSessionsPerUser, 'session')} open, the most the ` +
            'controller allows for one user; end some and try again',
        ),
        open: counted(open, releaseChannel),
      };
    }
    const releaseSession = take(this.sessions, sessionUser);
    return {
      admitted: true,
      open: counted(open, () => {
        releaseChannel();
        releaseSession();
      }),
    };
  }

  /** Forgets the channels of a connection that has closed. */
  forgetConnection(connectionId: string): void {
    this.channels.delete(connectionId);
  }

  /** Channels open on `connectionId` now. */
  channelsOf(connectionId: string): number {
    return count(this.channels, connectionId);
  }

  /** Target sessions `user` has open now. */
  sessionsOf(user: string): number {
    return count(this.sessions, user);
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function count(counts: Map<string, number>, key: string): number {
  return counts.get(key) ?? 0;
}

/** Counts one more for `key`; the returned release undoes it once, however often called. */
function take(counts: Map<string, number>, key: string): () => void {
  counts.set(key, count(counts, key) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = count(counts, key) - 1;
    if (left > 0) counts.set(key, left);
    else counts.delete(key);
  };
}

/** `open`, releasing `release` when it is rejected or the channel it accepts closes. */
function counted<T extends Closable>(open: ChannelOpen<T>, release: () => void): ChannelOpen<T> {
  return {
    accept: () => {
      const channel = open.accept();
      if (channel === undefined) release();
      else channel.once('close', release);
      return channel;
    },
    reject: () => {
      release();
      open.reject();
    },
  };
}

/** Runs `open` with an admitted channel's accept and reject; refuses the channel otherwise. */
export type ChannelGate = <T extends Closable>(
  accept: () => T,
  reject: () => void,
  open: (accept: () => T, reject: () => void) => void,
) => void;

/**
 * A gate for the channels a connection opens, counted under `key` against the per-connection
 * limit; a channel over the limit is refused with the reason as its failure text.
 */
export function channelGate(
  admission: SessionAdmission,
  key: string,
  connection: Connection,
): ChannelGate {
  return (accept, reject, open) => {
    const admitted = admission.admitOpen(key, undefined, { accept, reject });
    if (admitted.admitted) open(admitted.open.accept, admitted.open.reject);
    else rejectChannel(connection, reject, admitted.error.message);
  };
}
