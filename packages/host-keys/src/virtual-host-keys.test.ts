import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJujuSshError } from '@juju-ssh/core';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import {
  machineHostKeyIdentity,
  unitHostKeyIdentity,
  VIRTUAL_HOST_KEY_VERSION,
  VirtualHostKeys,
} from './virtual-host-keys.js';

const MODEL = '8f0c4d2e-1b3a-4c5d-9e6f-7a8b9c0de21a';
const FIXED_SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
const FIXED_IDENTITY = `${MODEL}/machine/0`;
// Fixed on purpose: if this changes, every deployed controller's virtual host keys change.
const FIXED_PUBLIC_LINE =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFrdBmwXBRJHUW4wuw/tX/tv7eprgHmOqQRQEAhqOAVN';

const scratch = mkdtempSync(join(tmpdir(), 'virtual-host-keys-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The derivation written a second way, with Node's own HKDF and ed25519. */
function independentPublicLine(secret: Uint8Array, identity: string): string {
  const salt = `juju-ssh virtual host key v${VIRTUAL_HOST_KEY_VERSION}`;
  const seed = Buffer.from(hkdfSync('sha256', secret, salt, identity, 32));
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(
    createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  ).export({ format: 'jwk' });
  const raw = Buffer.from(String(jwk.x), 'base64url');
  const blob = Buffer.concat([
    Buffer.from([0, 0, 0, 11]),
    Buffer.from('ssh-ed25519'),
    Buffer.from([0, 0, 0, 32]),
    raw,
  ]);
  return `ssh-ed25519 ${blob.toString('base64')}`;
}

describe('VirtualHostKeys', () => {
  it('derives the known key for a fixed secret and identity', () => {
    const key = new VirtualHostKeys(FIXED_SECRET).forIdentity(FIXED_IDENTITY);
    expect(key.publicLine).toBe(FIXED_PUBLIC_LINE);
  });

  it('matches HKDF-SHA256 and ed25519 computed independently', () => {
    for (const identity of [FIXED_IDENTITY, `${MODEL}/unit/postgresql/3`, 'x']) {
      const secret = VirtualHostKeys.generateSecret();
      const key = new VirtualHostKeys(secret).forIdentity(identity);
      expect(key.publicLine).toBe(independentPublicLine(secret, identity));
    }
  });

  it('gives the same key for the same secret and identity in separate instances', () => {
    const secret = VirtualHostKeys.generateSecret();
    const a = new VirtualHostKeys(secret).forIdentity(FIXED_IDENTITY);
    const b = new VirtualHostKeys(Uint8Array.from(secret)).forIdentity(FIXED_IDENTITY);
    expect(b).toEqual(a);
  });

  it('gives different keys to different identities', () => {
    const keys = new VirtualHostKeys(FIXED_SECRET);
    const lines = new Set(
      [
        machineHostKeyIdentity(MODEL, '0'),
        machineHostKeyIdentity(MODEL, '1'),
        machineHostKeyIdentity(MODEL, '0/lxd/1'),
        unitHostKeyIdentity(MODEL, 'postgresql', 0),
        unitHostKeyIdentity(MODEL, 'postgresql', 1),
      ].map((identity) => keys.forIdentity(identity).publicLine),
    );
    expect(lines.size).toBe(5);
  });

  it('gives different keys under different secrets', () => {
    const other = Uint8Array.from(FIXED_SECRET);
    other[31] = (other[31] ?? 0) ^ 1;
    const a = new VirtualHostKeys(FIXED_SECRET).forIdentity(FIXED_IDENTITY);
    const b = new VirtualHostKeys(other).forIdentity(FIXED_IDENTITY);
    expect(b.publicLine).not.toBe(a.publicLine);
  });

  it('is not changed by later writes to the secret buffer it was given', () => {
    const secret = Uint8Array.from(FIXED_SECRET);
    const keys = new VirtualHostKeys(secret);
    secret.fill(0);
    expect(keys.forIdentity(FIXED_IDENTITY).publicLine).toBe(FIXED_PUBLIC_LINE);
  });

  it('writes a private key that ssh2 reads and whose public part is the public line', () => {
    const key = new VirtualHostKeys(FIXED_SECRET).forIdentity(FIXED_IDENTITY);
    const parsed = ssh2.utils.parseKey(key.privateKey);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.isPrivateKey()).toBe(true);
    expect(parsed.type).toBe('ssh-ed25519');
    expect(`ssh-ed25519 ${parsed.getPublicSSH().toString('base64')}`).toBe(key.publicLine);
    const signature = parsed.sign(Buffer.from('data'));
    expect(signature).toBeInstanceOf(Buffer);
  });

  it('writes a private key from which ssh-keygen prints the same public key', () => {
    const key = new VirtualHostKeys(FIXED_SECRET).forIdentity(FIXED_IDENTITY);
    const file = join(scratch, 'virtual');
    writeFileSync(file, key.privateKey, { mode: 0o600 });
    const printed = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
    expect(printed.trim()).toBe(key.publicLine);
    const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], {
      encoding: 'utf8',
    });
    expect(listed.split(' ')[1]).toBe(key.fingerprint);
  });

  it('returns the remembered key on a second request', () => {
    const keys = new VirtualHostKeys(FIXED_SECRET);
    expect(keys.forIdentity(FIXED_IDENTITY)).toBe(keys.forIdentity(FIXED_IDENTITY));
  });

  it('forgets the least recently used keys beyond its cache size, and derives them again', () => {
    const keys = new VirtualHostKeys(FIXED_SECRET, 2);
    const first = keys.forIdentity('a');
    const second = keys.forIdentity('b');
    expect(keys.forIdentity('a')).toBe(first);
    keys.forIdentity('c');
    // `b` was least recently used, so it went; `a` stayed.
    expect(keys.forIdentity('a')).toBe(first);
    const again = keys.forIdentity('b');
    expect(again).not.toBe(second);
    expect(again).toEqual(second);
  });

  it.each([0, 16, 31, 33, 64])('refuses a %i-byte secret', (length) => {
    expect(() => new VirtualHostKeys(new Uint8Array(length))).toThrow(
      expect.objectContaining({
        code: 'config',
        message: expect.stringContaining(`32 bytes, but it is ${length} bytes`),
      }),
    );
  });

  it('refuses an empty identity', () => {
    expect(() => new VirtualHostKeys(FIXED_SECRET).forIdentity('')).toThrow(/cannot be empty/);
  });

  it('makes 32-byte secrets that differ each time', () => {
    const a = VirtualHostKeys.generateSecret();
    const b = VirtualHostKeys.generateSecret();
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('host key identities', () => {
  it('names a machine by model and machine id', () => {
    expect(machineHostKeyIdentity(MODEL, '0')).toBe(`${MODEL}/machine/0`);
    expect(machineHostKeyIdentity(MODEL, '0/lxd/1')).toBe(`${MODEL}/machine/0/lxd/1`);
  });

  it('names a nested machine the same whether written with slashes or hyphens', () => {
    expect(machineHostKeyIdentity(MODEL, '0-lxd-1')).toBe(machineHostKeyIdentity(MODEL, '0/lxd/1'));
  });

  it('names a Kubernetes unit by model, application and number', () => {
    expect(unitHostKeyIdentity(MODEL, 'postgresql', 3)).toBe(`${MODEL}/unit/postgresql/3`);
  });

  it.each([
    ['a model UUID in capitals', () => machineHostKeyIdentity(MODEL.toUpperCase(), '0'), 'UUID'],
    ['a machine id with a slash in front', () => machineHostKeyIdentity(MODEL, '/0'), 'machine'],
    ['a machine id naming a unit', () => machineHostKeyIdentity(MODEL, '0/unit/x'), 'machine'],
    ['a bad application name', () => unitHostKeyIdentity(MODEL, 'pg/1', 0), 'application'],
    ['a negative unit number', () => unitHostKeyIdentity(MODEL, 'pg', -1), 'unit number'],
    ['a fractional unit number', () => unitHostKeyIdentity(MODEL, 'pg', 1.5), 'unit number'],
  ])('refuses %s', (_, make, word) => {
    try {
      make();
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(isJujuSshError(err, 'invalid-argument')).toBe(true);
      expect(String(err)).toContain(word);
    }
  });
});
