import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJujuSshError } from './errors.js';
import { formatTargetName, parseTargetName, type Target } from './target-name.js';

const UUID = '8f0c4d2e-1b3a-4c5d-9e6f-7a8b9c0de21a';

/** Fails when `parse` throws anything but a JujuSshError or takes longer than `limitMs`. */
function returnsOrRefuses(parse: (input: string) => unknown, input: string, limitMs = 250): void {
  const started = performance.now();
  try {
    parse(input);
  } catch (err) {
    if (!isJujuSshError(err)) throw err;
  }
  expect(performance.now() - started).toBeLessThan(limitMs);
}

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const uuid = fc
  .tuple(hex(8), hex(4), hex(3), hex(3), hex(12), fc.constantFrom(...'12345678'))
  .map(([a, b, c, d, e, v]) => `${a}-${b}-${v}${c}-8${d}-${e}`);
const number = fc.nat({ max: 999_999_999 }).map(String);
const application = fc
  .array(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 1, maxLength: 4 })
  .map((segments) => segments.join('-'));
const machineId = fc
  .tuple(number, fc.array(fc.tuple(fc.constantFrom('lxd', 'kvm'), number), { maxLength: 3 }))
  .map(([root, nested]) => [root, ...nested.flat()].join('/'));
const target: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constant('machine' as const), modelUuid: uuid, machineId }),
  fc.record({
    kind: fc.constant('unit' as const),
    modelUuid: uuid,
    application,
    unitNumber: fc.nat({ max: 999_999_999 }),
  }),
  fc.record({
    kind: fc.constant('unit' as const),
    modelUuid: uuid,
    application,
    unitNumber: fc.nat({ max: 999_999_999 }),
    container: fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/),
  }),
);

/** A valid name with some characters replaced, inserted or removed. */
const mutatedName = fc
  .tuple(
    target.map(formatTargetName),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('replace', 'insert', 'delete'),
        fc.constantFrom(...'.-0a9Z_/@: \u00e9\u0000'),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([name, edits]) =>
    edits.reduce((text, [at, edit, char]) => {
      const i = at % (text.length + 1);
      if (edit === 'insert') return text.slice(0, i) + char + text.slice(i);
      if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1);
      return text.slice(0, i) + char + text.slice(i + 1);
    }, name),
  );

describe('parseTargetName on arbitrary input', () => {
  it('reads back every target it writes', () => {
    fc.assert(
      fc.property(target, fc.boolean(), (t, suffix) => {
        const name = formatTargetName(t) + (suffix ? '.juju.local' : '');
        expect(parseTargetName(name)).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it('returns a target or refuses with JujuSshError for any string, promptly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        returnsOrRefuses(parseTargetName, input);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a target or refuses with JujuSshError for mutated valid names, promptly', () => {
    fc.assert(
      fc.property(mutatedName, (input) => returnsOrRefuses(parseTargetName, input)),
      { numRuns: 2000 },
    );
  });

  it('stays prompt on names built to make pattern matching backtrack', () => {
    for (const name of [
      `0.${'a'.repeat(120)}-${'a'.repeat(120)}-.${UUID}`,
      `0.a${'-a1'.repeat(80)}-9.${UUID}`,
      `${'0-lxd-'.repeat(40)}x.${UUID}`,
      `${'a-'.repeat(120)}.1.pg.${UUID}`,
    ]) {
      returnsOrRefuses(parseTargetName, name);
    }
  });
});
