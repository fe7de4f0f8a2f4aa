/**
 * Concurrency: N sessions held at once, on every path in turn. They are opened with a bounded
 * number setting up at a time (every path under the same pressure, rather than a burst that
 * only measures how many handshakes two cores can do at once), each holding a command until
 * all are up and a hold time has passed. The controller is restarted before its turn at each
 * level, so its peak memory and CPU time belong to that level alone.
 */
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { type PathName, rotated } from '../access-paths.js';
import type { BenchSizes } from '../bench-sizes.js';
import type { Lab } from '../lab.js';
import { type PlateauMemory, type ResourceUse, ResourceWatch } from '../resource-watch.js';
import { type HeldOutcome, HeldSession, HOLD_COMMAND } from '../ssh-process.js';
import { type LatencySummary, round, summariseLatency } from '../stats.js';
import { keysRemoved } from './setup-latency.js';

/** One level on one path. */
export interface ConcurrencyRun {
  readonly sessions: number;
  readonly path: PathName;
  /** Sessions whose command came up, held, and exited 0. */
  readonly succeeded: number;
  /** The most sessions up at one time. */
  readonly upAtOnce: number;
  /** From spawning the client to the remote command's first output, successful sessions. */
  readonly setup: LatencySummary;
  /** From the first spawn until every session was up; null when some never came up. */
  readonly allUpSeconds: number | null;
  /** Sessions setting up at one time at most while the level was opened. */
  readonly inFlight: number;
  readonly resources: ResourceUse;
  readonly plateau: PlateauMemory;
  /**
   * Seconds from the last session's exit until the target held no ephemeral key (the
   * controller removes keys one forced-command run at a time); null off the proxy, or when
   * keys were still left at the deadline.
   */
  readonly keyDrainSeconds: number | null;
  /** Ephemeral keys left on the target once the level ended and removals were waited for. */
  readonly ephemeralKeysLeft: number;
  /** The commonest failure messages, with counts. */
  readonly failures: Record<string, number>;
}

const SPAWN_BATCH = 25;
const EXIT_TIMEOUT_MS = 120_000;
const SETTLE_MS = 1000;
/** Removing a few thousand keys one forced-command run at a time takes minutes. */
const KEY_DRAIN_TIMEOUT_MS = 600_000;

/** Runs every level on every path. */
export async function runConcurrency(
  lab: Lab,
  sizes: Pick<
    BenchSizes,
    | 'concurrencyLevels'
    | 'concurrencyInFlight'
    | 'holdMs'
    | 'concurrencyUpTimeoutMs'
    | 'freshControllerPerLevel'
  >,
  progress: (line: string) => void,
): Promise<ConcurrencyRun[]> {
  const runs: ConcurrencyRun[] = [];
  for (const [index, level] of sizes.concurrencyLevels.entries()) {
    for (const path of rotated(lab.paths, index)) {
      if (path.name === 'proxy' && sizes.freshControllerPerLevel) await lab.restartController();
      const run = await runLevel(lab, path.name, level, sizes);
      runs.push(run);
      const peak = run.resources.controller.peakRssMiB;
      progress(
        `concurrency ${level} ${path.name}: ${run.succeeded}/${level} ok, ` +
          `p95 set-up ${run.setup.p95Ms} ms` +
          (path.name === 'proxy' ? `, controller peak RSS ${peak} MiB` : ''),
      );
      await sleep(SETTLE_MS);
    }
  }
  return runs;
}

async function runLevel(
  lab: Lab,
  name: PathName,
  level: number,
  sizes: Pick<BenchSizes, 'holdMs' | 'concurrencyUpTimeoutMs' | 'concurrencyInFlight'>,
): Promise<ConcurrencyRun> {
  const path = lab.paths.find((candidate) => candidate.name === name);
  if (path === undefined) throw new Error(`no path named ${name}`);
  const watch = new ResourceWatch(lab);
  const started = performance.now();
  const deadline = started + sizes.concurrencyUpTimeoutMs;
  const sessions: HeldSession[] = [];
  // Each opener starts a session, waits until it is up (or has failed), then starts the next.
  const opener = async () => {
    while (sessions.length < level && performance.now() < deadline) {
      const session = new HeldSession(path.ssh(HOLD_COMMAND));
      sessions.push(session);
      if (sessions.length % SPAWN_BATCH === 0) await yieldToLoop();
      await session.up;
    }
  };
  const openers = Array.from({ length: Math.min(level, sizes.concurrencyInFlight) }, opener);
  const opened = await withDeadline(Promise.all(openers), sizes.concurrencyUpTimeoutMs);
  // Once the openers are done, every session has come up or failed.
  const allUp =
    opened &&
    sessions.length === level &&
    (await Promise.all(sessions.map((session) => session.up))).every(Boolean);
  const allUpSeconds = allUp ? round((performance.now() - started) / 1000, 2) : null;
  const plateau = watch.plateau();
  await sleep(sizes.holdMs);
  const upAtOnce = (await Promise.all(sessions.map(stillUp))).filter(Boolean).length;

  for (const session of sessions) session.release();
  const exited = await withDeadline(Promise.all(sessions.map((s) => s.done)), EXIT_TIMEOUT_MS);
  if (!exited) for (const session of sessions) session.kill('timeout');
  const outcomes = await Promise.all(sessions.map((session) => session.done));
  const exitedAt = performance.now();
  const removed = name === 'proxy' ? await keysRemoved(lab, KEY_DRAIN_TIMEOUT_MS) : true;
  const drainSeconds = round((performance.now() - exitedAt) / 1000, 1);
  await sleep(SETTLE_MS);
  const resources = watch.finish();

  const ok = outcomes.filter((outcome) => outcome.ok);
  return {
    sessions: level,
    path: name,
    succeeded: ok.length,
    upAtOnce,
    inFlight: Math.min(level, sizes.concurrencyInFlight),
    setup: summariseLatency(ok.map((outcome) => outcome.upMs ?? 0)),
    allUpSeconds,
    resources,
    plateau,
    keyDrainSeconds: name === 'proxy' && removed ? drainSeconds : null,
    ephemeralKeysLeft: removed ? 0 : lab.ephemeralKeysOnTarget(),
    failures: countFailures(outcomes),
  };
}

/** True when the session is up and has not exited (a zero-time race tells which settled). */
async function stillUp(session: HeldSession): Promise<boolean> {
  const up = await session.up;
  const ended = await Promise.race([session.done.then(() => true), yieldToLoop(false)]);
  return up && !ended;
}

/** The commonest failure messages (last stderr line), at most five, with counts. */
export function countFailures(outcomes: readonly HeldOutcome[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.ok || outcome.killed === 'planned') continue;
    const lines = outcome.stderr.split('\n').filter((line) => line.trim() !== '');
    const last = lines.at(-1) ?? 'no output, status non-zero';
    const message =
      outcome.killed === 'timeout'
        ? `killed: ${outcome.upMs === null ? 'never came up' : 'did not finish'} in time`
        : last.replace(/port \d+/g, 'port N');
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return Object.fromEntries(top);
}

async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const finished = await Promise.race([work.then(() => true as const), expired]);
  clearTimeout(timer);
  return finished;
}
