import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count } from './setting-spec.js';
import { parseSettingsFile, readSettingsFile, writeSettingsFile } from './settings-file.js';

const KNOWN = ['controller-id', 'log-level', 'max-connections', 'ssh-address'];
const known = {
  specs: Object.fromEntries(KNOWN.map((name) => [name, count(0, 9, name, 0)])),
  fileHeader: '# settings\n',
};
const parse = (text: string, path: string) => parseSettingsFile(text, path, known);

describe('parseSettingsFile', () => {
  it('reads each setting with the file and line of its key', () => {
    const values = parse(
      '# comment\ncontroller-id: c-1\n\nmax-connections: 50\n',
      '/data/controller.yaml',
    );
    expect(values.get('controller-id')).toEqual({
      value: 'c-1',
      origin: '/data/controller.yaml:2',
    });
    expect(values.get('max-connections')).toEqual({
      value: 50,
      origin: '/data/controller.yaml:4',
    });
  });

  it('accepts an empty file', () => {
    expect(parse('', 'c.yaml').size).toBe(0);
    expect(parse('# nothing\n', 'c.yaml').size).toBe(0);
  });

  it('refuses an unknown key by name and line', () => {
    expect(() => parse('log-level: info\nmax-conections: 5\n', 'c.yaml')).toThrow(
      'c.yaml:2: unknown setting "max-conections"',
    );
  });

  it('refuses nested values, a document that is not a map, and broken YAML', () => {
    expect(() => parse('ssh-address:\n  host: x\n', 'c.yaml')).toThrow(
      'c.yaml:1: ssh-address must be a single value',
    );
    expect(() => parse('- a\n- b\n', 'c.yaml')).toThrow('c.yaml:1: expected a map of settings');
    expect(() => parse('log-level: [info\n', 'c.yaml')).toThrow(/not valid YAML/);
    expect(() => parse('log-level: a\nlog-level: b\n', 'c.yaml')).toThrow(
      /c\.yaml:2: not valid YAML/,
    );
  });
});

describe('writeSettingsFile and readSettingsFile', () => {
  it('round-trip values through a 0600 file and never overwrite one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-file-'));
    try {
      const path = join(dir, 'controller.yaml');
      writeSettingsFile(path, known, {
        'controller-id': 'c-1',
        'ssh-address': '[::]:17022',
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toMatch(/^# settings\n/);
      const values = readSettingsFile(path, known);
      expect(values.get('ssh-address')?.value).toBe('[::]:17022');
      expect(() => writeSettingsFile(path, known, {})).toThrow(/EEXIST/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file it cannot read', () => {
    expect(() => readSettingsFile('/nonexistent/controller.yaml', known)).toThrow(
      /cannot read settings file \/nonexistent\/controller\.yaml/,
    );
  });
});
