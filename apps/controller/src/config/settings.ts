/**
 * The controller's settings: each one's name (kebab-case, as in controller.yaml), the form its
 * value must take, and its default. The loader reads values from flags, env and the file.
 */

import {
  count,
  identifier,
  listenAddress,
  logLevel,
  onOff,
  type SettingsCatalog,
  seconds,
  envVariableFor as settingVariable,
} from '@juju-ssh/settings';
import type { z } from 'zod';

/** Every setting the controller reads, by its name in controller.yaml. */
export const SETTINGS = {
  'controller-id': identifier('names this controller in ephemeral key comments and audit records'),
  'ssh-address': listenAddress(
    '0.0.0.0:17022 or [::]:17022',
    'where the SSH jump server listens (port 0: any free port)',
    '0.0.0.0:17022',
  ),
  'log-level': logLevel('info'),
  'ephemeral-key-ttl': seconds(10, 86_400, 'lifetime of a session key on a machine', 300),
  'max-connections': count(1, 1_000_000, 'open SSH connections at most', 1000),
  'max-unauthenticated': count(1, 100_000, 'connections still logging in at most', 100),
  'login-grace-time': seconds(1, 3600, 'time a connection has to log in', 30),
  'max-auth-tries': count(1, 100, 'authentication attempts per connection', 6),
  'upstream-connect-timeout': seconds(1, 600, 'time to reach a machine sshd', 10),
  'keepalive-interval': seconds(0, 3600, 'time between keepalive probes (0: none)', 15),
  'shutdown-grace': seconds(0, 3600, 'time sessions get to finish on shutdown', 30),
  'max-channels-per-connection': count(1, 10_000, 'channels open on one connection at most', 64),
  'max-sessions-per-user': count(1, 100_000, 'sessions one user may have open at most', 100),
  'max-new-connections-per-source': count(
    0,
    1_000_000,
    'new connections per minute from one source address (IPv6: per /64; 0: no limit)',
    300,
  ),
  'end-sessions-on-revoke': onOff('end running sessions when their access is revoked', true),
  'revocation-check-interval': seconds(1, 3600, 'time between access re-checks of a session', 5),
  'allow-local-forwarding': onOff('carry -L and -D forwardings to machines', true),
  'allow-remote-forwarding': onOff('carry -R forwardings from machines back to users', true),
  'allow-agent-forwarding': onOff("offer users' agents (ssh -A) to machines", true),
  'allow-streamlocal-forwarding': onOff('carry Unix-socket forwardings both ways', true),
  'api-address': listenAddress(
    '0.0.0.0:17070 or [::]:17070',
    'where the HTTPS API listens (unset: the ssh-address host, port 17070, or port 0 ' +
      'when ssh-address has port 0)',
    '0.0.0.0:17070',
  ),
} as const;

/** The controller's settings as the resolver and the settings file know them. */
export const CONTROLLER_SETTINGS: SettingsCatalog<SettingName> = {
  specs: SETTINGS,
  envPrefix: 'JUJU_SSH_',
  fileName: 'controller.yaml',
  fileHeader:
    '# juju-ssh controller settings. Environment variables JUJU_SSH_* and command-line\n' +
    '# flags override these; see `juju-ssh-controller show-config`.\n',
};

/** A setting's name. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting with its value, keyed by name. */
export type Settings = {
  readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']>;
};

/** The setting names in a stable order (as listed above). */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The environment variable that sets `name`: `JUJU_SSH_` and the name in upper snake case. */
export function envVariableFor(name: SettingName): string {
  return settingVariable(CONTROLLER_SETTINGS, name);
}
