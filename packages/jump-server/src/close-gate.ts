/**
 * Keeps a session channel open on our side until its exit status is sent. A client may close its
 * side as soon as both directions have seen EOF (OpenSSH does), before the exit status came; a
 * plain sshd still sends the status then, because it answers the close only once the command
 * ended. ssh2 answers a close at once, after which nothing more can be sent, so the inner
 * connection's CHANNEL_CLOSE handler is wrapped: a close for a held channel is passed to the
 * machine first, and handed to ssh2 only once the bridge has sent the exit status.
 */
import type { ServerChannel } from 'ssh2';

type CloseHandler = (packet: unknown, recipient: number) => void;

interface Hold {
  readonly released: Promise<void>;
  /** Called when the user closes the channel while it is held. */
  readonly onClosing: () => void;
}

interface ChannelInternals {
  readonly incoming?: { readonly id?: number };
  readonly _client?: ConnectionInternals;
}

interface ConnectionInternals {
  readonly _protocol?: { _handlers?: { CHANNEL_CLOSE?: CloseHandler } };
}

const holdsByConnection = new WeakMap<object, Map<number, Hold>>();

/**
 * Holds the user's close of `channel` until `released` settles; `onClosing` runs at once when
 * such a close arrives, so the bridge can pass it on to the machine.
 */
export function holdCloseUntil(
  channel: ServerChannel,
  released: Promise<void>,
  onClosing: () => void,
): void {
  const internals = channel as unknown as ChannelInternals;
  const connection = internals._client;
  const id = internals.incoming?.id;
  if (connection === undefined || id === undefined) return;
  let holds = holdsByConnection.get(connection);
  if (holds === undefined) {
    holds = new Map();
    if (!wrapCloseHandler(connection, holds)) return;
    holdsByConnection.set(connection, holds);
  }
  const hold: Hold = { released, onClosing };
  holds.set(id, hold);
  const forget = () => {
    if (holds?.get(id) === hold) holds.delete(id);
  };
  void released.then(forget, forget);
}

function wrapCloseHandler(connection: ConnectionInternals, holds: Map<number, Hold>): boolean {
  const handlers = connection._protocol?._handlers;
  const original = handlers?.CHANNEL_CLOSE;
  if (handlers === undefined || original === undefined) return false;
  handlers.CHANNEL_CLOSE = (packet, recipient) => {
    const hold = holds.get(recipient);
    if (hold === undefined) {
      original(packet, recipient);
      return;
    }
    hold.onClosing();
    const pass = () => original(packet, recipient);
    void hold.released.then(pass, pass);
  };
  return true;
}
