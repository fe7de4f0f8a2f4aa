/**
 * Settings as command-line flags: `--max-connections 50` sets max-connections above every other
 * source. Commands add the flags they honour; the loader receives them by setting name.
 */
import { type Command, Option } from 'commander';
import { SETTING_NAMES, SETTINGS, type SettingName } from '../config/settings.js';

/** Adds a `--<name> <value>` flag for each of `names`. */
export function addSettingFlags(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const spec = SETTINGS[name];
    command.addOption(new Option(`--${name} <value>`, `${spec.description} (${spec.expected})`));
  }
  return command;
}

/** The setting flags given to `command`, by setting name; flags it does not have are absent. */
export function settingFlags(command: Command): Partial<Record<SettingName, string>> {
  const values = command.opts<Record<string, unknown>>();
  const flags: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const value = values[camelCase(name)];
    if (typeof value === 'string') flags[name] = value;
  }
  return flags;
}

/** Commander's key for an option: `max-connections` becomes `maxConnections`. */
function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
