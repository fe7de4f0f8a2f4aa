import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JujuSshError } from './errors.js';
import {
  ed25519PublicBlob,
  fingerprint,
  formatPublicKeyLine,
  keyTypeOfBlob,
  parsePublicKeyLine,
  sameKey,
} from './ssh-public-key.js';
import { encodeStrings } from './ssh-wire.js';

const scratch = mkdtempSync(join(tmpdir(), 'ssh-public-key-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface MadeKey {
  readonly path: string;
  /** The .pub file's line, comment included. */
  readonly line: string;
  /** What `ssh-keygen -l -E sha256` printed as the fingerprint. */
  readonly fingerprint: string;
}

const made = new Map<string, MadeKey>();

/** A key pair from the real ssh-keygen, one per set of arguments. */
function sshKeygen(...args: string[]): MadeKey {
  const key = args.join(' ');
  const cached = made.get(key);
  if (cached !== undefined) return cached;
  const path = join(scratch, `key${made.size}`);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', 'alice@laptop', ...args, '-f', path]);
  const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], {
    encoding: 'utf8',
  });
  const result = {
    path,
    line: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint: listed.split(' ')[1] ?? '',
  };
  made.set(key, result);
  return result;
}

function refusal(line: string): JujuSshError {
  try {
    parsePublicKeyLine(line);
  } catch (err) {
    if (err instanceof JujuSshError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(line)} to be refused`);
}

const KINDS: ReadonlyArray<[string, string, string[]]> = [
  ['ed25519', 'ssh-ed25519', ['-t', 'ed25519']],
  ['ECDSA P-256', 'ecdsa-sha2-nistp256', ['-t', 'ecdsa', '-b', '256']],
  ['ECDSA P-384', 'ecdsa-sha2-nistp384', ['-t', 'ecdsa', '-b', '384']],
  ['ECDSA P-521', 'ecdsa-sha2-nistp521', ['-t', 'ecdsa', '-b', '521']],
  ['RSA 2048', 'ssh-rsa', ['-t', 'rsa', '-b', '2048']],
  ['RSA 3072', 'ssh-rsa', ['-t', 'rsa', '-b', '3072']],
];

describe('parsePublicKeyLine with keys from ssh-keygen', () => {
  it.each(KINDS)('reads and writes back a %s key line unchanged', (_, type, args) => {
    const { line } = sshKeygen(...args);
    const key = parsePublicKeyLine(line);
    expect(key.type).toBe(type);
    expect(key.comment).toBe('alice@laptop');
    expect(keyTypeOfBlob(key.blob)).toBe(type);
    expect(formatPublicKeyLine(key)).toBe(line);
  });

  it.each(KINDS)('computes the same fingerprint as ssh-keygen for %s', (_, __, args) => {
    const made = sshKeygen(...args);
    expect(made.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fingerprint(parsePublicKeyLine(made.line).blob)).toBe(made.fingerprint);
  });

  it('reads a line without a comment and writes it without one', () => {
    const [type, data] = sshKeygen('-t', 'ed25519').line.split(' ');
    const line = `${type} ${data}`;
    expect(parsePublicKeyLine(line).comment).toBe('');
    expect(formatPublicKeyLine(parsePublicKeyLine(line))).toBe(line);
  });

  it('accepts tabs and surrounding whitespace, and a comment of several words', () => {
    const [type, data] = sshKeygen('-t', 'ed25519').line.split(' ');
    const key = parsePublicKeyLine(`  ${type}\t${data}  alice at laptop \n`);
    expect(key.comment).toBe('alice at laptop');
  });

  it('keeps a comment in any script', () => {
    const [type, data] = sshKeygen('-t', 'ed25519').line.split(' ');
    expect(parsePublicKeyLine(`${type} ${data} älice@東京`).comment).toBe('älice@東京');
  });

  it('tells two different keys apart and one key from itself', () => {
    const a = parsePublicKeyLine(sshKeygen('-t', 'ed25519').line).blob;
    const b = parsePublicKeyLine(sshKeygen('-t', 'ecdsa', '-b', '256').line).blob;
    expect(sameKey(a, Buffer.from(a))).toBe(true);
    expect(sameKey(a, b)).toBe(false);
  });
});

describe('parsePublicKeyLine refusals', () => {
  const ed25519Data = () => sshKeygen('-t', 'ed25519').line.split(' ')[1] ?? '';
  const rsaData = () => sshKeygen('-t', 'rsa', '-b', '2048').line.split(' ')[1] ?? '';
  const b64 = (...parts: Array<Uint8Array | string>) => encodeStrings(...parts).toString('base64');

  it.each([
    ['an empty line', () => '   ', 'the key line is empty'],
    ['an over-long line', () => `ssh-ed25519 ${'A'.repeat(20_000)}`, 'too long'],
    ['a DSA key', () => 'ssh-dss AAAAB3NzaC1kc3M=', 'unsupported key type "ssh-dss"'],
    ['a certificate', () => `ssh-ed25519-cert-v01@openssh.com ${ed25519Data()}`, 'unsupported'],
    ['a private key', () => '-----BEGIN OPENSSH PRIVATE KEY-----', 'unsupported key type'],
    ['a type with no data', () => 'ssh-ed25519', 'not valid base64'],
    ['data that is not base64', () => 'ssh-ed25519 AAAA$AAA', 'not valid base64'],
    ['base64 of the wrong length', () => `ssh-ed25519 ${ed25519Data()}A`, 'not valid base64'],
    [
      'an RSA key labelled ed25519',
      () => `ssh-ed25519 ${rsaData()}`,
      'the key data says "ssh-rsa" but the line says ssh-ed25519',
    ],
    [
      'an ed25519 key labelled ECDSA',
      () => `ecdsa-sha2-nistp256 ${ed25519Data()}`,
      'the key data says "ssh-ed25519"',
    ],
    [
      'an ECDSA key whose curve is not the one named',
      () => `ecdsa-sha2-nistp384 ${b64('ecdsa-sha2-nistp384', 'nistp256', Buffer.alloc(65, 4))}`,
      'not a valid ecdsa-sha2-nistp384 key',
    ],
    ['a truncated blob', () => `ssh-ed25519 ${ed25519Data().slice(0, 40)}`, 'truncated'],
    ['an ed25519 key with no key bytes', () => `ssh-ed25519 ${b64('ssh-ed25519')}`, 'truncated'],
    [
      'an ed25519 key of 31 bytes',
      () => `ssh-ed25519 ${b64('ssh-ed25519', Buffer.alloc(31))}`,
      'not a valid ssh-ed25519 key',
    ],
    [
      'a key with bytes after its fields',
      () => `ssh-ed25519 ${b64('ssh-ed25519', Buffer.alloc(32), 'extra')}`,
      'not a valid ssh-ed25519 key',
    ],
    [
      'an RSA key without a modulus',
      () => `ssh-rsa ${b64('ssh-rsa', Buffer.from([1, 0, 1]))}`,
      'truncated',
    ],
    [
      'base64 with stray trailing bits',
      () => {
        // A P-256 blob is 104 bytes, so the character before the `=` has two unused bits.
        const data = sshKeygen('-t', 'ecdsa', '-b', '256').line.split(' ')[1] ?? '';
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const last = alphabet.indexOf(data.at(-2) ?? '');
        return `ecdsa-sha2-nistp256 ${data.slice(0, -2)}${alphabet[last ^ 1]}=`;
      },
      'not valid base64',
    ],
    [
      'a second key smuggled after a line break',
      () => `ssh-ed25519 ${ed25519Data()} me\nssh-ed25519 ${ed25519Data()} mallory`,
      'line break or control character',
    ],
    [
      'a comment holding a control character',
      () => `ssh-ed25519 ${ed25519Data()} me\u001b[2J`,
      'line break or control character',
    ],
    [
      'a comment holding a C1 control character',
      () => `ssh-ed25519 ${ed25519Data()} me\u0085you`,
      'line break or control character',
    ],
  ])('refuses %s', (_, line, reason) => {
    const err = refusal(line());
    expect(err.code).toBe('invalid-key');
    expect(err.message).toContain(reason);
  });
});

describe('ed25519PublicBlob', () => {
  it('wraps a 32-byte key as ssh-keygen would', () => {
    const key = parsePublicKeyLine(sshKeygen('-t', 'ed25519').line);
    const raw = key.blob.subarray(key.blob.length - 32);
    expect(ed25519PublicBlob(raw)).toEqual(key.blob);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => ed25519PublicBlob(new Uint8Array(33))).toThrow(JujuSshError);
  });
});
