/**
 * User administration over the API, as the controller's local commands offer it: add a user
 * (printing their registration string and login command), make a new registration string,
 * disable, enable and list users, and register, remove and list SSH keys.
 */
import { readFileSync } from 'node:fs';
import { print, table, yesNo } from '@juju-ssh/command-output';
import { JujuSshError } from '@juju-ssh/core';
import type { RegistrationView, SshKeyView, UserView } from '@juju-ssh/http-api/protocol';
import type { Command } from 'commander';
import type { CliContext, ControllerSession } from '../config/cli-context.js';
import { controllerOf, formatOf, withFormat } from './format-option.js';

/** Adds the user and SSH key commands. */
export function addUserAdminCommands(program: Command, context: CliContext): void {
  withFormat(program.command('add-user <name>'))
    .description('add a user and print the registration string they log in with (superuser)')
    .option('--superuser', 'may reach every model and administer the controller')
    .action(async (name: string, options: { superuser?: boolean }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const body = { name, ...(options.superuser === true ? { superuser: true } : {}) };
      const added = await session.api.call<RegistrationView>('POST', '/v1/users', body);
      printRegistration(command, session, added, `added user ${added.user.name}`);
    });

  withFormat(program.command('registration <user>'))
    .description('print a new one-time registration string for a user (superuser)')
    .action(async (user: string, _options: unknown, command: Command) => {
      const session = context.controller(controllerOf(command));
      const issued = await session.api.call<RegistrationView>(
        'POST',
        `/v1/users/${encodeURIComponent(user)}/registration`,
      );
      printRegistration(command, session, issued, `new registration string for ${user}`);
    });

  for (const action of ['disable', 'enable'] as const) {
    withFormat(program.command(`${action}-user <name>`))
      .description(
        action === 'disable'
          ? 'refuse a user from now on (superuser)'
          : 'let a user in again (superuser)',
      )
      .action(async (name: string, _options: unknown, command: Command) => {
        const session = context.controller(controllerOf(command));
        const user = await session.api.call<UserView>(
          'POST',
          `/v1/users/${encodeURIComponent(name)}/${action}`,
        );
        print(formatOf(command), { data: user, text: `${action}d user ${user.name}` });
      });
  }

  withFormat(program.command('list-users'))
    .description('list users (superuser)')
    .action(async (_options: unknown, command: Command) => {
      const users = await context
        .controller(controllerOf(command))
        .api.get<UserView[]>('/v1/users');
      print(formatOf(command), {
        data: users,
        text: table(
          ['name', 'superuser', 'disabled'],
          users.map((u) => [u.name, yesNo(u.superuser), yesNo(u.disabled)]),
        ),
      });
    });

  addSshKeyCommands(program, context);
}

function addSshKeyCommands(program: Command, context: CliContext): void {
  withFormat(program.command('add-ssh-key [key-line]'))
    .description("register an OpenSSH public key (yours, or --user's as a superuser)")
    .option('--user <name>', 'whose key it is (default: you)')
    .option('-f, --file <path>', 'read the key line from a .pub file')
    .action(
      async (
        line: string | undefined,
        options: { user?: string; file?: string },
        command: Command,
      ) => {
        const session = context.controller(controllerOf(command));
        const publicKey = keyLine(line, options.file);
        const user = options.user ?? session.entry.user;
        const key = await session.api.call<SshKeyView>('POST', keysPath(user), { publicKey });
        print(formatOf(command), {
          data: key,
          text: `added key ${key.fingerprint} to ${key.user}`,
        });
      },
    );

  withFormat(program.command('remove-ssh-key <key>'))
    .description('remove a key, named by its SHA256 fingerprint or comment')
    .option('--user <name>', 'whose key it is (default: you)')
    .action(async (key: string, options: { user?: string }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const user = options.user ?? session.entry.user;
      const removed = await session.api.call<SshKeyView[]>(
        'DELETE',
        `${keysPath(user)}/${encodeURIComponent(key)}`,
      );
      print(formatOf(command), {
        data: removed,
        text: removed.map((k) => `removed key ${k.fingerprint} from ${k.user}`).join('\n'),
      });
    });

  withFormat(program.command('list-ssh-keys'))
    .description("list registered keys (yours, or --user's as a superuser)")
    .option('--user <name>', 'whose keys (default: you)')
    .action(async (options: { user?: string }, command: Command) => {
      const session = context.controller(controllerOf(command));
      const keys = await session.api.get<SshKeyView[]>(
        keysPath(options.user ?? session.entry.user),
      );
      print(formatOf(command), {
        data: keys,
        text: table(
          ['fingerprint', 'type', 'comment'],
          keys.map((k) => [k.fingerprint, k.type, k.comment]),
        ),
      });
    });
}

function keysPath(user: string): string {
  return `/v1/users/${encodeURIComponent(user)}/ssh-keys`;
}

function keyLine(line: string | undefined, file: string | undefined): string {
  if ((line === undefined) === (file === undefined)) {
    throw new JujuSshError('invalid-argument', 'give either a key line or --file PATH, not both');
  }
  if (line !== undefined) return line;
  try {
    return readFileSync(file ?? '', 'utf8').trim();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('invalid-argument', `cannot read key file ${file}: ${reason}`);
  }
}

function printRegistration(
  command: Command,
  session: ControllerSession,
  issued: RegistrationView,
  done: string,
): void {
  const login =
    `juju-ssh login ${session.entry.url} --fingerprint ${session.entry.fingerprint} ` +
    issued.registration;
  print(formatOf(command), {
    data: { ...issued, loginCommand: login },
    text: [
      done,
      `registration string (one use, until ${issued.expiresAt}):`,
      `  ${issued.registration}`,
      `${issued.user.name} logs in with:`,
      `  ${login}`,
    ].join('\n'),
  });
}
