import { isJujuSshError } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { envVariableFor, resolveSettings } from './resolve-settings.js';
import { count, identifier, listenAddress, onOff, type SettingsCatalog } from './setting-spec.js';
import { parseSettingsFile } from './settings-file.js';

const SPECS = {
  'server-id': identifier('names the server'),
  'listen-address': listenAddress('0.0.0.0:2222', 'where it listens', '0.0.0.0:2222'),
  'max-connections': count(1, 100, 'connections at most', 10),
  'allow-forwarding': onOff('carry forwardings', true),
};
type Name = keyof typeof SPECS;
const CATALOG: SettingsCatalog<Name> = {
  specs: SPECS,
  envPrefix: 'TEST_',
  fileName: 'server.yaml',
  fileHeader: '# server settings\n',
};

describe('resolveSettings', () => {
  it('takes a flag over a variable over the file over the default, and says which', () => {
    const file = parseSettingsFile(
      'server-id: from-file\nmax-connections: 20\nallow-forwarding: false\n',
      '/etc/server.yaml',
      CATALOG,
    );
    const { values, origins } = resolveSettings(CATALOG, {
      flags: { 'server-id': 'from-flag' },
      env: { TEST_SERVER_ID: 'from-env', TEST_MAX_CONNECTIONS: '30', TEST_ALLOW_FORWARDING: '' },
      file,
    });
    expect(values).toEqual({
      'server-id': 'from-flag',
      'listen-address': { host: '0.0.0.0', port: 2222 },
      'max-connections': 30,
      'allow-forwarding': false,
    });
    expect(origins).toEqual({
      'server-id': 'flag --server-id',
      'listen-address': 'default',
      'max-connections': 'env TEST_MAX_CONNECTIONS',
      'allow-forwarding': '/etc/server.yaml:3',
    });
  });

  it('names the setting, its source and the expected form of a bad value', () => {
    const resolve = () =>
      resolveSettings(CATALOG, { flags: { 'server-id': 's' }, env: { TEST_MAX_CONNECTIONS: '0' } });
    expect(resolve).toThrow(
      'bad value "0" for setting max-connections from env TEST_MAX_CONNECTIONS; ' +
        'expected a whole number from 1 to 100',
    );
  });

  it('gives the reason a listen address was refused', () => {
    const error = (() => {
      try {
        resolveSettings(CATALOG, {
          flags: { 'server-id': 's', 'listen-address': '0.0.0.0:99999' },
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isJujuSshError(error, 'config')).toBe(true);
    expect(String(error)).toMatch(/setting listen-address from flag --listen-address \(.*port/);
    expect(String(error)).toMatch(/; expected HOST:PORT, as in 0\.0\.0\.0:2222$/);
  });

  it('says where a setting without a default should come from', () => {
    expect(() => resolveSettings(CATALOG, {})).toThrow(
      'setting server-id is not set: server.yaml should hold it (bootstrap writes it), or set ' +
        'TEST_SERVER_ID',
    );
  });

  it('takes a default given by the caller for a setting without one', () => {
    const { values, origins } = resolveSettings(CATALOG, { defaults: { 'server-id': 'fresh' } });
    expect(values['server-id']).toBe('fresh');
    expect(origins['server-id']).toBe('default');
  });
});

describe('envVariableFor', () => {
  it('puts the prefix before the name in upper snake case', () => {
    expect(envVariableFor(CATALOG, 'max-connections')).toBe('TEST_MAX_CONNECTIONS');
  });
});
