/**
 * Refusing a channel with a reason the user's client prints. ssh2's public `reject()` sends an
 * empty description, so the refusal text is slipped into the one protocol call it makes.
 */
import type { Connection, RejectConnection } from 'ssh2';

type ChannelOpenFail = (recipient: number, code: number, description?: string) => void;

interface ProtocolHolder {
  readonly _protocol?: { channelOpenFail?: ChannelOpenFail };
}

/** SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (RFC 4254 section 5.1). */
const ADMINISTRATIVELY_PROHIBITED = 1;

/**
 * Calls `reject` so that the channel-open failure carries `reason`. If ssh2's internals ever
 * change shape, the channel is still refused, only without the text.
 */
export function rejectChannel(connection: Connection, reject: RejectConnection, reason: string) {
  const protocol = (connection as unknown as ProtocolHolder)._protocol;
  const original = protocol?.channelOpenFail;
  if (protocol === undefined || typeof original !== 'function') {
    reject();
    return;
  }
  protocol.channelOpenFail = (recipient) =>
    original.call(protocol, recipient, ADMINISTRATIVELY_PROHIBITED, reason.slice(0, 1024));
  try {
    reject();
  } finally {
    protocol.channelOpenFail = original;
  }
}
