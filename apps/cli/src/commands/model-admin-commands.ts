/**
 * Models, grants, machines and units over the API, as the controller's local commands offer
 * them, for superusers: add-model, grant, revoke, add-machine, update-machine, add-unit, and
 * the system key line each machine needs.
 */
import { print } from '@juju-ssh/command-output';
import { JujuSshError } from '@juju-ssh/core';
import type {
  GrantView,
  MachineView,
  ModelView,
  SystemKeyView,
  UnitView,
} from '@juju-ssh/http-api/protocol';
import type { Command } from 'commander';
import type { CliContext } from '../config/cli-context.js';
import { controllerOf, formatOf, withFormat } from './format-option.js';

const MODEL_OPTION = ['-m, --model <model>', 'the model (env JUJU_SSH_MODEL)'] as const;

/** Adds the model, grant, machine and unit commands. */
export function addModelAdminCommands(program: Command, context: CliContext): void {
  withFormat(program.command('add-model <name>'))
    .description('add a model and print its UUID (superuser)')
    .option('--uuid <uuid>', "the model's UUID (default: a new one)")
    .action(async (name: string, options: { uuid?: string }, command: Command) => {
      const api = context.controller(controllerOf(command)).api;
      const model = await api.call<ModelView>('POST', '/v1/models', {
        name,
        ...(options.uuid === undefined ? {} : { uuid: options.uuid }),
      });
      print(formatOf(command), { data: model, text: model.uuid });
    });

  for (const verb of ['grant', 'revoke'] as const) {
    withFormat(program.command(`${verb} <user> <access> <model>`))
      .description(
        verb === 'grant' ? 'give a user admin access to a model' : "take a user's access away",
      )
      .action(
        async (
          user: string,
          access: string,
          model: string,
          _options: unknown,
          command: Command,
        ) => {
          const api = context.controller(controllerOf(command)).api;
          const path = ['', 'v1', 'models', model, 'grants', user, access]
            .map(encodeURIComponent)
            .join('/');
          const done = await api.call<GrantView>(verb === 'grant' ? 'PUT' : 'DELETE', path);
          const what =
            verb === 'grant' ? `granted ${done.access} to` : `revoked ${done.access} from`;
          print(formatOf(command), {
            data: done,
            text: `${what} ${done.user} on model ${done.model} (${done.modelUuid})`,
          });
        },
      );
  }

  withFormat(program.command('add-machine <id>'))
    .description('add a machine: where its sshd listens and its real host key (superuser)')
    .option(...MODEL_OPTION)
    .requiredOption('--address <host[:port]>', 'its sshd, as in 10.0.0.5 or [::1]:2222 (port 22)')
    .requiredOption('--host-key <key-line>', "its sshd's host key as an OpenSSH public line")
    .action(
      async (
        id: string,
        options: { model?: string; address: string; hostKey: string },
        command: Command,
      ) => {
        const api = context.controller(controllerOf(command)).api;
        const model = context.requireModel(options.model);
        const body = { id, ...hostPort(options.address), hostKey: options.hostKey };
        const machine = await api.call<MachineView>('POST', `${modelPath(model)}/machines`, body);
        print(formatOf(command), { data: machine, text: machineLine('added', machine) });
      },
    );

  withFormat(program.command('update-machine <id>'))
    .description("change a machine's address or the host key it must show (superuser)")
    .option(...MODEL_OPTION)
    .option('--address <host[:port]>', 'its sshd, as in 10.0.0.5 or [::1]:2222')
    .option('--host-key <key-line>', "its sshd's new host key")
    .action(
      async (
        id: string,
        options: { model?: string; address?: string; hostKey?: string },
        command: Command,
      ) => {
        if (options.address === undefined && options.hostKey === undefined) {
          throw new JujuSshError(
            'invalid-argument',
            'nothing to change: give --address or --host-key',
          );
        }
        const api = context.controller(controllerOf(command)).api;
        const model = context.requireModel(options.model);
        const body = {
          ...(options.address === undefined ? {} : hostPort(options.address)),
          ...(options.hostKey === undefined ? {} : { hostKey: options.hostKey }),
        };
        const path = `${modelPath(model)}/machines/${encodeURIComponent(id)}`;
        const machine = await api.call<MachineView>('PATCH', path, body);
        print(formatOf(command), { data: machine, text: machineLine('updated', machine) });
      },
    );

  withFormat(program.command('add-unit <unit>'))
    .description('place a unit (APPLICATION/N) on a machine of the model (superuser)')
    .option(...MODEL_OPTION)
    .requiredOption('--machine <id>', 'the machine the unit runs on')
    .action(
      async (unit: string, options: { model?: string; machine: string }, command: Command) => {
        const api = context.controller(controllerOf(command)).api;
        const model = context.requireModel(options.model);
        const added = await api.call<UnitView>('POST', `${modelPath(model)}/units`, {
          unit,
          machine: options.machine,
        });
        print(formatOf(command), {
          data: added,
          text: `added unit ${added.unit} on machine ${added.machine}`,
        });
      },
    );

  withFormat(program.command('system-key'))
    .description("print the authorized_keys line each machine's login users need (superuser)")
    .option('--authorized-keys-file <path>', 'the file the forced command edits')
    .action(async (options: { authorizedKeysFile?: string }, command: Command) => {
      const api = context.controller(controllerOf(command)).api;
      const line = await api.get<SystemKeyView>('/v1/system-key', {
        authorizedKeysFile: options.authorizedKeysFile,
      });
      print(formatOf(command), { data: line, text: line.authorizedKeysLine });
    });
}

function modelPath(model: string): string {
  return `/v1/models/${encodeURIComponent(model)}`;
}

/** `host`, `host:port`, `[v6]` or `[v6]:port` as the API's fields; port 22 unless given. */
function hostPort(text: string): { address: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::([0-9]+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) {
    throw new JujuSshError(
      'invalid-argument',
      `bad address ${JSON.stringify(text)}: write HOST, HOST:PORT, or an IPv6 address as [::1]:22`,
    );
  }
  const [, address = '', port] = match;
  return { address, port: port === undefined ? 22 : Number(port) };
}

function machineLine(done: string, machine: MachineView): string {
  const where = `${machine.address}:${machine.port}`;
  return `${done} machine ${machine.id} at ${where} (host key ${machine.hostKeyFingerprint})`;
}
