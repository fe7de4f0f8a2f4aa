import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJujuSshError } from './errors.js';
import { keyTypeOfBlob } from './ssh-public-key.js';
import { encodeStrings, WireReader } from './ssh-wire.js';

/** Reads strings until the reader is done; each read either advances or throws. */
function readAll(bytes: Buffer): Buffer[] {
  const reader = new WireReader(bytes);
  const parts: Buffer[] = [];
  while (!reader.done) parts.push(reader.readBytes());
  return parts;
}

/** Fails when `read` throws anything but an `invalid-key` JujuSshError, or is slow. */
function readsOrRefuses(read: () => unknown): void {
  const started = performance.now();
  try {
    read();
  } catch (err) {
    if (!isJujuSshError(err, 'invalid-key')) throw err;
  }
  expect(performance.now() - started).toBeLessThan(250);
}

const part = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 100 }).map((text) => Buffer.from(text, 'utf8')),
);

describe('SSH wire strings', () => {
  it('read back exactly what was encoded, and then report done', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 20 }), (parts) => {
        expect(readAll(encodeStrings(...parts))).toEqual(parts);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuse every truncation of a valid encoding with an invalid-key error', () => {
    const cut = fc.array(part, { minLength: 1, maxLength: 8 }).chain((parts) => {
      const encoded = encodeStrings(...parts);
      return fc.tuple(fc.constant(encoded), fc.nat({ max: encoded.length - 1 }));
    });
    fc.assert(
      fc.property(cut, ([encoded, length]) => {
        const truncated = encoded.subarray(0, length);
        // A cut on a string boundary is a shorter valid encoding; any other cut is refused.
        try {
          readAll(truncated);
        } catch (err) {
          expect(isJujuSshError(err, 'invalid-key')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('read or refuse any bytes at all, promptly, whatever the length fields claim', () => {
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
      fc
        .tuple(fc.constantFrom(0xffffffff, 0x7fffffff, 0x80000000, 1 << 20), fc.uint8Array())
        .map(([length, rest]) => {
          const head = Buffer.alloc(4);
          head.writeUInt32BE(length);
          return Buffer.concat([head, Buffer.from(rest)]);
        }),
    );
    fc.assert(
      fc.property(hostile, (bytes) => {
        readsOrRefuses(() => readAll(bytes));
        readsOrRefuses(() => new WireReader(bytes).readString());
        readsOrRefuses(() => keyTypeOfBlob(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
