/**
 * OpenSSH public keys: parsing and writing the one-line form (`type base64 comment`), the wire
 * blob inside it, and SHA256 fingerprints as `ssh-keygen -l` prints them.
 */
import { createHash } from 'node:crypto';
import { JujuSshError, quoteUntrusted } from './errors.js';
import { encodeStrings, WireReader } from './ssh-wire.js';

/** Key types the jump server accepts from users and machines. */
export const SUPPORTED_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;

/** A public key as read from an OpenSSH public line. */
export interface PublicKey {
  /** Algorithm name, e.g. `ssh-ed25519`. */
  readonly type: string;
  /** The wire-encoded key blob (what the base64 field holds). */
  readonly blob: Buffer;
  /** Free text after the key; empty when absent. */
  readonly comment: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LINE_LENGTH = 16 * 1024;
// Tab separates fields; any other control character (a line break above all) could smuggle a
// second line into an authorized_keys or known_hosts file written from this key.
const CONTROL_CHARACTER = /[^\t\x20-\x7e\xa0-\uffff]/;
const ECDSA_POINT_LENGTHS: Readonly<Record<string, number>> = {
  'ecdsa-sha2-nistp256': 65,
  'ecdsa-sha2-nistp384': 97,
  'ecdsa-sha2-nistp521': 133,
};

/**
 * Parses `type base64 [comment]`. The blob's embedded type must match the line's, and the blob
 * must hold exactly the fields of that type.
 * @throws JujuSshError with code `invalid-key`.
 */
export function parsePublicKeyLine(line: string): PublicKey {
  const trimmed = line.trim();
  if (trimmed.length === 0) throw invalid('the key line is empty');
  if (trimmed.length > MAX_LINE_LENGTH) throw invalid('the key line is too long');
  if (CONTROL_CHARACTER.test(trimmed)) {
    throw invalid('the key line holds a line break or control character; give one key per line');
  }

  const [type = '', data = '', ...rest] = trimmed.split(/[ \t]+/);
  if (!(SUPPORTED_KEY_TYPES as readonly string[]).includes(type)) {
    throw invalid(
      `unsupported key type ${quoteUntrusted(type)}; use one of ${SUPPORTED_KEY_TYPES.join(', ')}`,
    );
  }
  if (!BASE64.test(data) || data.length % 4 !== 0) {
    throw invalid('the key data is not valid base64');
  }

  const blob = Buffer.from(data, 'base64');
  // Non-canonical base64 (stray bits in the last character) decodes to the same bytes as the
  // canonical form; refusing it keeps one line per key, so writing a key back gives its line.
  if (blob.toString('base64') !== data) throw invalid('the key data is not valid base64');

  const reader = new WireReader(blob);
  const embedded = reader.readString();
  if (embedded !== type) {
    throw invalid(`the key data says ${quoteUntrusted(embedded)} but the line says ${type}`);
  }
  if (!hasKeyFields(type, reader)) throw invalid(`the key data is not a valid ${type} key`);
  return { type, blob, comment: rest.join(' ') };
}

/** True when what follows the type in a blob is exactly the fields that type calls for. */
function hasKeyFields(type: string, reader: WireReader): boolean {
  if (type === 'ssh-ed25519') return reader.readBytes().length === 32 && reader.done;
  if (type === 'ssh-rsa') {
    const exponent = reader.readBytes();
    const modulus = reader.readBytes();
    return exponent.length > 0 && modulus.length > 0 && reader.done;
  }
  const curve = reader.readString();
  const point = reader.readBytes();
  return (
    `ecdsa-sha2-${curve}` === type &&
    point.length === ECDSA_POINT_LENGTHS[type] &&
    point[0] === 0x04 &&
    reader.done
  );
}

/** Reads the algorithm name from a wire blob. */
export function keyTypeOfBlob(blob: Buffer): string {
  return new WireReader(blob).readString();
}

/** Writes the one-line OpenSSH form. */
export function formatPublicKeyLine(key: PublicKey): string {
  const base = `${key.type} ${key.blob.toString('base64')}`;
  return key.comment.length > 0 ? `${base} ${key.comment}` : base;
}

/** The `SHA256:…` fingerprint of a key blob, unpadded base64 as OpenSSH prints it. */
export function fingerprint(blob: Uint8Array): string {
  const digest = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The wire blob of a raw 32-byte ed25519 public key. */
export function ed25519PublicBlob(publicKey: Uint8Array): Buffer {
  if (publicKey.length !== 32) throw invalid('an ed25519 public key is 32 bytes');
  return encodeStrings('ssh-ed25519', publicKey);
}

/** True when two key blobs are the same key. */
export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function invalid(reason: string): JujuSshError {
  return new JujuSshError('invalid-key', `invalid SSH public key: ${reason}`);
}

/**
 * The host-key algorithms to offer when the peer's key of `type` is the one to expect, so that
 * a machine with several host keys shows the recorded one and not another.
 */
export function hostKeyAlgorithmsFor(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}
