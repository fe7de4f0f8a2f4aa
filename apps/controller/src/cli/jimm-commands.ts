/**
 * `trust-jimm`: makes this controller accept sessions a JIMM relays, by installing the public
 * JWKS that JIMM's `jwks` command prints. A running controller uses it from the next login.
 */

import { print } from '@juju-ssh/command-output';
import type { Command } from 'commander';
import { installJimmJwks, readJimmJwks } from '../jimm-trust.js';
import { dataDirOf, formatOf, settingsOf, withCommonOptions } from './command-context.js';

/** Adds `trust-jimm`. */
export function addJimmCommands(program: Command): void {
  withCommonOptions(program.command('trust-jimm <jwks-file>'))
    .description('trust the JIMM whose public JWKS this is (replaces any JIMM trusted before)')
    .action((file: string, _options: unknown, command: Command) => {
      const paths = dataDirOf(command);
      const { settings } = settingsOf(command, paths);
      const jwks = readJimmJwks(file);
      installJimmJwks(paths, jwks);
      print(formatOf(command), {
        data: { jwksFile: paths.jimmJwks, keyIds: jwks.keyIds },
        text:
          `controller ${settings['controller-id']} now trusts JIMM keys ` +
          `${jwks.keyIds.join(', ')} (${paths.jimmJwks})`,
      });
    });
}
