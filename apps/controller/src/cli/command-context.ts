/**
 * What every command shares: the `--data-dir` and `--format` options, and opening the
 * bootstrapped data directory as a composed controller that is closed when the command ends.
 */

import { OUTPUT_FORMATS, type OutputFormat, outputFormatOf } from '@juju-ssh/command-output';
import { type Command, Option } from 'commander';
import { type Controller, composeController } from '../composition-root.js';
import { type LoadedSettings, loadSettings } from '../config/load-settings.js';
import { readSettingsFile } from '../config/settings-file.js';
import {
  assertBootstrapped,
  DATA_DIR_ENV,
  type DataDirPaths,
  dataDirPaths,
  resolveDataDir,
} from '../data-dir.js';
import { settingFlags } from './setting-flags.js';

/** The options every command takes, as commander hands them over. */
interface CommonOptionValues {
  readonly dataDir?: string;
  readonly format?: string;
}

/** Adds `--data-dir` and `--format` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data-dir <dir>',
        'the controller data directory (default: $XDG_DATA_HOME/juju-ssh/controller)',
      ).env(DATA_DIR_ENV),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'),
    );
}

/** The data directory a command names (flag, env, or the default location). */
export function dataDirOf(command: Command): DataDirPaths {
  const options = command.opts<CommonOptionValues>();
  return dataDirPaths(resolveDataDir(options.dataDir, process.env));
}

/** The output format a command asks for. */
export function formatOf(command: Command): OutputFormat {
  return outputFormatOf(command.opts<CommonOptionValues>().format);
}

/**
 * Resolves the settings of a bootstrapped data directory: the command's setting flags, then
 * JUJU_SSH_* variables, then controller.yaml, then defaults.
 */
export function settingsOf(command: Command, paths: DataDirPaths): LoadedSettings {
  assertBootstrapped(paths);
  return loadSettings({
    flags: settingFlags(command),
    env: process.env,
    file: readSettingsFile(paths.settingsFile),
  });
}

/**
 * Runs `work` with the controller of the command's data directory and closes it afterwards.
 * @throws JujuSshError `config` when the data directory has not been bootstrapped.
 */
export async function withController<T>(
  command: Command,
  work: (controller: Controller) => T | Promise<T>,
): Promise<T> {
  const paths = dataDirOf(command);
  const { settings } = settingsOf(command, paths);
  const controller = composeController(paths, settings);
  try {
    return await work(controller);
  } finally {
    await controller.close();
  }
}
