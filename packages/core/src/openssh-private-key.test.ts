import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { JujuSshError } from './errors.js';
import { encodeEd25519PrivateKey } from './openssh-private-key.js';
import { ed25519PublicBlob, fingerprint } from './ssh-public-key.js';

const scratch = mkdtempSync(join(tmpdir(), 'openssh-private-key-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The ed25519 public key of `seed`, computed by Node's own crypto. */
function publicKeyOf(seed: Uint8Array): Buffer {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

const publicLineOf = (seed: Uint8Array) =>
  `ssh-ed25519 ${ed25519PublicBlob(publicKeyOf(seed)).toString('base64')}`;

let counter = 0;
function writeKeyFile(text: string): string {
  counter += 1;
  const path = join(scratch, `id${counter}`);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

const SEED = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

describe('encodeEd25519PrivateKey', () => {
  it('writes the same bytes every time for one seed', () => {
    const a = encodeEd25519PrivateKey(SEED, publicKeyOf(SEED), 'host');
    const b = encodeEd25519PrivateKey(Uint8Array.from(SEED), publicKeyOf(SEED), 'host');
    expect(b).toBe(a);
  });

  it('writes different files for different seeds', () => {
    const other = randomBytes(32);
    expect(encodeEd25519PrivateKey(other, publicKeyOf(other))).not.toBe(
      encodeEd25519PrivateKey(SEED, publicKeyOf(SEED)),
    );
  });

  it('writes the OpenSSH armour with base64 lines of 70 characters', () => {
    const lines = encodeEd25519PrivateKey(SEED, publicKeyOf(SEED)).split('\n');
    expect(lines[0]).toBe('-----BEGIN OPENSSH PRIVATE KEY-----');
    expect(lines.at(-2)).toBe('-----END OPENSSH PRIVATE KEY-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    expect(body.slice(0, -1).every((line) => line.length === 70)).toBe(true);
    expect(Buffer.from(body.join(''), 'base64').subarray(0, 15).toString('latin1')).toBe(
      'openssh-key-v1\0',
    );
  });

  // Comments of every length up to two cipher blocks exercise every amount of padding.
  it.each(Array.from({ length: 17 }, (_, n) => 'c'.repeat(n)))(
    'writes a file ssh-keygen reads, with comment %j',
    (comment) => {
      const seed = randomBytes(32);
      const path = writeKeyFile(encodeEd25519PrivateKey(seed, publicKeyOf(seed), comment));
      const printed = execFileSync('ssh-keygen', ['-y', '-f', path], { encoding: 'utf8' });
      expect(printed.trim()).toBe(
        comment === '' ? publicLineOf(seed) : `${publicLineOf(seed)} ${comment}`,
      );
    },
  );

  it('writes a file whose fingerprint ssh-keygen agrees with', () => {
    const path = writeKeyFile(encodeEd25519PrivateKey(SEED, publicKeyOf(SEED), 'x'));
    const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path], {
      encoding: 'utf8',
    });
    expect(listed.split(' ')[1]).toBe(fingerprint(ed25519PublicBlob(publicKeyOf(SEED))));
  });

  it('writes a file ssh2 reads as the same key pair', () => {
    const text = encodeEd25519PrivateKey(SEED, publicKeyOf(SEED), 'host');
    const parsed = ssh2.utils.parseKey(text);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.type).toBe('ssh-ed25519');
    expect(parsed.comment).toBe('host');
    expect(parsed.isPrivateKey()).toBe(true);
    expect(parsed.getPublicSSH()).toEqual(ed25519PublicBlob(publicKeyOf(SEED)));

    const data = Buffer.from('signed by the key');
    const signature = parsed.sign(data);
    if (signature instanceof Error) throw signature;
    const nodeKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKeyOf(SEED).toString('base64url') },
      format: 'jwk',
    });
    expect(verify(null, data, nodeKey, signature)).toBe(true);
  });

  it.each([
    ['a 31-byte seed', new Uint8Array(31), new Uint8Array(32)],
    ['a 64-byte seed', new Uint8Array(64), new Uint8Array(32)],
    ['a 33-byte public key', new Uint8Array(32), new Uint8Array(33)],
  ])('refuses %s', (_, seed, publicKey) => {
    expect(() => encodeEd25519PrivateKey(seed, publicKey)).toThrow(JujuSshError);
  });
});
