/**
 * `run`: the controller daemon. Opens the store and secrets, sweeps ephemeral keys a crashed run
 * left on machines, serves SSH, and on SIGTERM or SIGINT closes gracefully and exits 0.
 */
import { formatHostPort, type HostPort, JujuSshError } from '@juju-ssh/core';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { type Controller, composeController } from '../composition-root.js';
import { dataDirOf, settingsOf, withCommonOptions } from './command-context.js';
import { RUN_SETTING_FLAGS } from './config-command.js';
import { addSettingFlags } from './setting-flags.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Adds `run`. */
export function addRunCommand(program: Command): void {
  const command = program.command('run').description('serve SSH until SIGTERM or SIGINT');
  addSettingFlags(command, RUN_SETTING_FLAGS);
  withCommonOptions(command).action((_options: unknown, self: Command) => run(self));
}

async function run(command: Command): Promise<void> {
  const paths = dataDirOf(command);
  const { settings } = settingsOf(command, paths);
  const controller = composeController(paths, settings);
  const stop = new ShutdownSignal();

  try {
    const logger = controller.get('logger');
    const server = controller.get('jumpServer');

    const { swept, failed } = await controller.get('sweepLeftoverKeys')();
    if (swept + failed > 0) logger.info({ swept, failed }, 'swept leftover ephemeral keys');

    // Made before anything listens, so a missing or broken certificate stops nothing half-up.
    let sshPort = settings['ssh-address'].port;
    const api = await controller.get('createApiServer')(() => sshPort);
    if (stop.received === undefined) {
      const bound = await listen(server, settings['ssh-address']);
      logger.info({ host: bound.host, port: bound.port }, 'ssh server listening');
      sshPort = bound.port;
      const apiBound = await listen(api, settings['api-address']).catch(async (error) => {
        // The SSH listener would keep the process alive after the failure is reported.
        await server.close({ graceMs: 0 });
        throw error;
      });
      logger.info({ host: apiBound.host, port: apiBound.port }, 'api server listening');
      const signal = await stop.promise;
      logger.info({ signal }, 'shutting down');
    }

    await api.close();
    await server.close({ graceMs: settings['shutdown-grace'] * 1000 });
    logger.info('stopped');
  } finally {
    await closeQuietly(controller);
    stop.dispose();
  }
}

/** Starts listening, naming the address in the error when it cannot. */
async function listen(
  server: { listen(host: string, port: number): Promise<HostPort> },
  address: HostPort,
): Promise<HostPort> {
  try {
    return await server.listen(address.host, address.port);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('config', `cannot listen on ${formatHostPort(address)}: ${reason}`);
  }
}

/** Waits for the first shutdown signal; a second one ends the process at once, with status 1. */
class ShutdownSignal {
  /** The first signal, once one has come. */
  received: NodeJS.Signals | undefined;
  /** Resolves with the first signal. */
  readonly promise: Promise<NodeJS.Signals>;
  readonly #listener: (signal: NodeJS.Signals) => void;

  constructor() {
    let resolve: (signal: NodeJS.Signals) => void = () => {};
    this.promise = new Promise((done) => {
      resolve = done;
    });
    this.#listener = (signal) => {
      if (this.received !== undefined) process.exit(1);
      this.received = signal;
      resolve(signal);
    };
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, this.#listener);
  }

  /** Stops listening; signals get their default behaviour again. */
  dispose(): void {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, this.#listener);
  }
}

/** Closes the controller's parts; a failure is logged, not thrown over the shutdown. */
async function closeQuietly(controller: Controller): Promise<void> {
  try {
    await controller.close();
  } catch (err) {
    const logger: Logger = controller.get('logger');
    logger.error({ err }, 'closing the controller failed');
  }
}
