import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BootstrappedDir,
  bootstrapTemp,
  cleanEnv,
  controllerCli,
} from '../testing/controller-cli.js';

let dir: BootstrappedDir;
let settingsFile: string;

beforeEach(async () => {
  dir = await bootstrapTemp('--controller-id', 'ctl-config');
  settingsFile = join(dir.dataDir, 'controller.yaml');
});
afterEach(() => dir.cleanup());

/** `show-config --format json` with extra arguments and environment variables. */
async function showConfig(args: string[] = [], env: Record<string, string> = {}) {
  const result = await controllerCli(
    ['show-config', '--data-dir', dir.dataDir, '--format', 'json', ...args],
    { env: cleanEnv(env) },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, { value: unknown; source: string }>;
}

describe('settings precedence', () => {
  it('takes a flag over env over controller.yaml over the default', async () => {
    appendFileSync(settingsFile, 'max-connections: 10\nmax-auth-tries: 3\nshutdown-grace: 5\n');
    const config = await showConfig(['--max-connections', '30'], {
      JUJU_SSH_MAX_CONNECTIONS: '20',
      JUJU_SSH_MAX_AUTH_TRIES: '4',
    });
    expect(config['max-connections']).toEqual({ value: 30, source: 'flag --max-connections' });
    expect(config['max-auth-tries']).toEqual({ value: 4, source: 'env JUJU_SSH_MAX_AUTH_TRIES' });
    expect(config['shutdown-grace']).toEqual({ value: 5, source: `${settingsFile}:7` });
    expect(config['login-grace-time']).toEqual({ value: 30, source: 'default' });
    expect(config['controller-id']).toEqual({ value: 'ctl-config', source: `${settingsFile}:3` });
    expect(config['ssh-address']).toEqual({ value: '0.0.0.0:17022', source: `${settingsFile}:4` });
  });

  it('prints a table by default', async () => {
    const result = await dir.ok('show-config', '--log-level', 'debug');
    expect(result).toMatch(/^SETTING\s+VALUE\s+SOURCE\n/);
    expect(result).toMatch(/\nlog-level\s+debug\s+flag --log-level\n/);
  });
});

describe('refused settings', () => {
  it('names an unknown key in controller.yaml and its line, for every command', async () => {
    appendFileSync(settingsFile, 'max-conections: 5\n');
    for (const args of [['show-config'], ['list-users'], ['run', '--ssh-address', '127.0.0.1:0']]) {
      const result = await dir.cli(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`error: ${settingsFile}:5: unknown setting "max-conections"\n`);
    }
  });

  it('names a bad value, the setting and where it came from', async () => {
    appendFileSync(settingsFile, 'ephemeral-key-ttl: soon\n');
    const fromFile = await dir.cli('show-config');
    expect(fromFile.stderr).toBe(
      `error: bad value "soon" for setting ephemeral-key-ttl from ${settingsFile}:5; ` +
        'expected a whole number of seconds from 10 to 86400\n',
    );

    const fromEnv = await controllerCli(['show-config', '--data-dir', dir.dataDir], {
      env: cleanEnv({ JUJU_SSH_EPHEMERAL_KEY_TTL: '60', JUJU_SSH_LOG_LEVEL: 'chatty' }),
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(
      /^error: bad value "chatty" for setting log-level from env JUJU_SSH_LOG_LEVEL; expected/,
    );
  });

  it('refuses a controller.yaml that is not YAML, naming the line', async () => {
    appendFileSync(settingsFile, 'log-level: [warn\n');
    const result = await dir.cli('show-config');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: ${settingsFile}:\\d+: not valid YAML`));
  });
});
