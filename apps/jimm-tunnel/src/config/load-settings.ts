/**
 * Resolving JIMM's settings: flags, then JUJU_SSH_JIMM_* variables, then jimm.yaml, then
 * defaults. A bad value is reported with its setting, where it came from and its expected form.
 */
import * as file from '@juju-ssh/settings';
import { resolveSettings, type SettingsSources } from '@juju-ssh/settings';
import { JIMM_SETTINGS, type SettingName, type Settings } from './settings.js';

/** Where JIMM's values may come from; each is optional. */
export type JimmSettingsSources = SettingsSources<SettingName>;

/**
 * Every setting, resolved.
 * @throws JujuSshError `config` naming the setting, the source and the expected form.
 */
export function loadSettings(sources: JimmSettingsSources): Settings {
  return resolveSettings(JIMM_SETTINGS, sources).values as Settings;
}

/**
 * Reads jimm.yaml: a flat map of known settings, each with the line of its key.
 * @throws JujuSshError `config` when it cannot be read, is not a map or holds an unknown key.
 */
export function readSettingsFile(path: string): file.SettingsFileValues {
  return file.readSettingsFile(path, JIMM_SETTINGS);
}

/** Writes a new jimm.yaml (mode 0600). */
export function writeSettingsFile(path: string, values: Readonly<Record<string, unknown>>): void {
  file.writeSettingsFile(path, JIMM_SETTINGS, values);
}
