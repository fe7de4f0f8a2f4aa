/**
 * Runs the real ssh and scp clients for the bench: timed one-shot commands whose output goes to
 * /dev/null, and held sessions that report when the remote command is up and end on request
 * or by SIGKILL to their whole process group (ssh -J runs a second ssh for the jump).
 */
import {
  type ChildProcess,
  type ChildProcessWithoutNullStreams,
  type SpawnOptions,
  spawn,
} from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** How a timed run ended. */
export interface TimedRun {
  readonly ms: number;
  readonly ok: boolean;
  /** The tail of stderr, for failures. */
  readonly stderr: string;
}

/** Runs `command` to completion with stdout to /dev/null; stdin from `stdinFile` or /dev/null. */
export function timedRun(
  command: string,
  args: readonly string[],
  options: { stdinFile?: string; timeoutMs: number },
): Promise<TimedRun> {
  const stdin = options.stdinFile === undefined ? 'ignore' : openSync(options.stdinFile, 'r');
  const started = performance.now();
  const child = spawnClient(command, args, { stdio: [stdin, 'ignore', 'pipe'] });
  if (typeof stdin === 'number') closeSync(stdin);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, ok: false, stderr: error.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const why = signal === 'SIGKILL' ? `killed after ${options.timeoutMs} ms; ` : '';
      resolve({ ms, ok: code === 0, stderr: `${why}${stderr.trim()}` });
    });
  });
}

/** The remote command of a held session: say it is up, wait for a line, say goodbye. */
export const HOLD_COMMAND = 'echo up; read line; echo bye';

/** How a held session ended. */
export interface HeldOutcome {
  /** Milliseconds from spawn until the remote command said it was up; null if it never did. */
  readonly upMs: number | null;
  /** Exit status 0 and both the greeting and the goodbye seen. */
  readonly ok: boolean;
  /** Why the bench killed the client, if it did. */
  readonly killed: KillReason | null;
  readonly stderr: string;
}

/** `planned`: a deliberate kill mid-session; `timeout`: it took too long. */
export type KillReason = 'planned' | 'timeout';

/** A session running {@link HOLD_COMMAND}. */
export class HeldSession {
  /** Settles when the client has exited. */
  readonly done: Promise<HeldOutcome>;
  /** Settles when the remote command is up, or the client has exited without that. */
  readonly up: Promise<boolean>;
  private readonly child: ChildProcessWithoutNullStreams;
  private upMs: number | null = null;
  private killed: KillReason | null = null;

  constructor(args: readonly string[]) {
    const started = performance.now();
    this.child = spawnClient('ssh', args, {
      stdio: ['pipe', 'pipe', 'pipe'],
    }) as ChildProcessWithoutNullStreams;
    const { child } = this;
    child.stdin.on('error', () => {});
    let stdout = '';
    let stderr = '';
    let markUp: (up: boolean) => void = () => {};
    this.up = new Promise((resolve) => {
      markUp = resolve;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (this.upMs === null && stdout.includes('up\n')) {
        this.upMs = performance.now() - started;
        markUp(true);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-1000);
    });
    this.done = new Promise((resolve) => {
      const finish = (code: number | null) => {
        markUp(false);
        resolve({
          upMs: this.upMs,
          ok: code === 0 && this.upMs !== null && stdout.includes('bye\n'),
          killed: this.killed,
          stderr: stderr.trim(),
        });
      };
      child.once('error', (error) => {
        stderr += error.message;
        finish(null);
      });
      child.once('close', (code) => finish(code));
    });
  }

  /** Lets the remote command finish: sends it its line and closes stdin. */
  release(): void {
    this.child.stdin.end('go\n');
  }

  /** SIGKILL to the client and the jump ssh it started. */
  kill(reason: KillReason): void {
    this.killed ??= reason;
    killGroup(this.child.pid);
  }
}

/** Process groups of the clients running now. */
const runningClients = new Set<number>();
/** Set once the run is being cut short: a client started after that is ended at once. */
let clientsEnded = false;

/**
 * Starts a client (ssh, scp) as the leader of its own process group, so that one signal also
 * reaches the jump ssh it starts, and remembers it until it exits.
 */
export function spawnClient(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const { pid } = child;
  if (pid !== undefined) {
    runningClients.add(pid);
    child.once('close', () => runningClients.delete(pid));
  }
  if (clientsEnded) killGroup(pid);
  return child;
}

/**
 * SIGKILL to every client still running and to any a workload starts from now on, for a run
 * that is being cut short.
 */
export function endClients(): void {
  clientsEnded = true;
  for (const pid of runningClients) killGroup(pid);
}

/** SIGKILL to the process group led by `pid` (the bench starts every client as a group). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
