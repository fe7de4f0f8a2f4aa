/**
 * controller.yaml: the settings file of a controller, a flat YAML map of its settings, each
 * read with the line of its key.
 */
import * as file from '@juju-ssh/settings';
import { isSettingName } from './settings.js';

const HEADER =
  '# juju-ssh controller settings. Environment variables JUJU_SSH_* and command-line\n' +
  '# flags override these; see `juju-ssh-controller show-config`.\n';

/** Parses the text of a controller.yaml found at `path`. */
export function parseSettingsFile(text: string, path: string): file.SettingsFileValues {
  return file.parseSettingsFile(text, path, isSettingName);
}

/** Reads and parses the controller.yaml at `path`. */
export function readSettingsFile(path: string): file.SettingsFileValues {
  return file.readSettingsFile(path, isSettingName);
}

/** Writes a new controller.yaml (mode 0600) holding `values`. */
export function writeSettingsFile(path: string, values: Readonly<Record<string, unknown>>): void {
  file.writeSettingsFile(path, HEADER, values);
}
