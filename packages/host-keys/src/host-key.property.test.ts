import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJujuSshError } from '@juju-ssh/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519HostKey } from './ed25519-host-key.js';
import { hostKeyFromPrivateKey } from './host-key.js';

const scratch = mkdtempSync(join(tmpdir(), 'host-key-property-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

/** Real private key files to mutate: ours, and ssh-keygen's of every host key type. */
const realFiles = [
  generateEd25519HostKey('ours').privateKey,
  ...['ed25519', 'ecdsa -b 256', 'ecdsa -b 521', 'rsa -b 2048'].map((spec, i) => {
    const path = join(scratch, `key${i}`);
    execFileSync('ssh-keygen', ['-q', '-N', '', '-C', 'c', '-t', ...spec.split(' '), '-f', path]);
    return readFileSync(path, 'utf8');
  }),
];

function bodyOf(text: string): Buffer {
  return Buffer.from(text.trim().split('\n').slice(1, -1).join(''), 'base64');
}

function armour(body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return [BEGIN, ...lines, END, ''].join('\n');
}

/** Fails when loading throws anything but an `invalid-key` JujuSshError, or is slow. */
function loadsOrRefuses(text: string): void {
  const started = performance.now();
  try {
    hostKeyFromPrivateKey(text, '/etc/juju-ssh/key');
  } catch (err) {
    if (!isJujuSshError(err, 'invalid-key')) throw err;
    expect(err.message).toContain('/etc/juju-ssh/key');
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

const file = fc.constantFrom(...realFiles);

/** A real file's decoded body with bytes overwritten, cut short, or a length field made huge. */
const mutatedBody = fc
  .tuple(
    file.map(bodyOf),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.option(fc.tuple(fc.nat(), fc.constantFrom(0xffffffff, 0x7fffffff, 0x10000)), {
      nil: undefined,
    }),
  )
  .map(([body, edits, cut, length]) => {
    const copy = Buffer.from(body);
    for (const [at, value] of edits) copy[at % copy.length] = value;
    if (length !== undefined) copy.writeUInt32BE(length[1], length[0] % (copy.length - 4));
    return armour(cut === undefined ? copy : copy.subarray(0, cut % copy.length));
  });

describe('hostKeyFromPrivateKey on damaged files', () => {
  it('loads or refuses, naming the file, for mutated openssh-key-v1 bodies', () => {
    fc.assert(fc.property(mutatedBody, loadsOrRefuses), { numRuns: 1500 });
  });

  it('loads or refuses for files with lines dropped, doubled or edited as text', () => {
    const edited = fc
      .tuple(file, fc.nat(), fc.constantFrom('drop', 'double', 'char', 'truncate'), fc.nat())
      .map(([text, at, how, where]) => {
        const lines = text.split('\n');
        const i = at % lines.length;
        if (how === 'drop') lines.splice(i, 1);
        if (how === 'double') lines.splice(i, 0, lines[i] ?? '');
        if (how === 'char') {
          const line = lines[i] ?? '';
          const j = where % Math.max(1, line.length);
          lines[i] = `${line.slice(0, j)}${'A+/=-\u0000é'[where % 7]}${line.slice(j + 1)}`;
        }
        const joined = lines.join('\n');
        return how === 'truncate' ? joined.slice(0, where % joined.length) : joined;
      });
    fc.assert(fc.property(edited, loadsOrRefuses), { numRuns: 1500 });
  });

  it('refuses arbitrary text, armoured or not', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2000 }),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => armour(Buffer.from(bytes))),
      fc
        .uint8Array({ maxLength: 2000 })
        .map((bytes) => armour(Buffer.concat([Buffer.from('openssh-key-v1\0'), bytes]))),
    );
    fc.assert(fc.property(text, loadsOrRefuses), { numRuns: 1500 });
  });
});
