/**
 * Copies bytes both ways between the user's forwarded channel and the controller's, with
 * backpressure, without looking inside them. Each direction ends on its own: an EOF from one
 * side is passed on as an EOF, and the other direction keeps flowing until it ends too.
 */
import type { Channel, ClientChannel, ServerChannel } from 'ssh2';
import type { RelayDirection } from './services.js';

/** Bytes relayed so far, each way. */
export interface RelayCounters {
  toController: number;
  toClient: number;
}

/** How a relay reports what it carries and when it is over. */
export interface RelayHooks {
  /** Sees each chunk, after it is counted. */
  readonly onChunk?: (direction: RelayDirection, chunk: Buffer) => void;
  /** Called once, when both channels have closed. */
  readonly onClosed?: (counters: RelayCounters) => void;
}

/**
 * Relays between `user` (a channel JIMM serves) and `controller` (a channel JIMM opened as a
 * client) until both have closed; returns the live counters.
 */
export function relayChannels(
  user: ServerChannel,
  controller: ClientChannel,
  hooks: RelayHooks = {},
): RelayCounters {
  const counters: RelayCounters = { toController: 0, toClient: 0 };
  copy(user, controller, 'to-controller', counters, hooks);
  copy(controller, user, 'to-client', counters, hooks);

  // When one side closes outright, nothing more can cross; the other side is finished once
  // what it already holds has been written.
  user.once('close', () => finish(controller));
  controller.once('close', () => finish(user));

  let open = 2;
  const closed = () => {
    open -= 1;
    if (open === 0) hooks.onClosed?.(counters);
  };
  user.once('close', closed);
  controller.once('close', closed);
  return counters;
}

function copy(
  from: Channel,
  to: Channel,
  direction: RelayDirection,
  counters: RelayCounters,
  hooks: RelayHooks,
): void {
  from.on('data', (chunk: Buffer) => {
    if (direction === 'to-controller') counters.toController += chunk.length;
    else counters.toClient += chunk.length;
    hooks.onChunk?.(direction, chunk);
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.once('end', () => {
    // The other side has now sent all it will; once our other direction has also ended the
    // whole channel can close, else only an EOF goes on.
    if (to.readableEnded) finish(to);
    else sendEofAfterWrites(to);
  });
}

/** Passes EOF on once every byte already written has gone, keeping the channel open. */
function sendEofAfterWrites(channel: Channel): void {
  // An empty write completes after every write queued before it.
  channel.write(Buffer.alloc(0), () => channel.eof());
}

/** Ends the channel after what it holds is written, then closes it. */
function finish(channel: Channel): void {
  if (channel.writableEnded) return;
  channel.end(() => channel.close());
}
