/**
 * What the user may reach, and who they are: `whoami`, `list-models`, `list-machines`,
 * `list-units`, `list-targets`, and `controllers` (those logged in to here).
 */

import { print, table } from '@juju-ssh/command-output';
import type {
  MachineView,
  ModelView,
  TargetView,
  UnitView,
  UserView,
} from '@juju-ssh/http-api/protocol';
import type { Command } from 'commander';
import type { CliContext } from '../config/cli-context.js';
import { readControllersFile } from '../config/controllers-file.js';
import { controllerOf, formatOf, withFormat } from './format-option.js';

/** Adds the listing commands. */
export function addListingCommands(program: Command, context: CliContext): void {
  withFormat(program.command('whoami'))
    .description('the controller user this CLI is logged in as')
    .action(async (_options: unknown, command: Command) => {
      const session = context.controller(controllerOf(command));
      const user = await session.api.get<UserView>('/v1/whoami');
      print(formatOf(command), {
        data: { controller: session.name, url: session.entry.url, ...user },
        text: `${user.name}${user.superuser ? ' (superuser)' : ''} on controller ${session.name}`,
      });
    });

  withFormat(program.command('controllers'))
    .description('the controllers logged in to here; * marks the current one')
    .action((_options: unknown, command: Command) => {
      const file = readControllersFile(context.paths.controllersFile);
      const rows = Object.entries(file.controllers).map(([name, entry]) => ({
        name,
        current: name === file.current,
        url: entry.url,
        user: entry.user,
        fingerprint: entry.fingerprint,
      }));
      print(formatOf(command), {
        data: rows,
        text: table(
          ['controller', 'url', 'user', 'certificate'],
          rows.map((r) => [`${r.name}${r.current ? '*' : ''}`, r.url, r.user, r.fingerprint]),
        ),
      });
    });

  withFormat(program.command('list-models'))
    .description('the models you may reach (every model, for a superuser)')
    .action(async (_options: unknown, command: Command) => {
      const models = await context
        .controller(controllerOf(command))
        .api.get<ModelView[]>('/v1/models');
      print(formatOf(command), {
        data: models,
        text: table(
          ['model', 'uuid'],
          models.map((m) => [m.name, m.uuid]),
        ),
      });
    });

  modelListing(program, context, 'list-machines', "a model's machines", async (api, model) => {
    const machines = await api.get<MachineView[]>(`${model}/machines`);
    return {
      data: machines,
      text: table(
        ['machine', 'address', 'host key', 'target'],
        machines.map((m) => [m.id, `${m.address}:${m.port}`, m.hostKeyFingerprint, m.target]),
      ),
    };
  });

  modelListing(program, context, 'list-units', "a model's units", async (api, model) => {
    const units = await api.get<UnitView[]>(`${model}/units`);
    return {
      data: units,
      text: table(
        ['unit', 'machine', 'target'],
        units.map((u) => [u.unit, u.machine, u.target]),
      ),
    };
  });

  modelListing(
    program,
    context,
    'list-targets',
    "a model's targets and host keys",
    async (api, model) => {
      const targets = await api.get<TargetView[]>(`${model}/targets`);
      return {
        data: targets,
        text: table(
          ['target', 'kind', 'host', 'host key'],
          targets.map((t) => [t.name, t.kind, t.host, t.hostKey.fingerprint]),
        ),
      };
    },
  );
}

type Api = ReturnType<CliContext['controller']>['api'];

function modelListing(
  program: Command,
  context: CliContext,
  name: string,
  description: string,
  fetch: (api: Api, modelPath: string) => Promise<{ data: unknown; text: string }>,
): void {
  withFormat(program.command(name))
    .description(description)
    .option('-m, --model <model>', 'the model (env JUJU_SSH_MODEL)')
    .action(async (options: { model?: string }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const model = context.requireModel(options.model);
      print(formatOf(command), await fetch(session.api, `/v1/models/${encodeURIComponent(model)}`));
    });
}
