/**
 * Joins two SSH channels end to end, as a forwarded connection needs: bytes flow both ways with
 * backpressure (stream piping; the SSH windows bound what is held), each side's EOF is passed on
 * once its bytes are delivered (half-close), and a close on either side closes the other.
 */
import type { Channel } from 'ssh2';
import { drained } from './channel-exit.js';

/** Carries `a` and `b` into each other until both are closed. */
export function relayChannels(a: Channel, b: Channel): void {
  forward(a, b);
  forward(b, a);
  closeAfter(a, b);
  closeAfter(b, a);
}

/**
 * Pipes `from` into `to` without ending it: ssh2 closes a server-side channel when its
 * writable side ends, so the EOF is sent explicitly once the bytes have left.
 */
function forward(from: Channel, to: Channel): void {
  from.pipe(to, { end: false });
  void ended(from)
    .then(() => drained(to))
    .then(() => to.eof());
}

/** When `closed` closes, `other` closes too, after every byte bound for it is handed on. */
function closeAfter(closed: Channel, other: Channel): void {
  closed.once('close', () => {
    void ended(closed)
      .then(() => drained(other))
      .then(() => other.close());
  });
}

/** Resolves when `stream` has delivered all it will deliver. */
export function ended(stream: NodeJS.ReadableStream & { readableEnded: boolean }): Promise<void> {
  if (stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}
