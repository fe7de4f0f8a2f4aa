/**
 * Refusing a target so that stock `ssh -J` shows why. OpenSSH's jump (`-W`) client exits on a
 * channel-open failure without printing its text, but it does print the description of an SSH
 * disconnect on the inner hop. So a refused target gets its channel accepted, and the inner
 * hop is answered with a version line and an unencrypted SSH_MSG_DISCONNECT (RFC 4253 11.1,
 * sent before key exchange as section 11.1 allows) carrying the reason; then the channel ends.
 */
import { randomBytes } from 'node:crypto';
import { encodeStrings } from '@juju-ssh/core';
import type { ServerChannel } from 'ssh2';

const SSH_MSG_DISCONNECT = 1;
/** SSH_DISCONNECT_HOST_NOT_ALLOWED_TO_CONNECT */
const HOST_NOT_ALLOWED = 1;
const BLOCK_SIZE = 8;
const MIN_PADDING = 4;
const MAX_REASON_LENGTH = 400;

/** The identification line the refusing side sends before its disconnect. */
export const REFUSAL_IDENT = 'SSH-2.0-juju-ssh\r\n';

/** An unencrypted binary packet (RFC 4253 section 6) carrying SSH_MSG_DISCONNECT. */
export function disconnectPacket(reason: string): Buffer {
  const text = reason.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_REASON_LENGTH);
  const code = Buffer.alloc(5);
  code.writeUInt8(SSH_MSG_DISCONNECT, 0);
  code.writeUInt32BE(HOST_NOT_ALLOWED, 1);
  const payload = Buffer.concat([code, encodeStrings(text, '')]);

  let padding = BLOCK_SIZE - ((4 + 1 + payload.length) % BLOCK_SIZE);
  if (padding < MIN_PADDING) padding += BLOCK_SIZE;
  const header = Buffer.alloc(5);
  header.writeUInt32BE(1 + payload.length + padding, 0);
  header.writeUInt8(padding, 4);
  return Buffer.concat([header, payload, randomBytes(padding)]);
}

/**
 * Answers the inner hop on `channel` with a disconnect naming `reason`. The disconnect follows
 * the client's identification line, as it would from a real server, and the channel is ended
 * once the client has gone (or after `lingerMs`), so the client is never writing into a channel
 * that closed under it.
 */
export function refuseInsideChannel(channel: ServerChannel, reason: string, lingerMs = 5000) {
  let sent = false;
  const sendDisconnect = () => {
    if (sent) return;
    sent = true;
    channel.write(disconnectPacket(reason));
    setTimeout(() => channel.end(), lingerMs).unref();
  };
  let seen = '';
  channel.on('data', (chunk: Buffer) => {
    if (sent) return;
    seen += chunk.toString('latin1');
    if (seen.includes('\n') || seen.length > 255) sendDisconnect();
  });
  channel.once('end', () => channel.end());
  channel.write(REFUSAL_IDENT);
  setTimeout(sendDisconnect, lingerMs).unref();
}
