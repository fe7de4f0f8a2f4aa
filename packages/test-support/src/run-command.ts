/**
 * Runs a program to completion for a test: optional standard input, captured output, and a hard
 * timeout that kills the program and fails loudly instead of hanging the test run.
 */
import { spawn } from 'node:child_process';

/** What a finished program left behind. */
export interface CommandResult {
  /** Exit status, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null when it exited. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** How to run a program. */
export interface RunCommandOptions {
  /** Written to the program's stdin, which is then closed; stdin is /dev/null when absent. */
  readonly input?: string | Buffer;
  /** Kill the program and reject after this long; default 30 seconds. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Runs `command` with `args` and resolves with its exit status and output, whatever the status.
 * Rejects when the program cannot start, or when it outlives the timeout (it is killed first).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shown = [command, ...args].join(' ');

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${shown}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const err = Buffer.concat(stderr);
      if (timedOut) {
        const tail = err.toString('utf8').slice(-2000);
        reject(new Error(`${shown} did not finish within ${timeoutMs} ms and was killed\n${tail}`));
        return;
      }
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: err });
    });

    if (child.stdin) {
      // A program that exits without reading its input must not fail the run with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

/**
 * Runs a program and rejects unless it exits 0; the message carries its stderr.
 */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const reason = result.signal ? `signal ${result.signal}` : `status ${result.code}`;
    const stderr = result.stderr.toString('utf8').trim();
    throw new Error(`${[command, ...args].join(' ')} failed with ${reason}: ${stderr}`);
  }
  return result;
}
