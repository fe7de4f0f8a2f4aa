/**
 * The controllers JIMM relays to: register one with its id, SSH address and jump host key
 * (JIMM checks that key on every connection), and list them.
 */
import { readFileSync } from 'node:fs';
import { print, table } from '@juju-ssh/command-output';
import { formatHostPort, JujuSshError, parseHostPort } from '@juju-ssh/core';
import type { Command } from 'commander';
import { formatOf, withCommonOptions, withJimm } from './command-context.js';

interface AddControllerOptions {
  readonly address: string;
  readonly jumpHostKey?: string;
  readonly jumpHostKeyFile?: string;
}

/** Adds `add-controller` and `list-controllers`. */
export function addControllerCommands(program: Command): void {
  withCommonOptions(program.command('add-controller <id>'))
    .description('register a controller by its id (the controller-id in its controller.yaml)')
    .requiredOption('--address <host:port>', "the controller's SSH address")
    .option('--jump-host-key <line>', 'its jump host key (`juju-ssh-controller host-key`)')
    .option('--jump-host-key-file <file>', 'read the jump host key line from this file')
    .action((id: string, options: AddControllerOptions, command: Command) =>
      withJimm(command, (jimm) => {
        const { host, port } = parseHostPort(options.address, { defaultPort: 17022 });
        const added = jimm.get('registry').addController({
          id,
          host,
          port,
          jumpHostKey: jumpHostKeyLine(options),
        });
        print(formatOf(command), {
          data: added,
          text: `registered controller ${added.id} at ${formatHostPort(added)}`,
        });
      }),
    );

  withCommonOptions(program.command('list-controllers'))
    .description('list registered controllers')
    .action((_options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const controllers = jimm.get('registry').listControllers();
        print(formatOf(command), {
          data: controllers,
          text: table(
            ['id', 'address', 'jump host key'],
            controllers.map((c) => [c.id, formatHostPort(c), c.jumpHostKey]),
          ),
        });
      }),
    );
}

function jumpHostKeyLine(options: AddControllerOptions): string {
  if ((options.jumpHostKey === undefined) === (options.jumpHostKeyFile === undefined)) {
    throw new JujuSshError(
      'invalid-argument',
      'give the jump host key with either --jump-host-key or --jump-host-key-file',
    );
  }
  if (options.jumpHostKey !== undefined) return options.jumpHostKey;
  try {
    return readFileSync(options.jumpHostKeyFile ?? '', 'utf8').trim();
  } catch (error) {
    throw new JujuSshError(
      'invalid-argument',
      `cannot read ${options.jumpHostKeyFile}: ${(error as Error).message}`,
    );
  }
}
