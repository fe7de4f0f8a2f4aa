/**
 * The `jimm-tunnel` command line: the daemon (`run`), bootstrap, and the local admin commands,
 * each group in its own module under cli/.
 */
import { Command } from 'commander';
import { addBootstrapCommand } from './cli/bootstrap-command.js';
import { addControllerCommands } from './cli/controller-commands.js';
import { addKeyCommands } from './cli/key-commands.js';
import { addModelCommands } from './cli/model-commands.js';
import { addRunCommand } from './cli/run-command.js';
import { addUserCommands } from './cli/user-commands.js';

/** Builds the program; parse it with `parseAsync`. */
export function buildProgram(): Command {
  const program = new Command('jimm-tunnel')
    .description('JIMM SSH tunnel: one front door relaying users to many controllers')
    .showHelpAfterError('(add --help for usage)');
  addBootstrapCommand(program);
  addRunCommand(program);
  addUserCommands(program);
  addControllerCommands(program);
  addModelCommands(program);
  addKeyCommands(program);
  return program;
}
