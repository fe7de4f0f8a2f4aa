/**
 * The `juju-ssh` command line: logging in to a controller's API, reaching units and machines
 * through the controller with OpenSSH, and the admin commands the controller offers.
 */
import { Command } from 'commander';
import { addCompletionCommand } from './commands/completion-command.js';
import { addConnectCommands } from './commands/connect-commands.js';
import { addHostKeyCommands } from './commands/host-key-commands.js';
import { addListingCommands } from './commands/listing-commands.js';
import { addLoginCommand } from './commands/login-command.js';
import { addModelAdminCommands } from './commands/model-admin-commands.js';
import { addUserAdminCommands } from './commands/user-admin-commands.js';
import { CliContext } from './config/cli-context.js';

/** Builds the program for `env`; parse it with `parseAsync`. */
export function buildProgram(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Command {
  const context = new CliContext(env);
  const program = new Command('juju-ssh')
    .description('reach Juju units and machines over SSH through a juju-ssh controller')
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)');
  addLoginCommand(program, context);
  addConnectCommands(program, context);
  addHostKeyCommands(program, context);
  addListingCommands(program, context);
  addUserAdminCommands(program, context);
  addModelAdminCommands(program, context);
  addCompletionCommand(program);
  return program;
}
