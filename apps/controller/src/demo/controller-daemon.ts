/**
 * Starts `juju-ssh-controller run` as a child process and waits for its `ssh server listening`
 * log line, which carries the bound port. The demo and the app's process tests both use it.
 */
import { spawn } from 'node:child_process';

/** A `run` process that is listening. */
export interface ControllerDaemon {
  readonly host: string;
  readonly port: number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit status. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** How to start the daemon. */
export interface ControllerDaemonOptions {
  /** Path of the built main.js. */
  readonly main: string;
  /** Arguments after `run`, e.g. `--data-dir`, `--ssh-address 127.0.0.1:0`. */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Receives every log line (one JSON object each) as it is written. */
  readonly onLogLine?: (line: Record<string, unknown>) => void;
}

/** Starts `run`; rejects with its stderr if it exits before it listens. */
export function startControllerDaemon(options: ControllerDaemonOptions): Promise<ControllerDaemon> {
  const child = spawn(process.execPath, [options.main, 'run', ...options.args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  let partial = '';

  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const text of lines) {
        const line = parseLogLine(text);
        options.onLogLine?.(line);
        if (line.msg !== 'ssh server listening') continue;
        resolve({
          host: String(line.host),
          port: Number(line.port),
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`run exited with status ${code}: ${stderr.trim()}`)));
  });
}

function parseLogLine(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch {
    // Not a log line; kept below as its text.
  }
  return { msg: text };
}
