/**
 * The public keys JIMM hands out: its JWKS, which controllers install to trust its relay
 * tokens, and its jump host key, which users pin.
 */

import { print } from '@juju-ssh/command-output';
import { publicJwks } from '@juju-ssh/relay-token';
import type { Command } from 'commander';
import { loadSigningKey } from '../jimm-secrets.js';
import { dataDirOf, formatOf, settingsOf, withCommonOptions, withJimm } from './command-context.js';

/** Adds `jwks` and `host-key`. */
export function addKeyCommands(program: Command): void {
  withCommonOptions(program.command('jwks'))
    .description('print the public JWKS controllers trust (juju-ssh-controller trust-jimm FILE)')
    .action(async (_options: unknown, command: Command) => {
      const paths = dataDirOf(command);
      settingsOf(command, paths);
      const jwks = publicJwks([await loadSigningKey(paths)]);
      process.stdout.write(`${JSON.stringify(jwks, null, 2)}\n`);
    });

  withCommonOptions(program.command('host-key'))
    .description("print JIMM's jump host key as a public line")
    .action((_options: unknown, command: Command) =>
      withJimm(command, (jimm) => {
        const key = jimm.get('jumpHostKey');
        print(formatOf(command), {
          data: { publicLine: key.publicLine, fingerprint: key.fingerprint },
          text: key.publicLine,
        });
      }),
    );
}
