/**
 * One setting: the form its value must take (a zod schema that also turns text from a flag or
 * variable into the value), how an error names that form, a line of help and its default. The
 * helpers build the kinds of setting the servers share.
 */
import { type HostPort, parseHostPort } from '@juju-ssh/core';
import { z } from 'zod';

/** One setting: how to read it, what to say when a value is wrong, and its default. */
export interface SettingSpec<T = unknown> {
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** The expected form, as an error message ends: "expected <this>". */
  readonly expected: string;
  /** One line for help output. */
  readonly description: string;
  /** As it would be written in the file; absent for settings bootstrap writes. */
  readonly default?: string | number;
}

/** A server's settings and how they are named outside the program. */
export interface SettingsCatalog<Name extends string> {
  readonly specs: Readonly<Record<Name, SettingSpec>>;
  /** Put before the upper snake case name to make the variable: `JUJU_SSH_`. */
  readonly envPrefix: string;
  /** The settings file as messages name it: `controller.yaml`. */
  readonly fileName: string;
  /** Comment lines a new settings file starts with. */
  readonly fileHeader: string;
}

/** The levels pino logs at, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting from its parts. */
export function setting<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  expected: string,
  rest: { description: string; default?: string | number },
): SettingSpec<T> {
  return { schema, expected, ...rest };
}

/** Text of digits (from a flag, env or a quoted YAML value) stands for the number. */
function wholeNumber(min: number, max: number): z.ZodType<number, z.ZodTypeDef, unknown> {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  );
}

/** A whole number of seconds from `min` to `max`. */
export function seconds(
  min: number,
  max: number,
  description: string,
  value: number,
): SettingSpec<number> {
  return setting(wholeNumber(min, max), `a whole number of seconds from ${min} to ${max}`, {
    description,
    default: value,
  });
}

/** A whole number from `min` to `max`. */
export function count(
  min: number,
  max: number,
  description: string,
  value: number,
): SettingSpec<number> {
  return setting(wholeNumber(min, max), `a whole number from ${min} to ${max}`, {
    description,
    default: value,
  });
}

/** `true` or `false`, as a YAML boolean or as text (from a flag or env). */
export function onOff(description: string, value: boolean): SettingSpec<boolean> {
  const schema = z.preprocess(
    (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
    z.boolean(),
  );
  return setting(schema, 'true or false', { description, default: String(value) });
}

/** One of pino's levels. */
export function logLevel(value: LogLevel): SettingSpec<LogLevel> {
  return setting(z.enum(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`, {
    description: 'the least severe log line written',
    default: value,
  });
}

/** A HOST:PORT to listen on; port 0 asks for any free port. */
export function listenAddress(
  example: string,
  description: string,
  value: string,
): SettingSpec<HostPort> {
  const schema = z.string().transform((text, context): HostPort => {
    try {
      return parseHostPort(text, { allowPortZero: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
  });
  return setting(schema, `HOST:PORT, as in ${example}`, { description, default: value });
}

/** A DNS-label-like identifier: what names a controller or a JIMM. */
export function identifier(description: string): SettingSpec<string> {
  return setting(
    z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    '1 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    { description },
  );
}
