/**
 * JIMM's settings: each one's name (as in jimm.yaml), the form its value takes, its default,
 * and the environment variable that sets it.
 */

import { type HostPort, parseHostPort } from '@juju-ssh/core';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One setting: how to read it, what to say when a value is wrong, and its default. */
export interface SettingSpec {
  readonly schema: z.ZodTypeAny;
  /** The expected form, as an error message ends: "expected <this>". */
  readonly expected: string;
  readonly description: string;
  /** As it would be written in the file; absent for settings bootstrap writes. */
  readonly default?: string | number;
}

function whole(min: number, max: number, description: string, value: number): SettingSpec {
  return {
    schema: z.preprocess(
      (raw) => (typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw),
      z.number().int().min(min).max(max),
    ),
    expected: `a whole number from ${min} to ${max}`,
    description,
    default: value,
  };
}

const address = z.string().transform((text, context): HostPort => {
  try {
    return parseHostPort(text, { allowPortZero: true });
  } catch (error) {
    context.addIssue({ code: 'custom', message: String((error as Error).message) });
    return z.NEVER;
  }
});

/** Every setting JIMM reads. */
export const SETTINGS = {
  'jimm-id': {
    schema: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    expected: '1 to 63 lowercase letters, digits and hyphens',
    description: 'names this JIMM as the issuer of its relay tokens and in audit records',
  },
  'ssh-address': {
    schema: address,
    expected: 'HOST:PORT, as in 0.0.0.0:17022',
    description: 'where the SSH front door listens (port 0: any free port)',
    default: '0.0.0.0:17022',
  },
  'log-level': {
    schema: z.enum(LOG_LEVELS),
    expected: `one of ${LOG_LEVELS.join(', ')}`,
    description: 'the least severe log line written',
    default: 'info',
  },
  'relay-token-lifetime': whole(10, 600, 'seconds a relay token stays valid', 120),
  'max-connections': whole(1, 1_000_000, 'open SSH connections at most', 1000),
  'max-unauthenticated': whole(1, 100_000, 'connections still logging in at most', 100),
  'login-grace-time': whole(1, 3600, 'seconds a connection has to log in', 30),
  'max-auth-tries': whole(1, 100, 'failed logins per connection', 6),
  'controller-connect-timeout': whole(1, 600, 'seconds to reach a controller', 10),
  'keepalive-interval': whole(0, 3600, 'seconds between keepalives (0: none)', 15),
  'shutdown-grace': whole(0, 3600, 'seconds relays get to finish on shutdown', 30),
} as const satisfies Record<string, SettingSpec>;

/** A setting's name. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting with its value. */
export type Settings = { readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** The setting names in a stable order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** The environment variable that sets `name`: `JUJU_SSH_JIMM_` and the name in snake case. */
export function envVariableFor(name: SettingName): string {
  return `JUJU_SSH_JIMM_${name.toUpperCase().replaceAll('-', '_')}`;
}
