/**
 * `bootstrap`: makes a new JIMM data directory with its id, listen address, empty store and
 * registry, audit file, jump host key and relay token signing key.
 */
import { randomBytes } from 'node:crypto';
import { print } from '@juju-ssh/command-output';
import { formatHostPort } from '@juju-ssh/core';
import type { Command } from 'commander';
import { bootstrapJimm } from '../bootstrap.js';
import { loadSettings } from '../config/load-settings.js';
import {
  addSettingFlags,
  dataDirOf,
  formatOf,
  settingFlags,
  withCommonOptions,
} from './command-context.js';

/** Adds `bootstrap`. */
export function addBootstrapCommand(program: Command): void {
  const command = program
    .command('bootstrap')
    .description('create the data directory (mode 0700), its settings and its secrets');
  addSettingFlags(command, ['jimm-id', 'ssh-address']);
  withCommonOptions(command).action(async (_options: unknown, self: Command) => {
    const paths = dataDirOf(self);
    const settings = loadSettings({
      flags: settingFlags(self),
      env: process.env,
      defaults: { 'jimm-id': `jimm-${randomBytes(4).toString('hex')}` },
    });
    const made = await bootstrapJimm(paths.root, {
      jimmId: settings['jimm-id'],
      sshAddress: formatHostPort(settings['ssh-address']),
    });
    print(formatOf(self), {
      data: {
        dataDir: paths.root,
        jimmId: settings['jimm-id'],
        jumpHostKey: made.jumpHostKey.publicLine,
        signingKeyId: made.signingKey.kid,
      },
      text: [
        `bootstrapped JIMM ${settings['jimm-id']} in ${paths.root}`,
        `jump host key:   ${made.jumpHostKey.fingerprint}`,
        `signing key id:  ${made.signingKey.kid}`,
        'next: give each controller the output of `jwks` (juju-ssh-controller trust-jimm),',
        'register them with add-controller, then add users, models and grants, and `run`',
      ].join('\n'),
    });
  });
}
