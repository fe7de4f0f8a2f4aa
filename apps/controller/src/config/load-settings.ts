/**
 * The one place the controller's settings are resolved: flags, then JUJU_SSH_* environment
 * variables, then controller.yaml, then defaults; a defaulted api-address then follows
 * ssh-address.
 */
import { resolveSettings, type SettingsSources } from '@juju-ssh/settings';
import { followSshAddress } from './api-address-default.js';
import { CONTROLLER_SETTINGS, type SettingName, type Settings } from './settings.js';

/** Where the controller's values may come from; each is optional. */
export type ControllerSettingsSources = SettingsSources<SettingName>;

/** Resolved settings, and where each value came from (`flag --x`, `env X`, `path:line`). */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly origins: Readonly<Record<SettingName, string>>;
}

/**
 * Resolves every setting from `sources`.
 * @throws JujuSshError `config` naming the setting, the source and the expected form.
 */
export function loadSettings(sources: ControllerSettingsSources): LoadedSettings {
  const { values, origins } = resolveSettings(CONTROLLER_SETTINGS, sources);
  followSshAddress(values, origins);
  return { settings: values as Settings, origins };
}
