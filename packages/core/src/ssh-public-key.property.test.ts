import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isJujuSshError } from './errors.js';
import { formatPublicKeyLine, parsePublicKeyLine } from './ssh-public-key.js';
import { encodeStrings } from './ssh-wire.js';

const scratch = mkdtempSync(join(tmpdir(), 'ssh-public-key-property-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Real key lines from ssh-keygen, one of each supported type, to mutate. */
const realLines = ['ed25519', 'ecdsa -b 256', 'ecdsa -b 384', 'ecdsa -b 521', 'rsa -b 2048'].map(
  (spec, i) => {
    const path = join(scratch, `key${i}`);
    execFileSync('ssh-keygen', ['-q', '-N', '', '-C', 'a@b', '-t', ...spec.split(' '), '-f', path]);
    return readFileSync(`${path}.pub`, 'utf8').trim();
  },
);

/** Fails when parsing throws anything but a JujuSshError or takes longer than it should. */
function returnsOrRefuses(input: string): void {
  const started = performance.now();
  try {
    parsePublicKeyLine(input);
  } catch (err) {
    if (!isJujuSshError(err, 'invalid-key')) throw err;
  }
  expect(performance.now() - started).toBeLessThan(250);
}

describe('parsePublicKeyLine on arbitrary input', () => {
  const validLines = fc.constantFrom(...realLines);

  it('returns a key or refuses with JujuSshError for any string, promptly', () => {
    const typed = fc
      .tuple(fc.constantFrom('ssh-ed25519 ', 'ssh-rsa ', 'ecdsa-sha2-nistp256 ', ''), fc.string())
      .map(([type, rest]) => type + rest);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), typed), returnsOrRefuses),
      { numRuns: 2000 },
    );
  });

  it('returns a key or refuses with JujuSshError for any bytes labelled as a key', () => {
    const line = fc
      .tuple(
        fc.constantFrom('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp521'),
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 20 })), {
          maxLength: 5,
        }),
      )
      .map(([type, parts]) => `${type} ${encodeStrings(type, ...parts).toString('base64')}`);
    fc.assert(fc.property(line, returnsOrRefuses), { numRuns: 2000 });
  });

  it('returns a key or refuses with JujuSshError for mutated real key lines', () => {
    const mutated = fc
      .tuple(validLines, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1 }))
      .map(([original, edits]) => {
        const bytes = Buffer.from(original, 'latin1');
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        return bytes.toString('latin1');
      });
    fc.assert(fc.property(mutated, returnsOrRefuses), { numRuns: 2000 });
  });

  it('refuses or keeps the bytes exactly for mutated base64 data', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const mutated = fc
      .tuple(validLines, fc.nat(), fc.constantFrom(...alphabet))
      .map(([original, at, char]) => {
        const [type = '', data = ''] = original.split(' ');
        const i = at % data.length;
        return `${type} ${data.slice(0, i)}${char}${data.slice(i + 1)}`;
      });
    fc.assert(
      fc.property(mutated, (line) => {
        try {
          expect(formatPublicKeyLine(parsePublicKeyLine(line))).toBe(line);
        } catch (err) {
          if (!isJujuSshError(err, 'invalid-key')) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
