/**
 * Every session request that wants a reply gets one. ssh2's server stops answering a session's
 * requests once its command has started or the client has sent EOF (its accept and reject both
 * do nothing then), which leaves a client waiting forever on, say, a signal sent with want-reply.
 * This wraps the inner connection's CHANNEL_REQUEST handler: such a request is still handed to
 * ssh2 (so the session sees it) but marked as wanting no reply, and is answered here instead.
 */
import type { Connection } from 'ssh2';

/** Requests the bridge carries to the machine after the session has started. */
const CARRIED_AFTER_START = new Set(['signal', 'window-change']);

type ChannelRequestHandler = (
  packet: unknown,
  recipient: number,
  type: string,
  wantReply: boolean,
  data: unknown,
) => void;

interface SessionInternals {
  readonly _channel?: unknown;
  readonly _ending?: boolean;
  readonly _chanInfo?: { readonly outgoing?: { readonly id?: number } };
}

interface ConnectionInternals {
  readonly _chanMgr?: { get(id: number): unknown };
  readonly _protocol?: {
    _handlers?: { CHANNEL_REQUEST?: ChannelRequestHandler };
    channelSuccess?(id: number): void;
    channelFailure?(id: number): void;
  };
}

/** Makes `connection` answer the session requests ssh2 would leave unanswered. */
export function answerLateRequests(connection: Connection): void {
  const { _chanMgr: channels, _protocol: protocol } = connection as unknown as ConnectionInternals;
  const handlers = protocol?._handlers;
  const original = handlers?.CHANNEL_REQUEST;
  if (channels === undefined || handlers === undefined || original === undefined) return;

  handlers.CHANNEL_REQUEST = (packet, recipient, type, wantReply, data) => {
    const session = channels.get(recipient);
    const id = lateSessionId(session);
    if (!wantReply || id === undefined) {
      original(packet, recipient, type, wantReply, data);
      return;
    }
    original(packet, recipient, type, false, data);
    const started = (session as SessionInternals)._channel !== undefined;
    if (started && CARRIED_AFTER_START.has(type)) protocol?.channelSuccess?.(id);
    else protocol?.channelFailure?.(id);
  };
}

/** The peer's channel id of a session that ssh2 no longer answers for, or undefined. */
function lateSessionId(session: unknown): number | undefined {
  if (typeof session !== 'object' || session === null) return undefined;
  if (session.constructor.name !== 'Session') return undefined;
  const internals = session as SessionInternals;
  if (internals._channel === undefined && internals._ending !== true) return undefined;
  return internals._chanInfo?.outgoing?.id;
}
