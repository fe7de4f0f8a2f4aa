/**
 * JIMM's users and their SSH keys: add, disable, enable and list users; register and list
 * keys. A user logs in to JIMM with a registered key and JIMM names that key in relay tokens.
 */

import { print, table } from '@juju-ssh/command-output';
import type { Command } from 'commander';
import { formatOf, withCommonOptions, withJimm } from './command-context.js';

/** Adds the user and key commands. */
export function addUserCommands(program: Command): void {
  withCommonOptions(program.command('add-user <name>'))
    .description('add a user who may log in to JIMM with registered SSH keys')
    .option('--superuser', 'may reach every model JIMM knows without a grant')
    .action((name: string, options: { superuser?: boolean }, command: Command) =>
      withJimm(command, (jimm) => {
        const user = jimm.get('store').addUser(name, { superuser: options.superuser });
        print(formatOf(command), { data: user, text: `added user ${user.name}` });
      }),
    );

  for (const verb of ['disable', 'enable'] as const) {
    withCommonOptions(program.command(`${verb}-user <name>`))
      .description(verb === 'disable' ? 'refuse the user from now on' : 'let the user in again')
      .action((name: string, _options: unknown, command: Command) =>
        withJimm(command, (jimm) => {
          const store = jimm.get('store');
          const user = verb === 'disable' ? store.disableUser(name) : store.enableUser(name);
          print(formatOf(command), { data: user, text: `${verb}d user ${user.name}` });
        }),
      );
  }

  withCommonOptions(program.command('list-users'))
    .description('list users')
    .action((_options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const users = jimm.get('store').listUsers();
        print(formatOf(command), {
          data: users,
          text: table(
            ['name', 'superuser', 'disabled'],
            users.map((u) => [u.name, String(u.superuser), String(u.disabled)]),
          ),
        });
      }),
    );

  withCommonOptions(program.command('add-ssh-key <user> <key-line>'))
    .description('register an OpenSSH public key line to a user')
    .action((user: string, line: string, _options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const key = jimm.get('store').addUserKey(user, line);
        print(formatOf(command), {
          data: { user: key.user, fingerprint: key.fingerprint, type: key.type },
          text: `added key ${key.fingerprint} to ${key.user}`,
        });
      }),
    );

  withCommonOptions(program.command('list-ssh-keys <user>'))
    .description("list a user's registered keys")
    .action((user: string, _options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const keys = jimm.get('store').listUserKeys(user);
        print(formatOf(command), {
          data: keys.map((k) => ({ fingerprint: k.fingerprint, type: k.type, comment: k.comment })),
          text: table(
            ['fingerprint', 'type', 'comment'],
            keys.map((k) => [k.fingerprint, k.type, k.comment]),
          ),
        });
      }),
    );
}
