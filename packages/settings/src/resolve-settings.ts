/**
 * Resolving a server's settings: a flag, then an environment variable, then the settings file,
 * then the default. Every value is checked, and a bad one is reported with its setting's name,
 * where it came from and the form it should take.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import type { SettingSpec, SettingsCatalog } from './setting-spec.js';
import type { SettingsFileValues } from './settings-file.js';

/** Where values may come from; each is optional. */
export interface SettingsSources<Name extends string> {
  /** Command-line flags, by setting name (`--max-connections` as `max-connections`). */
  readonly flags?: Partial<Record<Name, string>>;
  /** The process environment; empty variables count as unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What the settings file holds. */
  readonly file?: SettingsFileValues;
  /** Defaults for settings that have none of their own (bootstrap's fresh id). */
  readonly defaults?: Partial<Record<Name, unknown>>;
}

/** Resolved values, and where each came from (`flag --x`, `env X`, `path:line`, `default`). */
export interface ResolvedSettings<Name extends string> {
  readonly values: Record<Name, unknown>;
  readonly origins: Record<Name, string>;
}

/** The setting names of a catalog, in the order it lists them. */
export function settingNames<Name extends string>(catalog: SettingsCatalog<Name>): Name[] {
  return Object.keys(catalog.specs) as Name[];
}

/** The environment variable that sets `name`: the prefix and the name in upper snake case. */
export function envVariableFor<Name extends string>(
  catalog: SettingsCatalog<Name>,
  name: Name,
): string {
  return `${catalog.envPrefix}${name.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * Resolves every setting of `catalog` from `sources`.
 * @throws JujuSshError `config` naming the setting, the source and the expected form.
 */
export function resolveSettings<Name extends string>(
  catalog: SettingsCatalog<Name>,
  sources: SettingsSources<Name>,
): ResolvedSettings<Name> {
  const values: Partial<Record<Name, unknown>> = {};
  const origins: Partial<Record<Name, string>> = {};
  for (const name of settingNames(catalog)) {
    const raw = pick(catalog, name, sources);
    values[name] = check(catalog.specs[name], name, raw);
    origins[name] = raw.origin;
  }
  return { values: values as Record<Name, unknown>, origins: origins as Record<Name, string> };
}

interface RawValue {
  readonly value: unknown;
  readonly origin: string;
}

function pick<Name extends string>(
  catalog: SettingsCatalog<Name>,
  name: Name,
  sources: SettingsSources<Name>,
): RawValue {
  const flag = sources.flags?.[name];
  if (flag !== undefined) return { value: flag, origin: `flag --${name}` };

  const variable = envVariableFor(catalog, name);
  const env = sources.env?.[variable];
  if (env !== undefined && env !== '') return { value: env, origin: `env ${variable}` };

  const file = sources.file?.get(name);
  if (file !== undefined) return file;

  const fallback = sources.defaults?.[name] ?? catalog.specs[name].default;
  if (fallback === undefined) {
    throw new JujuSshError(
      'config',
      `setting ${name} is not set: ${catalog.fileName} should hold it (bootstrap writes it), ` +
        `or set ${variable}`,
    );
  }
  return { value: fallback, origin: 'default' };
}

function check(spec: SettingSpec, name: string, raw: RawValue): unknown {
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
