/**
 * JIMM's settings: each one's name (as in jimm.yaml), the form its value takes, its default,
 * and the environment variable that sets it.
 */

import {
  count,
  identifier,
  listenAddress,
  logLevel,
  type SettingsCatalog,
  settingNames,
  envVariableFor as settingVariable,
} from '@juju-ssh/settings';
import type { z } from 'zod';

/** Every setting JIMM reads. */
export const SETTINGS = {
  'jimm-id': identifier('names this JIMM as the issuer of its relay tokens and in audit records'),
  'ssh-address': listenAddress(
    '0.0.0.0:17022',
    'where the SSH front door listens (port 0: any free port)',
    '0.0.0.0:17022',
  ),
  'log-level': logLevel('info'),
  'relay-token-lifetime': count(10, 600, 'seconds a relay token stays valid', 120),
  'max-connections': count(1, 1_000_000, 'open SSH connections at most', 1000),
  'max-unauthenticated': count(1, 100_000, 'connections still logging in at most', 100),
  'login-grace-time': count(1, 3600, 'seconds a connection has to log in', 30),
  'max-auth-tries': count(1, 100, 'failed logins per connection', 6),
  'controller-connect-timeout': count(1, 600, 'seconds to reach a controller', 10),
  'keepalive-interval': count(0, 3600, 'seconds between keepalives (0: none)', 15),
  'shutdown-grace': count(0, 3600, 'seconds relays get to finish on shutdown', 30),
} as const;

/** JIMM's settings as the resolver and the settings file know them. */
export const JIMM_SETTINGS: SettingsCatalog<SettingName> = {
  specs: SETTINGS,
  envPrefix: 'JUJU_SSH_JIMM_',
  fileName: 'jimm.yaml',
  fileHeader: '# JIMM tunnel settings; JUJU_SSH_JIMM_* variables and flags override them.\n',
};

/** A setting's name. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting with its value. */
export type Settings = { readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** The setting names in a stable order. */
export const SETTING_NAMES = settingNames(JIMM_SETTINGS);

/** The environment variable that sets `name`: `JUJU_SSH_JIMM_` and the name in snake case. */
export function envVariableFor(name: SettingName): string {
  return settingVariable(JIMM_SETTINGS, name);
}
