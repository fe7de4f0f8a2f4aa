/**
 * Resolving JIMM's settings: flags, then JUJU_SSH_JIMM_* variables, then jimm.yaml, then
 * defaults. A bad value is reported with its setting, where it came from and its expected form.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { parse, stringify } from 'yaml';
import {
  envVariableFor,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type Settings,
} from './settings.js';

/** Where values may come from. */
export interface SettingsSources {
  readonly flags?: Partial<Record<SettingName, string>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** jimm.yaml's values and its path. */
  readonly file?: { readonly path: string; readonly values: Readonly<Record<string, unknown>> };
  readonly defaults?: Partial<Record<SettingName, unknown>>;
}

/**
 * Every setting, resolved.
 * @throws JujuSshError `config` naming the setting, the source and the expected form.
 */
export function loadSettings(sources: SettingsSources): Settings {
  const settings: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const { value, origin } = pick(name, sources);
    const spec = SETTINGS[name];
    const result = spec.schema.safeParse(value);
    if (!result.success) {
      throw new JujuSshError(
        'config',
        `bad value ${quoteUntrusted(String(value))} for setting ${name} from ${origin}; ` +
          `expected ${spec.expected}`,
      );
    }
    settings[name] = result.data;
  }
  return settings as Settings;
}

function pick(name: SettingName, sources: SettingsSources): { value: unknown; origin: string } {
  const flag = sources.flags?.[name];
  if (flag !== undefined) return { value: flag, origin: `flag --${name}` };
  const variable = envVariableFor(name);
  const env = sources.env?.[variable];
  if (env !== undefined && env !== '') return { value: env, origin: `env ${variable}` };
  const file = sources.file?.values[name];
  if (file !== undefined && sources.file !== undefined) {
    return { value: file, origin: sources.file.path };
  }
  const fallback = sources.defaults?.[name] ?? (SETTINGS[name] as { default?: unknown }).default;
  if (fallback === undefined) {
    throw new JujuSshError('config', `setting ${name} is not set: jimm.yaml should hold it`);
  }
  return { value: fallback, origin: 'default' };
}

/**
 * Reads jimm.yaml: a flat map of known settings.
 * @throws JujuSshError `config` when it cannot be read or holds an unknown key.
 */
export function readSettingsFile(path: string): NonNullable<SettingsSources['file']> {
  let values: unknown;
  try {
    values = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new JujuSshError('config', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new JujuSshError('config', `${path} must hold a map of settings`);
  }
  for (const key of Object.keys(values)) {
    if (!(SETTING_NAMES as string[]).includes(key)) {
      throw new JujuSshError('config', `${path}: unknown setting ${quoteUntrusted(key)}`);
    }
  }
  return { path, values: values as Record<string, unknown> };
}

/** Writes a new jimm.yaml (mode 0600). */
export function writeSettingsFile(path: string, values: Readonly<Record<string, unknown>>): void {
  const header = '# JIMM tunnel settings; JUJU_SSH_JIMM_* variables and flags override them.\n';
  writeFileSync(path, header + stringify(values), { mode: 0o600, flag: 'wx' });
}
