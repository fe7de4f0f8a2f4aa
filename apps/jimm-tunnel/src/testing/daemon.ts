/**
 * Runs the built `jimm-tunnel` and `juju-ssh-controller` as real processes for tests: admin
 * commands that must succeed, and daemons started with `run` that resolve once they listen.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '@juju-ssh/test-support';

const here = dirname(fileURLToPath(import.meta.url));
/** The built JIMM entry point. */
export const JIMM_MAIN = resolve(here, '../../dist/main.js');
/** The built controller entry point (a workspace sibling, run as a program). */
export const CONTROLLER_MAIN = resolve(here, '../../../controller/dist/main.js');

/** The environment without JUJU_SSH_* variables. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('JUJU_SSH_')),
  );
}

/** Runs `main` with `args`; it must exit 0. Returns its stdout. */
export async function cliOk(main: string, args: readonly string[]): Promise<string> {
  const result = await runCommand(process.execPath, [main, ...args], { env: cleanEnv() });
  if (result.code !== 0) {
    throw new Error(`${main} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout.toString('utf8');
}

/** A `run` that listens, with its log lines so far. */
export interface Daemon {
  readonly port: number;
  readonly lines: readonly Record<string, unknown>[];
  /** SIGTERM (or `signal`), then the exit status. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `main run args…`; resolves once it logs `ssh server listening`. */
export function startDaemon(main: string, args: readonly string[]): Promise<Daemon> {
  const child = spawn(process.execPath, [main, 'run', ...args], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  return new Promise((resolvePromise, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const texts = (partial + chunk.toString('utf8')).split('\n');
      partial = texts.pop() ?? '';
      for (const text of texts) {
        const line = parseLine(text);
        lines.push(line);
        if (line.msg !== 'ssh server listening') continue;
        resolvePromise({
          port: Number(line.port),
          lines,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`run exited ${code}: ${stderr.trim()}`)));
  });
}

function parseLine(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON; kept as its text.
  }
  return { msg: text };
}
