/**
 * Writes ed25519 private keys in OpenSSH's own `openssh-key-v1` format, unencrypted. ssh2 reads
 * this format (it rejects PKCS8), and so does ssh-keygen. The output is byte-stable for a given
 * seed: the check integer is derived from the seed instead of drawn at random.
 */
import { createHash } from 'node:crypto';
import { JujuSshError } from './errors.js';
import { encodeStrings } from './ssh-wire.js';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BLOCK_SIZE = 8;
const LINE_WIDTH = 70;

/**
 * Encodes an ed25519 key pair as an OpenSSH private key file.
 * @param seed the 32-byte private seed
 * @param publicKey the 32-byte public key belonging to `seed`
 */
export function encodeEd25519PrivateKey(
  seed: Uint8Array,
  publicKey: Uint8Array,
  comment = '',
): string {
  if (seed.length !== 32 || publicKey.length !== 32) {
    throw new JujuSshError('invalid-key', 'an ed25519 seed and public key are 32 bytes each');
  }
  const publicBlob = encodeStrings('ssh-ed25519', publicKey);
  const check = createHash('sha256').update('openssh-key-v1 check').update(seed).digest();
  const checkInts = Buffer.concat([check.subarray(0, 4), check.subarray(0, 4)]);
  const secret = encodeStrings('ssh-ed25519', publicKey, Buffer.concat([seed, publicKey]), comment);
  const unpadded = checkInts.length + secret.length;
  const padLength = (BLOCK_SIZE - (unpadded % BLOCK_SIZE)) % BLOCK_SIZE;
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1));
  const privateSection = Buffer.concat([checkInts, secret, padding]);

  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    MAGIC,
    encodeStrings('none', 'none', ''),
    count,
    encodeStrings(publicBlob, privateSection),
  ]).toString('base64');

  const lines = body.match(new RegExp(`.{1,${LINE_WIDTH}}`, 'g')) ?? [];
  return [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    ...lines,
    '-----END OPENSSH PRIVATE KEY-----',
    '',
  ].join('\n');
}
