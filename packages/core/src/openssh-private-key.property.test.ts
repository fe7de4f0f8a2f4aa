import { createPrivateKey, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { isJujuSshError } from './errors.js';
import { encodeEd25519PrivateKey } from './openssh-private-key.js';
import { ed25519PublicBlob } from './ssh-public-key.js';
import { encodeStrings, WireReader } from './ssh-wire.js';

function publicKeyOf(seed: Uint8Array): Buffer {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(
    createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  ).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** The decoded body of an openssh-key-v1 file. */
function bodyOf(text: string): Buffer {
  const lines = text.trim().split('\n');
  return Buffer.from(lines.slice(1, -1).join(''), 'base64');
}

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });
const comment = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme' }));

describe('openssh-key-v1 files', () => {
  it('round-trip through ssh2 for any seed and comment: same key, same comment, signs', () => {
    fc.assert(
      fc.property(seed, comment, (privateSeed, text) => {
        const publicKey = publicKeyOf(privateSeed);
        const file = encodeEd25519PrivateKey(privateSeed, publicKey, text);
        const parsed = ssh2.utils.parseKey(file);
        if (parsed instanceof Error || Array.isArray(parsed)) throw parsed;
        expect(parsed.type).toBe('ssh-ed25519');
        expect(parsed.isPrivateKey()).toBe(true);
        expect(parsed.comment).toBe(text);
        expect(parsed.getPublicSSH()).toEqual(ed25519PublicBlob(publicKey));
        const data = Buffer.from('round trip');
        const signature = parsed.sign(data);
        expect(signature instanceof Error ? signature : parsed.verify(data, signature)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('are byte-stable and hold exactly the fields of an unencrypted openssh-key-v1 file', () => {
    fc.assert(
      fc.property(seed, comment, (privateSeed, text) => {
        const publicKey = publicKeyOf(privateSeed);
        const file = encodeEd25519PrivateKey(privateSeed, publicKey, text);
        expect(encodeEd25519PrivateKey(privateSeed, publicKey, text)).toBe(file);

        const body = bodyOf(file);
        const magic = 'openssh-key-v1\0';
        expect(body.subarray(0, magic.length).toString('latin1')).toBe(magic);
        const outer = new WireReader(body.subarray(magic.length));
        expect([outer.readString(), outer.readString(), outer.readString()]).toEqual([
          'none',
          'none',
          '',
        ]);
        const countAt = magic.length + encodeStrings('none', 'none', '').length;
        expect(body.readUInt32BE(countAt)).toBe(1);
        const keys = new WireReader(body.subarray(countAt + 4));
        expect(keys.readBytes()).toEqual(ed25519PublicBlob(publicKey));
        const section = keys.readBytes();
        expect(keys.done).toBe(true);

        expect(section.length % 8).toBe(0);
        expect(section.readUInt32BE(0)).toBe(section.readUInt32BE(4));
        const inner = new WireReader(section.subarray(8));
        expect(inner.readString()).toBe('ssh-ed25519');
        expect(inner.readBytes()).toEqual(publicKey);
        expect(inner.readBytes()).toEqual(Buffer.concat([privateSeed, publicKey]));
        expect(inner.readString()).toBe(text);
        const used = 8 + 4 + 11 + 4 + 32 + 4 + 64 + 4 + Buffer.byteLength(text);
        const padding = section.subarray(used);
        expect([...padding]).toEqual(Array.from({ length: padding.length }, (_, i) => i + 1));
        expect(padding.length).toBeLessThan(8);
      }),
      { numRuns: 200 },
    );
  });

  it('refuse seeds and public keys of the wrong length with an invalid-key error', () => {
    const wrong = fc.uint8Array({ maxLength: 64 }).filter((bytes) => bytes.length !== 32);
    fc.assert(
      fc.property(wrong, seed, (bad, good) => {
        for (const call of [
          () => encodeEd25519PrivateKey(bad, good),
          () => encodeEd25519PrivateKey(good, bad),
        ]) {
          try {
            call();
            expect.unreachable('a key of the wrong length was encoded');
          } catch (err) {
            expect(isJujuSshError(err, 'invalid-key')).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
