/**
 * Runs the built `juju-ssh-controller` as a real process for tests: against a temporary data
 * directory, with an environment free of the caller's JUJU_SSH_* variables.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, runCommand } from '@juju-ssh/test-support';
import { type ControllerDaemon, startControllerDaemon } from '../demo/controller-daemon.js';

/** The built entry point. */
export const CONTROLLER_MAIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../dist/main.js',
);

/** A temporary directory and its removal, as test-support makes them. */
export type TempDir = Awaited<ReturnType<typeof makeTempDir>>;

/** How a finished command went, its output as text. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The process environment without JUJU_SSH_* variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('JUJU_SSH_')),
  );
  return { ...env, ...extra };
}

/** Runs the controller with `args` and the environment `env` (default: clean). */
export async function controllerCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  const result = await runCommand(process.execPath, [CONTROLLER_MAIN, ...args], {
    env: options.env ?? cleanEnv(),
    input: options.input,
  });
  return {
    code: result.code,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
  };
}

/** Runs a command that must succeed and returns its stdout; fails loudly with its stderr. */
export async function controllerOk(args: readonly string[]): Promise<string> {
  const result = await controllerCli(args);
  if (result.code !== 0) {
    throw new Error(
      `juju-ssh-controller ${args.join(' ')} exited ${result.code}: ${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A temporary directory holding a bootstrapped data directory at `dataDir`. */
export interface BootstrappedDir extends TempDir {
  readonly dataDir: string;
  /** Runs a command against this data directory; it must succeed. */
  ok(...args: string[]): Promise<string>;
  /** Runs a command against this data directory, whatever its outcome. */
  cli(...args: string[]): Promise<CliResult>;
}

/** Bootstraps a fresh data directory in a new temporary directory. */
export async function bootstrapTemp(...extra: string[]): Promise<BootstrappedDir> {
  const temp = await makeTempDir('juju-ssh-controller');
  const dataDir = join(temp.path, 'data');
  await controllerOk(['bootstrap', '--data-dir', dataDir, ...extra]);
  return {
    ...temp,
    dataDir,
    ok: (...args) => controllerOk([...args, '--data-dir', dataDir]),
    cli: (...args) => controllerCli([...args, '--data-dir', dataDir]),
  };
}

/** A `run` in progress, with its log lines as parsed so far. */
export interface RunningController extends ControllerDaemon {
  readonly lines: readonly Record<string, unknown>[];
}

/** Starts `run` on 127.0.0.1 and a free port; resolves once it listens. */
export async function startController(
  dataDir: string,
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<RunningController> {
  const lines: Record<string, unknown>[] = [];
  const daemon = await startControllerDaemon({
    main: CONTROLLER_MAIN,
    args: ['--data-dir', dataDir, '--ssh-address', '127.0.0.1:0', ...extra],
    env,
    onLogLine: (line) => lines.push(line),
  });
  return { ...daemon, lines };
}
