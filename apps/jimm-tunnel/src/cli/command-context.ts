/**
 * What every command shares: `--data-dir` and `--format`, JIMM's settings, and a composed JIMM
 * for the command's data directory that is closed when the command ends.
 */

import { OUTPUT_FORMATS, type OutputFormat, outputFormatOf } from '@juju-ssh/command-output';
import { type Command, Option } from 'commander';
import { composeJimm, type Jimm, type JimmRunOptions } from '../composition-root.js';
import { loadSettings, readSettingsFile } from '../config/load-settings.js';
import { SETTING_NAMES, type SettingName, type Settings } from '../config/settings.js';
import {
  assertBootstrapped,
  DATA_DIR_ENV,
  type JimmPaths,
  jimmPaths,
  resolveDataDir,
} from '../data-dir.js';

/** Adds `--data-dir` and `--format` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'the JIMM data directory').env(DATA_DIR_ENV))
    .addOption(
      new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'),
    );
}

/** The data directory a command names. */
export function dataDirOf(command: Command): JimmPaths {
  return jimmPaths(resolveDataDir(command.opts<{ dataDir?: string }>().dataDir, process.env));
}

/** The output format a command asks for. */
export function formatOf(command: Command): OutputFormat {
  return outputFormatOf(command.opts<{ format?: string }>().format);
}

/** Adds a `--<name> <value>` flag for each setting named. */
export function addSettingFlags(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) command.option(`--${name} <value>`);
  return command;
}

/** The setting flags given to `command`, by setting name. */
export function settingFlags(command: Command): Partial<Record<SettingName, string>> {
  const values = command.opts<Record<string, unknown>>();
  const flags: Partial<Record<SettingName, string>> = {};
  for (const name of SETTING_NAMES) {
    const value = values[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (typeof value === 'string') flags[name] = value;
  }
  return flags;
}

/** The settings of a bootstrapped data directory, flags and env applied. */
export function settingsOf(command: Command, paths: JimmPaths): Settings {
  assertBootstrapped(paths);
  return loadSettings({
    flags: settingFlags(command),
    env: process.env,
    file: readSettingsFile(paths.settingsFile),
  });
}

/** Runs `work` with the JIMM of the command's data directory and closes it afterwards. */
export async function withJimm<T>(
  command: Command,
  work: (jimm: Jimm) => T | Promise<T>,
  run: JimmRunOptions = {},
): Promise<T> {
  const paths = dataDirOf(command);
  const jimm = composeJimm(paths, settingsOf(command, paths), run);
  try {
    return await work(jimm);
  } finally {
    await jimm.close();
  }
}
