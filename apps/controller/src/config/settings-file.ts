/**
 * controller.yaml: the settings file of a controller, a flat YAML map of its settings, each
 * read with the line of its key.
 */
import * as file from '@juju-ssh/settings';
import { CONTROLLER_SETTINGS } from './settings.js';

/** Parses the text of a controller.yaml found at `path`. */
export function parseSettingsFile(text: string, path: string): file.SettingsFileValues {
  return file.parseSettingsFile(text, path, CONTROLLER_SETTINGS);
}

/** Reads and parses the controller.yaml at `path`. */
export function readSettingsFile(path: string): file.SettingsFileValues {
  return file.readSettingsFile(path, CONTROLLER_SETTINGS);
}

/** Writes a new controller.yaml (mode 0600) holding `values`. */
export function writeSettingsFile(path: string, values: Readonly<Record<string, unknown>>): void {
  file.writeSettingsFile(path, CONTROLLER_SETTINGS, values);
}
