import { describe, expect, it } from 'vitest';
import { loadSettings } from './load-settings.js';
import { parseSettingsFile } from './settings-file.js';

const file = (text: string) => parseSettingsFile(text, '/d/controller.yaml');
const withId = file('controller-id: ctl-1\n');

describe('loadSettings', () => {
  it('gives every setting its default when nothing else sets it', () => {
    const { settings, origins } = loadSettings({ file: withId });
    expect(settings).toEqual({
      'controller-id': 'ctl-1',
      'ssh-address': { host: '0.0.0.0', port: 17022 },
      'log-level': 'info',
      'ephemeral-key-ttl': 300,
      'max-connections': 1000,
      'max-unauthenticated': 100,
      'login-grace-time': 30,
      'max-auth-tries': 6,
      'upstream-connect-timeout': 10,
      'keepalive-interval': 15,
      'shutdown-grace': 30,
      'max-channels-per-connection': 64,
      'max-sessions-per-user': 100,
      'max-new-connections-per-source': 300,
      'end-sessions-on-revoke': true,
      'revocation-check-interval': 5,
      'allow-local-forwarding': true,
      'allow-remote-forwarding': true,
      'allow-agent-forwarding': true,
      'allow-streamlocal-forwarding': true,
      'api-address': { host: '0.0.0.0', port: 17070 },
    });
    expect(origins['controller-id']).toBe('/d/controller.yaml:1');
    expect(origins['max-connections']).toBe('default');
  });

  it('takes flags over env over the file over defaults', () => {
    const sources = {
      file: file('controller-id: ctl-1\nmax-connections: 10\nmax-auth-tries: 3\nlog-level: warn\n'),
      env: { JUJU_SSH_MAX_CONNECTIONS: '20', JUJU_SSH_MAX_AUTH_TRIES: '4' },
      flags: { 'max-connections': '30' },
    };
    const { settings, origins } = loadSettings(sources);
    expect(settings['max-connections']).toBe(30);
    expect(origins['max-connections']).toBe('flag --max-connections');
    expect(settings['max-auth-tries']).toBe(4);
    expect(origins['max-auth-tries']).toBe('env JUJU_SSH_MAX_AUTH_TRIES');
    expect(settings['log-level']).toBe('warn');
    expect(origins['log-level']).toBe('/d/controller.yaml:4');
    expect(settings['shutdown-grace']).toBe(30);
    expect(origins['shutdown-grace']).toBe('default');
  });

  it('treats an empty environment variable as unset', () => {
    const { settings } = loadSettings({ file: withId, env: { JUJU_SSH_LOG_LEVEL: '' } });
    expect(settings['log-level']).toBe('info');
  });

  it('reads listen addresses, IPv6 in brackets and port 0 included', () => {
    const { settings } = loadSettings({ file: withId, flags: { 'ssh-address': '[::1]:0' } });
    expect(settings['ssh-address']).toEqual({ host: '::1', port: 0 });
  });

  it('refuses a bad value naming the setting, its source and the expected form', () => {
    expect(() => loadSettings({ file: withId, env: { JUJU_SSH_MAX_CONNECTIONS: 'lots' } })).toThrow(
      'bad value "lots" for setting max-connections from env JUJU_SSH_MAX_CONNECTIONS; ' +
        'expected a whole number from 1 to 1000000',
    );
    expect(() =>
      loadSettings({ file: file('controller-id: ctl-1\nlogin-grace-time: -5\n') }),
    ).toThrow(
      'bad value "-5" for setting login-grace-time from /d/controller.yaml:2; ' +
        'expected a whole number of seconds from 1 to 3600',
    );
    expect(() => loadSettings({ file: withId, flags: { 'log-level': 'loud' } })).toThrow(
      /setting log-level from flag --log-level; expected one of fatal, error/,
    );
  });

  it('says what is wrong with a bad address', () => {
    expect(() => loadSettings({ file: withId, flags: { 'ssh-address': '::1:22' } })).toThrow(
      /ssh-address from flag --ssh-address \(bad address .*in brackets.*\); expected HOST:PORT/,
    );
  });

  it('refuses fractions and out-of-range numbers', () => {
    expect(() =>
      loadSettings({ file: file('controller-id: c\nephemeral-key-ttl: 2.5\n') }),
    ).toThrow(/setting ephemeral-key-ttl from \/d\/controller\.yaml:2/);
    expect(() => loadSettings({ file: withId, env: { JUJU_SSH_MAX_AUTH_TRIES: '0' } })).toThrow(
      /max-auth-tries/,
    );
  });

  it('refuses a controller id that is not a lowercase label', () => {
    expect(() => loadSettings({ file: file('controller-id: Ctl_1\n') })).toThrow(
      /setting controller-id from \/d\/controller\.yaml:1; expected 1 to 63 lowercase/,
    );
  });

  it('requires the controller id, which has no default of its own', () => {
    expect(() => loadSettings({})).toThrow(
      /setting controller-id is not set: controller\.yaml should hold it/,
    );
    const { settings, origins } = loadSettings({ defaults: { 'controller-id': 'made-1' } });
    expect(settings['controller-id']).toBe('made-1');
    expect(origins['controller-id']).toBe('default');
  });
});
