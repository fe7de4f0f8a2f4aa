/**
 * The `--format` and `--controller` options every listing and admin command takes.
 */

import { OUTPUT_FORMATS, type OutputFormat, outputFormatOf } from '@juju-ssh/command-output';
import { type Command, Option } from 'commander';

/** Adds `--format text|json|yaml` and `--controller` to a command. */
export function withFormat(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'),
    )
    .option('--controller <name>', 'the controller (env JUJU_SSH_CONTROLLER)');
}

/** The format a command was asked for. */
export function formatOf(command: Command): OutputFormat {
  return outputFormatOf(command.opts<{ format?: string }>().format);
}

/** The `--controller` a command was given. */
export function controllerOf(command: Command): string | undefined {
  return command.opts<{ controller?: string }>().controller;
}
