/**
 * Raw bytes of the SSH transport for tests that speak to the jump server below any SSH
 * library: identification lines, unencrypted binary packets (RFC 4253 section 6) with lengths
 * and padding as given (right or wrong), and KEXINIT payloads with chosen name-lists.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { encodeStrings } from '@juju-ssh/core';

/** A client identification line. */
export const CLIENT_IDENT = 'SSH-2.0-raw_test\r\n';

/** SSH_MSG_KEXINIT */
export const MSG_KEXINIT = 20;

/** A well-formed unencrypted packet carrying `payload`, padded to a multiple of 8. */
export function packet(payload: Buffer): Buffer {
  let padding = 8 - ((4 + 1 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const header = Buffer.alloc(5);
  header.writeUInt32BE(1 + payload.length + padding, 0);
  header.writeUInt8(padding, 4);
  return Buffer.concat([header, payload, randomBytes(padding)]);
}

/** A packet header that claims `length` bytes and `padding` bytes of padding. */
export function packetHeader(length: number, padding: number): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(length >>> 0, 0);
  header.writeUInt8(padding & 0xff, 4);
  return header;
}

/** A KEXINIT payload with the ten name-lists given (RFC 4253 section 7.1). */
export function kexinitPayload(lists: readonly string[]): Buffer {
  const tail = Buffer.alloc(5);
  return Buffer.concat([
    Buffer.from([MSG_KEXINIT]),
    randomBytes(16),
    encodeStrings(...lists),
    tail,
  ]);
}

/** The name-lists of a KEXINIT the jump server accepts. */
export const GOOD_KEXINIT_LISTS: readonly string[] = [
  'curve25519-sha256',
  'ssh-ed25519',
  'aes128-gcm@openssh.com',
  'aes128-gcm@openssh.com',
  'hmac-sha2-256',
  'hmac-sha2-256',
  'none',
  'none',
  '',
  '',
];

/**
 * Connects to 127.0.0.1:`port`, writes `chunks` one after another, and resolves once the server
 * closes the connection or `waitMs` has passed (then it is closed from this side). Resolves
 * with whether the server closed it first.
 */
export function sendRaw(port: number, chunks: readonly Buffer[], waitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const finish = (serverClosed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(serverClosed);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('data', () => {});
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}
