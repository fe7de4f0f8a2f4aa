/**
 * The one place settings are resolved: flags, then JUJU_SSH_* environment variables, then
 * controller.yaml, then defaults. Every value is checked, and a bad one is reported with its
 * setting's name, where it came from and the form it should take.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { followSshAddress } from './api-address-default.js';
import {
  envVariableFor,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type Settings,
} from './settings.js';
import type { SettingsFileValues } from './settings-file.js';

/** Where values may come from; each is optional. */
export interface SettingsSources {
  /** Command-line flags, by setting name (`--max-connections` as `max-connections`). */
  readonly flags?: Partial<Record<SettingName, string>>;
  /** The process environment; empty variables count as unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What controller.yaml holds. */
  readonly file?: SettingsFileValues;
  /** Defaults for settings that have none of their own (bootstrap's fresh controller id). */
  readonly defaults?: Partial<Record<SettingName, unknown>>;
}

/** Resolved settings, and where each value came from (`flag --x`, `env X`, `path:line`). */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly origins: Readonly<Record<SettingName, string>>;
}

interface RawValue {
  readonly value: unknown;
  readonly origin: string;
}

/**
 * Resolves every setting from `sources`.
 * @throws JujuSshError `config` naming the setting, the source and the expected form.
 */
export function loadSettings(sources: SettingsSources): LoadedSettings {
  const settings: Record<string, unknown> = {};
  const origins: Record<string, string> = {};

  for (const name of SETTING_NAMES) {
    const raw = pick(name, sources);
    settings[name] = check(name, raw);
    origins[name] = raw.origin;
  }
  followSshAddress(settings, origins);
  return { settings: settings as Settings, origins: origins as Record<SettingName, string> };
}

function pick(name: SettingName, sources: SettingsSources): RawValue {
  const flag = sources.flags?.[name];
  if (flag !== undefined) return { value: flag, origin: `flag --${name}` };

  const variable = envVariableFor(name);
  const env = sources.env?.[variable];
  if (env !== undefined && env !== '') return { value: env, origin: `env ${variable}` };

  const file = sources.file?.get(name);
  if (file !== undefined) return file;

  const fallback = sources.defaults?.[name] ?? SETTINGS[name].default;
  if (fallback === undefined) {
    throw new JujuSshError(
      'config',
      `setting ${name} is not set: controller.yaml should hold it (bootstrap writes it), or ` +
        `set ${variable}`,
    );
  }
  return { value: fallback, origin: 'default' };
}

function check(name: SettingName, raw: RawValue): unknown {
  const spec = SETTINGS[name];
  const result = spec.schema.safeParse(raw.value);
  if (result.success) return result.data;

  const custom = result.error.issues.find((issue) => issue.code === 'custom');
  const reason = custom === undefined ? '' : ` (${custom.message})`;
  const shown = quoteUntrusted(String(raw.value));
  throw new JujuSshError(
    'config',
    `bad value ${shown} for setting ${name} from ${raw.origin}${reason}; ` +
      `expected ${spec.expected}`,
  );
}
