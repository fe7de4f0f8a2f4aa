/**
 * Ending a server-side session channel in the order a plain sshd does: every byte of output,
 * then the exit status or signal, then close. ssh2's `exit()` refuses once EOF has been sent,
 * so after a half-close the status goes through the protocol layer directly.
 */
import type { ServerChannel } from 'ssh2';

/** How the remote command ended, as the machine reported it. */
export type ExitReport =
  | { readonly kind: 'status'; readonly code: number }
  | {
      readonly kind: 'signal';
      readonly signal: string;
      readonly coreDumped: boolean;
      readonly message: string;
    };

interface ChannelInternals {
  readonly outgoing?: { readonly id: number; readonly state: string };
  readonly _client?: {
    readonly _protocol?: {
      exitStatus?(id: number, code: number): void;
      exitSignal?(id: number, name: string, coreDumped: boolean, message: string): void;
    };
  };
}

/** The status a shell gives a command killed by a signal it cannot name. */
const SIGNALLED_STATUS = 255;

/** Sends the exit status or signal unless the channel is already closing. */
export function sendExit(channel: ServerChannel, exit: ExitReport): void {
  const internals = channel as unknown as ChannelInternals;
  const state = internals.outgoing?.state;
  const protocol = internals._client?._protocol;
  const id = internals.outgoing?.id;
  try {
    if (state === 'open') {
      if (exit.kind === 'status') channel.exit(exit.code);
      else channel.exit(exit.signal, exit.coreDumped, exit.message);
      return;
    }
    if (state !== 'eof' || protocol === undefined || id === undefined) return;
    if (exit.kind === 'status') protocol.exitStatus?.(id, exit.code);
    else protocol.exitSignal?.(id, exit.signal, exit.coreDumped, exit.message);
  } catch {
    // ssh2 sends only the signal names of RFC 4254; any other is reported as a failed command.
    if (exit.kind === 'signal') sendExit(channel, { kind: 'status', code: SIGNALLED_STATUS });
  }
}

/**
 * Resolves once everything written to `stream` so far has been handed to the SSH layer (or the
 * stream closed). 'drain' cannot tell: Node emits it only after a write was refused, so a
 * buffer below the high-water mark would never report itself empty. An empty write does: its
 * callback runs after every write queued before it.
 */
export function drained(
  stream: NodeJS.WritableStream & { writableLength: number; writableEnded?: boolean },
): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => resolve();
    stream.once('close', done);
    if (stream.writableEnded === true) {
      stream.once('finish', done);
      return;
    }
    stream.write(EMPTY, done);
  });
}

const EMPTY = Buffer.alloc(0);
