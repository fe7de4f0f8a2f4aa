/**
 * The controller under test, run from its built entry point as a process of its own, so that
 * its memory, CPU time and file descriptors are its own and can be read from /proc.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The built `juju-ssh-controller` entry point of this checkout. */
export const CONTROLLER_MAIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../apps/controller/dist/main.js',
);

/** A running `juju-ssh-controller run`. */
export interface ControllerProcess {
  readonly pid: number;
  readonly port: number;
  /** Log lines at warn level or above, counted by message. */
  readonly warnings: Map<string, number>;
  /** Every log line, counted by level and message (the first few hundred messages). */
  readonly messages: Map<string, number>;
  /** SIGTERM, then wait for a clean exit (which writes a CPU profile if one was asked for). */
  stop(): Promise<void>;
}

/** How to start the controller. */
export interface ControllerStart {
  readonly dataDir: string;
  /** Setting flags for `run`, e.g. `--max-connections 5000`. */
  readonly settings: readonly string[];
  /** When set, `node --cpu-prof` writes the profile into this directory on exit. */
  readonly cpuProfileDir?: string;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;
const WARN_LEVEL = 40;
const MAX_MESSAGES = 300;

/** Runs an admin command of the controller against `dataDir`; returns its stdout. */
export function controllerAdmin(dataDir: string, args: readonly string[]): string {
  const result = spawnSync(process.execPath, [CONTROLLER_MAIN, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: cleanEnv(),
  });
  if (result.status !== 0) {
    throw new Error(`juju-ssh-controller ${args.join(' ')} failed: ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

/** Starts `run` on 127.0.0.1 and a free port; resolves once it listens. */
export function startController(options: ControllerStart): Promise<ControllerProcess> {
  const profiling = options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
    : [];
  const args = [
    ...interpreterFlags(CONTROLLER_MAIN),
    ...profiling,
    CONTROLLER_MAIN,
    'run',
    '--data-dir',
    options.dataDir,
    '--ssh-address',
    '127.0.0.1:0',
    ...options.settings,
  ];
  const child = spawn(process.execPath, args, {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const warnings = new Map<string, number>();
  const messages = new Map<string, number>();

  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`the controller did not listen within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    readLogLines(child, (line) => {
      const level = Number(line.level ?? 0);
      const msg = String(line.msg ?? '');
      if (level >= WARN_LEVEL) warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
      const key = `${level} ${msg}`;
      if (messages.has(key) || messages.size < MAX_MESSAGES) {
        messages.set(key, (messages.get(key) ?? 0) + 1);
      }
      if (msg !== 'ssh server listening' || child.pid === undefined) return;
      clearTimeout(timer);
      resolveStart({
        pid: child.pid,
        port: Number(line.port),
        warnings,
        messages,
        stop: () => stopChild(child, exited),
      });
    });
    void exited.then(() => {
      clearTimeout(timer);
      rejectStart(new Error(`the controller exited before it listened: ${stderr.trim()}`));
    });
  });
}

async function stopChild(
  child: ChildProcessByStdio<null, Readable, Readable>,
  exited: Promise<void>,
) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function readLogLines(
  child: ChildProcessByStdio<null, Readable, Readable>,
  onLine: (line: Record<string, unknown>) => void,
): void {
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null) {
          onLine(parsed as Record<string, unknown>);
        }
      } catch {
        onLine({ level: WARN_LEVEL, msg: text.slice(0, 200) });
      }
    }
  });
}

/** This process's environment without JUJU_SSH_* settings, so only the flags given apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('JUJU_SSH_')),
  );
}

/** Where the controller's data directory goes inside a lab directory. */
export function controllerDataDir(labDir: string): string {
  return join(labDir, 'controller');
}

/**
 * The node options on a script's `#!/usr/bin/env -S node …` line, so that the controller runs
 * as its installed command does even when node is started directly (as profiling needs).
 */
export function interpreterFlags(script: string): string[] {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\S*env -S node((?: --[a-z0-9-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (match === null) return [];
  return (match[1] ?? '').split(' ').filter((flag) => flag !== '');
}
