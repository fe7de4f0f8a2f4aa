/**
 * `known-hosts` and `ssh-config`: what the CLI trusts, shown for people who use plain OpenSSH.
 * `known-hosts` prints the lines; `ssh-config` also writes them to the CLI's known_hosts file
 * and prints a block (jump host, one alias per target) for ~/.ssh/config.
 */
import { print } from '@juju-ssh/command-output';
import type { ControllerView, TargetView } from '@juju-ssh/http-api/protocol';
import type { Command } from 'commander';
import type { CliContext } from '../config/cli-context.js';
import { jumpHostOf, jumpKnownHost } from '../ssh/connection-setup.js';
import { type KnownHost, knownHostsLines, updateKnownHosts } from '../ssh/known-hosts-file.js';
import { type TargetAlias, userSshConfig } from '../ssh/ssh-config-text.js';
import { controllerOf, formatOf, withFormat } from './format-option.js';

/** Adds `known-hosts` and `ssh-config`. */
export function addHostKeyCommands(program: Command, context: CliContext): void {
  withFormat(program.command('known-hosts [targets...]'))
    .description("print the known_hosts lines for the jump host and targets (default: the model's)")
    .option('-m, --model <model>', 'the model (env JUJU_SSH_MODEL)')
    .action(async (refs: string[], options: { model?: string }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const controller = await session.api.get<ControllerView>('/v1/controller');
      const model = context.model(options.model);
      const targets =
        refs.length === 0
          ? model === undefined
            ? []
            : await session.api.get<TargetView[]>(`/v1/models/${encodeURIComponent(model)}/targets`)
          : await Promise.all(
              refs.map((target) => session.api.get<TargetView>('/v1/resolve', { target, model })),
            );
      const entries: KnownHost[] = [
        jumpKnownHost(jumpHostOf(session, controller), controller),
        ...targets.map((t) => ({ host: t.host, publicLine: t.hostKey.publicLine })),
      ];
      print(formatOf(command), { data: entries, text: knownHostsLines(entries).join('\n') });
    });

  withFormat(program.command('ssh-config'))
    .description('print an ssh_config block so plain `ssh app-0.MODEL` goes through the controller')
    .option('-m, --model <model>', 'the model (env JUJU_SSH_MODEL)')
    .option(
      '-i, --identity-file <file>',
      'the private key to offer on both hops (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .action(async (options: { model?: string; identityFile: string[] }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const model = context.requireModel(options.model);
      const controller = await session.api.get<ControllerView>('/v1/controller');
      const targets = await session.api.get<TargetView[]>(
        `/v1/models/${encodeURIComponent(model)}/targets`,
      );
      const jump = jumpHostOf(session, controller);
      const knownHostsFile = context.paths.knownHostsFile(session.name);
      updateKnownHosts(knownHostsFile, [
        jumpKnownHost(jump, controller),
        ...targets.map((t) => ({ host: t.host, publicLine: t.hostKey.publicLine })),
      ]);

      const modelName = targets[0]?.model.name ?? model;
      const aliases: TargetAlias[] = targets.map((target) => ({
        alias: `${target.name.replaceAll('/', '-')}.${modelName}`,
        hostName: target.host,
      }));
      const text = userSshConfig(
        { jump, knownHostsFile, identityFiles: options.identityFile },
        aliases,
        `juju-ssh: controller ${session.name}, model ${modelName}, user ${session.entry.user}`,
      );
      print(formatOf(command), {
        data: { jump, knownHostsFile, targets: aliases },
        text: text.trimEnd(),
      });
    });
}
