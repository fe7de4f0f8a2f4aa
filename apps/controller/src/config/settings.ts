/**
 * The controller's settings: each one's name (kebab-case, as in controller.yaml), the form its
 * value must take, and its default. The loader reads values from flags, env and the file.
 */

import { type HostPort, parseHostPort } from '@juju-ssh/core';
import { z } from 'zod';

/** The levels pino logs at, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One setting: how to read it, what to say when a value is wrong, and its default. */
export interface SettingSpec<T> {
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** The expected form, as an error message ends: "expected <this>". */
  readonly expected: string;
  /** One line for help output. */
  readonly description: string;
  /** As it would be written in the file; absent for settings bootstrap writes. */
  readonly default?: string | number;
}

/** Text of digits (from a flag, env or a quoted YAML value) stands for the number. */
function wholeNumber(min: number, max: number): z.ZodType<number, z.ZodTypeDef, unknown> {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  );
}

function seconds(min: number, max: number, description: string, value: number) {
  return spec(wholeNumber(min, max), `a whole number of seconds from ${min} to ${max}`, {
    description,
    default: value,
  });
}

function count(min: number, max: number, description: string, value: number) {
  return spec(wholeNumber(min, max), `a whole number from ${min} to ${max}`, {
    description,
    default: value,
  });
}

/** `true` or `false`, as a YAML boolean or as text (from a flag or env). */
function onOff(description: string, value: boolean) {
  const schema = z.preprocess(
    (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
    z.boolean(),
  );
  return spec(schema, 'true or false', { description, default: String(value) });
}

function spec<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  expected: string,
  rest: { description: string; default?: string | number },
): SettingSpec<T> {
  return { schema, expected, ...rest };
}

const listenAddress = z.string().transform((text, context): HostPort => {
  try {
    return parseHostPort(text, { allowPortZero: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
});

/** Every setting the controller reads, by its name in controller.yaml. */
export const SETTINGS = {
  'controller-id': spec(
    z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    '1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    { description: 'names this controller in ephemeral key comments and audit records' },
  ),
  'ssh-address': spec(listenAddress, 'HOST:PORT, as in 0.0.0.0:17022 or [::]:17022', {
    description: 'where the SSH jump server listens (port 0: any free port)',
    default: '0.0.0.0:17022',
  }),
  'log-level': spec(z.enum(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`, {
    description: 'the least severe log line written',
    default: 'info',
  }),
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
  'api-address': spec(listenAddress, 'HOST:PORT, as in 0.0.0.0:17070 or [::]:17070', {
    description:
      'where the HTTPS API listens (unset: the ssh-address host, port 17070, or port 0 ' +
      'when ssh-address has port 0)',
    default: '0.0.0.0:17070',
  }),
} as const;

/** A setting's name. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting with its value, keyed by name. */
export type Settings = {
  readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']>;
};

/** The setting names in a stable order (as listed above). */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** True when `name` is a setting's name. */
export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** The environment variable that sets `name`: `JUJU_SSH_` and the name in upper snake case. */
export function envVariableFor(name: SettingName): string {
  return `JUJU_SSH_${name.toUpperCase().replaceAll('-', '_')}`;
}
