/**
 * Passing a machine's channel-open failure on to the user unchanged: the same reason code and
 * text its sshd gave (for example "connect failed: Connection refused"). ssh2's public
 * `reject()` sends neither, so both are slipped into the one protocol call it makes.
 */
import type { Connection, RejectConnection } from 'ssh2';

type ChannelOpenFail = (recipient: number, code: number, description?: string) => void;

interface ProtocolHolder {
  readonly _protocol?: { channelOpenFail?: ChannelOpenFail };
}

/** SSH_OPEN_CONNECT_FAILED (RFC 4254 section 5.1), for a failure without a code. */
export const CONNECT_FAILED = 2;

/** The code and text ssh2 gives an upstream channel-open failure, where it has them. */
export function describeOpenFailure(error: Error): { code: number; text: string } {
  const reason = (error as Error & { reason?: unknown }).reason;
  const code = typeof reason === 'number' && reason >= 1 && reason <= 4 ? reason : CONNECT_FAILED;
  const text = error.message.replace(/^\(SSH\) Channel open failure: /, '');
  return { code, text };
}

/**
 * Calls `reject` so that the failure carries `code` and `text`. If ssh2's internals ever
 * change shape, the channel is still refused, only without them.
 */
export function rejectWithReason(
  connection: Connection,
  reject: RejectConnection,
  code: number,
  text: string,
): void {
  const protocol = (connection as unknown as ProtocolHolder)._protocol;
  const original = protocol?.channelOpenFail;
  if (protocol === undefined || typeof original !== 'function') {
    reject();
    return;
  }
  protocol.channelOpenFail = (recipient) =>
    original.call(protocol, recipient, code, text.slice(0, 1024));
  try {
    reject();
  } finally {
    protocol.channelOpenFail = original;
  }
}
