/**
 * The `juju-ssh-controller` command line: the daemon (`run`), bootstrap, and the local admin
 * commands, each group defined in its own module under cli/.
 */
import { Command } from 'commander';
import { addApiCommands } from './cli/api-commands.js';
import { addBootstrapCommand } from './cli/bootstrap-command.js';
import { addConfigCommand } from './cli/config-command.js';
import { addJimmCommands } from './cli/jimm-commands.js';
import { addKeyCommands } from './cli/key-commands.js';
import { addMachineCommands } from './cli/machine-commands.js';
import { addModelCommands } from './cli/model-commands.js';
import { addRunCommand } from './cli/run-command.js';
import { addUserCommands } from './cli/user-commands.js';

/** Builds the program; parse it with `parseAsync`. */
export function buildProgram(): Command {
  const program = new Command('juju-ssh-controller')
    .description('the juju-ssh controller: an SSH jump server and its local administration')
    .showHelpAfterError('(add --help for usage)');
  addBootstrapCommand(program);
  addRunCommand(program);
  addUserCommands(program);
  addModelCommands(program);
  addMachineCommands(program);
  addKeyCommands(program);
  addConfigCommand(program);
  addApiCommands(program);
  addJimmCommands(program);
  return program;
}
