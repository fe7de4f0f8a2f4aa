/**
 * `show-config`: the settings a `run` with the same flags and environment would use, and
 * where each value came from (flag, env, controller.yaml line, or default).
 */

import { print, table } from '@juju-ssh/command-output';
import { formatHostPort } from '@juju-ssh/core';
import type { Command } from 'commander';
import { SETTING_NAMES, type SettingName } from '../config/settings.js';
import { dataDirOf, formatOf, settingsOf, withCommonOptions } from './command-context.js';
import { addSettingFlags } from './setting-flags.js';

/** The settings `run` and `show-config` take as flags: all but the controller's identity. */
export const RUN_SETTING_FLAGS: readonly SettingName[] = SETTING_NAMES.filter(
  (name) => name !== 'controller-id',
);

/** Adds `show-config`. */
export function addConfigCommand(program: Command): void {
  const command = program
    .command('show-config')
    .description('print the settings in effect and where each comes from');
  addSettingFlags(command, RUN_SETTING_FLAGS);
  withCommonOptions(command).action((_options: unknown, self: Command) => {
    const { settings, origins } = settingsOf(self, dataDirOf(self));
    const rows = SETTING_NAMES.map((name) => {
      const value = settings[name];
      const shown = typeof value === 'object' ? formatHostPort(value) : value;
      return [name, { value: shown, source: origins[name] }] as const;
    });
    print(formatOf(self), {
      data: Object.fromEntries(rows),
      text: table(
        ['setting', 'value', 'source'],
        rows.map(([name, row]) => [name, String(row.value), row.source]),
      ),
    });
  });
}
