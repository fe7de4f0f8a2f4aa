import { isJujuSshError } from '@juju-ssh/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSettings } from './load-settings.js';
import { envVariableFor, SETTING_NAMES, type SettingName } from './settings.js';
import { parseSettingsFile } from './settings-file.js';

const PATH = '/d/controller.yaml';

/** Fails when `read` throws anything but a `config` JujuSshError, or is slow. */
function readsOrRefuses(read: () => unknown): void {
  const started = performance.now();
  try {
    read();
  } catch (err) {
    if (!isJujuSshError(err, 'config')) throw err;
  }
  expect(performance.now() - started).toBeLessThan(500);
}

const settingName = fc.constantFrom(...SETTING_NAMES);
const validFile = fc
  .dictionary(settingName, fc.oneof(fc.nat({ max: 100_000 }), fc.boolean(), fc.string()), {
    maxKeys: 6,
  })
  .map((values) =>
    Object.entries(values)
      .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
      .join('\n'),
  );
const yamlNoise = fc.constantFrom(
  ':',
  '- ',
  '{',
  '}',
  '[',
  '&a ',
  '*a',
  '!!binary ',
  '"',
  "'",
  '\t',
  '\n  ',
  '#',
  '|',
  '>',
  '%YAML 1.2\n',
  '---\n',
  '\u0000',
  '\uFEFF',
);
const mutatedFile = fc
  .tuple(validFile, fc.array(fc.tuple(fc.nat(), yamlNoise), { minLength: 1, maxLength: 6 }))
  .map(([text, edits]) =>
    edits.reduce((out, [at, noise]) => {
      const i = at % (out.length + 1);
      return out.slice(0, i) + noise + out.slice(i);
    }, text),
  );

describe('controller.yaml on arbitrary input', () => {
  it('parses or refuses with a config error naming the file, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), mutatedFile), (text) =>
        readsOrRefuses(() => {
          try {
            loadSettings({
              file: parseSettingsFile(text, PATH),
              defaults: { 'controller-id': 'c' },
            });
          } catch (err) {
            if (isJujuSshError(err, 'config'))
              expect(err.message).toMatch(/controller\.yaml|setting/);
            throw err;
          }
        }),
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses an alias bomb promptly instead of expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(`${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    readsOrRefuses(() => parseSettingsFile(levels.join('\n'), PATH));
    expect(() => parseSettingsFile(levels.join('\n'), PATH)).toThrow(/controller\.yaml:1/);
  });
});

describe('settings from flags and environment on arbitrary input', () => {
  const { settings: defaults } = loadSettings({ defaults: { 'controller-id': 'c' } });

  it('gives a value of the right kind or a config error naming setting and source', () => {
    const values = fc.dictionary(settingName, fc.string({ maxLength: 40 }), { maxKeys: 5 });
    fc.assert(
      fc.property(values, fc.boolean(), (given, asEnv) => {
        const source = asEnv
          ? {
              env: Object.fromEntries(
                Object.entries(given).map(([k, v]) => [envVariableFor(k as SettingName), v]),
              ),
            }
          : { flags: given };
        try {
          const { settings } = loadSettings({ ...source, defaults: { 'controller-id': 'c' } });
          for (const name of SETTING_NAMES) {
            expect(typeof settings[name]).toBe(typeof defaults[name]);
          }
        } catch (err) {
          if (!isJujuSshError(err, 'config')) throw err;
          expect(err.message).toMatch(asEnv ? /from env JUJU_SSH_/ : /from flag --|controller id/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the on-off settings as true or false and nothing else', () => {
    const load = (value: string) =>
      loadSettings({
        flags: { 'end-sessions-on-revoke': value },
        defaults: { 'controller-id': 'c' },
      }).settings['end-sessions-on-revoke'];
    expect(load('true')).toBe(true);
    expect(load('false')).toBe(false);
    for (const bad of ['yes', '1', 'TRUE', 'off', '']) {
      expect(() => load(bad)).toThrow(/expected true or false/);
    }
    const fromFile = parseSettingsFile('end-sessions-on-revoke: false\n', PATH);
    expect(
      loadSettings({ file: fromFile, defaults: { 'controller-id': 'c' } }).settings[
        'end-sessions-on-revoke'
      ],
    ).toBe(false);
  });
});
