/**
 * User administration: add, disable and enable users, register and remove their SSH keys,
 * and list both. Changes reach a running controller from its next login.
 */
import { readFileSync } from 'node:fs';
import { print, table } from '@juju-ssh/command-output';
import {
  JujuSshError,
  parsePublicKeyLine,
  type UserKeyRecord,
  type UserRecord,
} from '@juju-ssh/core';
import type { Command } from 'commander';
import { registrationOutput } from './api-commands.js';
import { formatOf, withCommonOptions, withController } from './command-context.js';

/** Adds the user and SSH key commands. */
export function addUserCommands(program: Command): void {
  withCommonOptions(program.command('add-user <name>'))
    .description('add a user, and print the registration string they log in to the API with')
    .option('--superuser', 'may reach every model without a grant')
    .action((name: string, options: { superuser?: boolean }, command: Command) =>
      withController(command, async (controller) => {
        const user = controller.get('store').addUser(name, { superuser: options.superuser });
        const issued = await controller.get('apiAccess').issueRegistration(user.name);
        const registration = registrationOutput(controller, issued);
        print(formatOf(command), {
          data: { ...user, registration: registration.data },
          text: `added user ${user.name}${user.superuser ? ' (superuser)' : ''}\n${registration.text}`,
        });
      }),
    );

  withCommonOptions(program.command('disable-user <name>'))
    .description('refuse the user from now on, also on open connections')
    .action((name: string, _options: unknown, command: Command) =>
      withController(command, (controller) => {
        const user = controller.get('store').disableUser(name);
        printUser(command, user, `disabled user ${user.name}`);
      }),
    );

  withCommonOptions(program.command('enable-user <name>'))
    .description('let a disabled user in again')
    .action((name: string, _options: unknown, command: Command) =>
      withController(command, (controller) => {
        const user = controller.get('store').enableUser(name);
        printUser(command, user, `enabled user ${user.name}`);
      }),
    );

  withCommonOptions(program.command('list-users'))
    .description('list users')
    .action((_options: unknown, command: Command) =>
      withController(command, (controller) => {
        const users = controller.get('store').listUsers();
        print(formatOf(command), {
          data: users,
          text: table(
            ['name', 'superuser', 'disabled'],
            users.map((user) => [user.name, yesNo(user.superuser), yesNo(user.disabled)]),
          ),
        });
      }),
    );

  addKeyCommands(program);
}

function addKeyCommands(program: Command): void {
  withCommonOptions(program.command('add-ssh-key <user> [key-line]'))
    .description('register an OpenSSH public key line (or every key in --file) to a user')
    .option('--file <path>', 'read the key lines from this file (authorized_keys form)')
    .action(
      (user: string, line: string | undefined, options: { file?: string }, command: Command) =>
        withController(command, (controller) => {
          const store = controller.get('store');
          const added = keyLines(line, options.file).map((key) => store.addUserKey(user, key));
          printKeys(command, added, (key) => `added key ${key.fingerprint} to ${key.user}`);
        }),
    );

  withCommonOptions(program.command('remove-ssh-key <user> <key>'))
    .description("remove a user's key, named by its SHA256 fingerprint or its comment")
    .action((user: string, key: string, _options: unknown, command: Command) =>
      withController(command, (controller) => {
        const removed = controller.get('store').removeUserKey(user, key);
        printKeys(command, removed, (k) => `removed key ${k.fingerprint} from ${k.user}`);
      }),
    );

  withCommonOptions(program.command('list-ssh-keys <user>'))
    .description("list a user's registered keys")
    .action((user: string, _options: unknown, command: Command) =>
      withController(command, (controller) => {
        const keys = controller.get('store').listUserKeys(user);
        print(formatOf(command), {
          data: keys.map(keyJson),
          text: table(
            ['fingerprint', 'type', 'comment'],
            keys.map((key) => [key.fingerprint, key.type, key.comment]),
          ),
        });
      }),
    );
}

/** The key lines to add: the argument, or the non-comment lines of the file; not both. */
function keyLines(line: string | undefined, file: string | undefined): string[] {
  if ((line === undefined) === (file === undefined)) {
    throw new JujuSshError('invalid-argument', 'give either a key line or --file PATH, not both');
  }
  if (line !== undefined) return [line];

  let text: string;
  try {
    text = readFileSync(file ?? '', 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('invalid-argument', `cannot read key file ${file}: ${reason}`);
  }
  const lines: string[] = [];
  for (const [index, entry] of text.split('\n').entries()) {
    const trimmed = entry.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    try {
      // Every line is checked before any is added, so a bad file adds nothing.
      parsePublicKeyLine(trimmed);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new JujuSshError('invalid-key', `${file}:${index + 1}: ${reason}`);
    }
    lines.push(trimmed);
  }
  if (lines.length === 0) {
    throw new JujuSshError('invalid-key', `key file ${file} holds no key lines`);
  }
  return lines;
}

function printUser(command: Command, user: UserRecord, text: string): void {
  print(formatOf(command), { data: user, text });
}

function printKeys(
  command: Command,
  keys: readonly UserKeyRecord[],
  describe: (key: UserKeyRecord) => string,
): void {
  print(formatOf(command), { data: keys.map(keyJson), text: keys.map(describe).join('\n') });
}

function keyJson(key: UserKeyRecord): Record<string, string> {
  return { user: key.user, fingerprint: key.fingerprint, type: key.type, comment: key.comment };
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
