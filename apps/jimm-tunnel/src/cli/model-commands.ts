/**
 * Models and grants at JIMM: each model JIMM knows is placed on the controller that hosts it,
 * and a user needs admin on the model, granted here, to be relayed to it.
 */

import { print, table } from '@juju-ssh/command-output';
import { JujuSshError, type ModelRecord, quoteUntrusted } from '@juju-ssh/core';
import type { SqliteStore } from '@juju-ssh/state';
import type { Command } from 'commander';
import { formatOf, withCommonOptions, withJimm } from './command-context.js';

/** Adds the model and grant commands. */
export function addModelCommands(program: Command): void {
  withCommonOptions(program.command('add-model <name>'))
    .description('add a model hosted by a registered controller')
    .requiredOption('--controller <id>', 'the controller that hosts the model')
    .requiredOption('--uuid <uuid>', "the model's UUID, as its controller knows it")
    .action((name: string, options: { controller: string; uuid: string }, command: Command) =>
      withJimm(command, (jimm) => {
        const registry = jimm.get('registry');
        if (registry.findController(options.controller) === undefined) {
          throw new JujuSshError(
            'not-found',
            `no controller ${quoteUntrusted(options.controller)} is registered; see ` +
              'list-controllers',
          );
        }
        const model = jimm.get('store').addModel(name, options.uuid);
        registry.placeModel(model.uuid, options.controller);
        print(formatOf(command), {
          data: { ...model, controller: options.controller },
          text: `added model ${model.name} (${model.uuid}) on controller ${options.controller}`,
        });
      }),
    );

  withCommonOptions(program.command('list-models'))
    .description('list models and the controller hosting each')
    .action((_options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const registry = jimm.get('registry');
        const rows = jimm
          .get('store')
          .listModels()
          .map((model) => ({
            ...model,
            controller: registry.controllerForModel(model.uuid)?.id ?? '',
          }));
        print(formatOf(command), {
          data: rows,
          text: table(
            ['name', 'uuid', 'controller'],
            rows.map((r) => [r.name, r.uuid, r.controller]),
          ),
        });
      }),
    );

  for (const verb of ['grant', 'revoke'] as const) {
    withCommonOptions(program.command(`${verb} <user> <access> <model>`))
      .description(verb === 'grant' ? 'give a user admin on a model' : "take a user's access away")
      .action((user: string, access: string, name: string, _options: unknown, command: Command) =>
        withJimm(command, (jimm) => {
          if (access !== 'admin') {
            throw new JujuSshError('invalid-argument', 'the only access level is admin');
          }
          const store = jimm.get('store');
          const model = requireModel(store, name);
          store[verb](user, model.uuid, 'admin');
          print(formatOf(command), {
            data: { user, access, model: model.name, modelUuid: model.uuid },
            text: `${verb === 'grant' ? 'granted admin to' : 'revoked admin from'} ${user} on model ${model.name}`,
          });
        }),
      );
  }
}

function requireModel(store: SqliteStore, nameOrUuid: string): ModelRecord {
  const model = store.findModel(nameOrUuid);
  if (model === undefined) {
    throw new JujuSshError('not-found', `no model ${quoteUntrusted(nameOrUuid)}; see list-models`);
  }
  return model;
}
