/**
 * `run`: the JIMM daemon. Serves SSH until SIGTERM or SIGINT, then lets relays finish up to the
 * shutdown grace and exits 0.
 */
import { formatHostPort, JujuSshError } from '@juju-ssh/core';
import type { Command } from 'commander';
import { SETTING_NAMES } from '../config/settings.js';
import { loadSigningKey } from '../jimm-secrets.js';
import {
  addSettingFlags,
  dataDirOf,
  settingsOf,
  withCommonOptions,
  withJimm,
} from './command-context.js';

/** Adds `run`. */
export function addRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('serve SSH until SIGTERM or SIGINT')
    .option(
      '--capture-relayed-bytes <file>',
      'debugging only: append every relayed byte to this file (it holds only ciphertext)',
    );
  addSettingFlags(
    command,
    SETTING_NAMES.filter((name) => name !== 'jimm-id'),
  );
  withCommonOptions(command).action(async (options: { captureRelayedBytes?: string }, self) => {
    const paths = dataDirOf(self);
    const settings = settingsOf(self, paths);
    const signingKey = await loadSigningKey(paths);
    await withJimm(
      self,
      async (jimm) => {
        const logger = jimm.get('logger');
        const server = jimm.get('tunnelServer');
        const address = settings['ssh-address'];
        const stopped = waitForSignal();
        const bound = await server.listen(address.host, address.port).catch((error: Error) => {
          throw new JujuSshError(
            'config',
            `cannot listen on ${formatHostPort(address)}: ${error.message}`,
          );
        });
        logger.info({ host: bound.host, port: bound.port }, 'ssh server listening');
        logger.info({ signal: await stopped }, 'shutting down');
        await server.close({ graceMs: settings['shutdown-grace'] * 1000 });
        logger.info('stopped');
      },
      {
        signingKey,
        ...(options.captureRelayedBytes === undefined
          ? {}
          : { captureRelayedBytes: options.captureRelayedBytes }),
      },
    );
  });
}

/** Resolves with the first SIGTERM or SIGINT; a second one ends the process at once. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const listener = (signal: NodeJS.Signals) => {
      if (received) process.exit(1);
      received = true;
      resolve(signal);
    };
    process.on('SIGTERM', listener);
    process.on('SIGINT', listener);
  });
}
