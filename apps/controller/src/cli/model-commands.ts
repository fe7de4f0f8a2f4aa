/**
 * Models and grants: add and list models, give or take a user's admin access to one. Access
 * to a model is what lets a user reach its machines and units.
 */

import { print, table } from '@juju-ssh/command-output';
import { JujuSshError, type ModelAccess, quoteUntrusted } from '@juju-ssh/core';
import type { Command } from 'commander';
import { formatOf, withCommonOptions, withController } from './command-context.js';
import { requireModel } from './model-lookup.js';

/** Adds the model and grant commands. */
export function addModelCommands(program: Command): void {
  withCommonOptions(program.command('add-model <name>'))
    .description('add a model and print its UUID')
    .option('--uuid <uuid>', "the model's UUID (lowercase RFC 4122); default: a new one")
    .action((name: string, options: { uuid?: string }, command: Command) =>
      withController(command, (controller) => {
        const model = controller.get('store').addModel(name, options.uuid);
        print(formatOf(command), { data: model, text: model.uuid });
      }),
    );

  withCommonOptions(program.command('list-models'))
    .description('list models')
    .action((_options: unknown, command: Command) =>
      withController(command, (controller) => {
        const models = controller.get('store').listModels();
        print(formatOf(command), {
          data: models,
          text: table(
            ['name', 'uuid'],
            models.map((model) => [model.name, model.uuid]),
          ),
        });
      }),
    );

  for (const verb of ['grant', 'revoke'] as const) {
    withCommonOptions(program.command(`${verb} <user> <access> <model>`))
      .description(
        verb === 'grant'
          ? 'give a user access to a model (name or UUID); access is admin'
          : "take a user's access to a model away",
      )
      .action((user: string, access: string, name: string, _options: unknown, command: Command) =>
        withController(command, (controller) => {
          const store = controller.get('store');
          const model = requireModel(store, name);
          const level = modelAccess(access);
          store[verb](user, model.uuid, level);
          const done = verb === 'grant' ? `granted ${level} to` : `revoked ${level} from`;
          print(formatOf(command), {
            data: { user, access: level, model: model.name, modelUuid: model.uuid },
            text: `${done} ${user} on model ${model.name} (${model.uuid})`,
          });
        }),
      );
  }
}

function modelAccess(access: string): ModelAccess {
  if (access !== 'admin') {
    throw new JujuSshError(
      'invalid-argument',
      `unknown access level ${quoteUntrusted(access)}; the only level is admin`,
    );
  }
  return access;
}
