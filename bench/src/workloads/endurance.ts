/**
 * Endurance: thousands of sessions one after another (a few workers, each starting a session
 * when its last one ends), every n-th killed while it runs, the paths taking turns in chunks.
 * It reads the controller's memory and descriptors before and after, and counts the ephemeral
 * keys left on the target.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type AccessPath, type PathName, rotated } from '../access-paths.js';
import type { BenchSizes } from '../bench-sizes.js';
import type { Lab } from '../lab.js';
import { mib, sampleProcess } from '../proc-stats.js';
import { type HeldOutcome, HeldSession, HOLD_COMMAND } from '../ssh-process.js';
import { type LatencySummary, ratio, round, summariseLatency } from '../stats.js';
import { countFailures } from './concurrency.js';
import { keysRemoved } from './setup-latency.js';

/** The controller at one moment. */
export interface ControllerSnapshot {
  readonly rssMiB: number;
  readonly openFds: number;
}

/** One path's sessions. */
export interface EndurancePath {
  readonly sessions: number;
  readonly completed: number;
  readonly killedMidway: number;
  readonly failed: number;
  readonly setup: LatencySummary;
  readonly seconds: number;
  readonly failures: Record<string, number>;
}

/** What the endurance run measured. */
export interface EnduranceResult {
  readonly sessionsPerPath: number;
  readonly workers: number;
  readonly killEvery: number;
  readonly paths: Record<PathName, EndurancePath>;
  readonly controller: {
    /** A fresh controller, before any session. */
    readonly fresh: ControllerSnapshot;
    /**
     * After the warm-up, which runs the same mix as the run itself (as many at once, the same
     * share killed): the reference the end is compared with.
     */
    readonly start: ControllerSnapshot;
    readonly end: ControllerSnapshot;
    /** After each proxy chunk. */
    readonly series: readonly ControllerSnapshot[];
    readonly rssEndToStart: number | null;
    readonly fdsEndToStart: number | null;
  };
  readonly warmUpSessions: number;
  /** Ephemeral key lines on the target once the run ended and removals were waited for. */
  readonly ephemeralKeysLeft: number;
}

const SESSION_UP_TIMEOUT_MS = 60_000;
const SETTLE_MS = 2000;

/** Runs the endurance workload. */
export async function runEndurance(
  lab: Lab,
  sizes: Pick<
    BenchSizes,
    | 'enduranceSessions'
    | 'enduranceWarmUp'
    | 'enduranceWorkers'
    | 'enduranceKillEvery'
    | 'enduranceChunk'
  >,
  progress: (line: string) => void,
): Promise<EnduranceResult> {
  await lab.restartController();
  const fresh = snapshot(lab);
  const proxy = lab.paths.find((path) => path.name === 'proxy');
  const warmUp = proxy === undefined ? 0 : sizes.enduranceWarmUp;
  if (proxy) {
    await runSessions(proxy, warmUp, {
      workers: sizes.enduranceWorkers,
      killEvery: sizes.enduranceKillEvery,
      offset: 0,
    });
  }
  await keysRemoved(lab);
  const start = snapshot(lab);

  const outcomes = new Map<PathName, HeldOutcome[]>();
  const seconds = new Map<PathName, number>();
  const series: ControllerSnapshot[] = [];
  const chunks = Math.ceil(sizes.enduranceSessions / sizes.enduranceChunk);
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    const offset = chunk * sizes.enduranceChunk;
    const count = Math.min(sizes.enduranceChunk, sizes.enduranceSessions - offset);
    for (const path of rotated(lab.paths, chunk)) {
      const began = performance.now();
      const done = await runSessions(path, count, {
        workers: sizes.enduranceWorkers,
        killEvery: sizes.enduranceKillEvery,
        offset,
      });
      seconds.set(path.name, (seconds.get(path.name) ?? 0) + (performance.now() - began) / 1000);
      outcomes.set(path.name, [...(outcomes.get(path.name) ?? []), ...done]);
      if (path.name === 'proxy') series.push(snapshot(lab));
    }
    progress(`endurance: ${offset + count}/${sizes.enduranceSessions} sessions per path`);
  }

  await keysRemoved(lab, 60_000);
  await sleep(SETTLE_MS);
  const end = snapshot(lab);
  const summary = (name: PathName) =>
    summarise(outcomes.get(name) ?? [], round(seconds.get(name) ?? 0, 1) ?? 0);
  return {
    sessionsPerPath: sizes.enduranceSessions,
    workers: sizes.enduranceWorkers,
    killEvery: sizes.enduranceKillEvery,
    paths: {
      direct: summary('direct'),
      'jump-host': summary('jump-host'),
      proxy: summary('proxy'),
    },
    controller: {
      fresh,
      start,
      end,
      series,
      rssEndToStart: ratio(end.rssMiB, start.rssMiB),
      fdsEndToStart: ratio(end.openFds, start.openFds),
    },
    warmUpSessions: warmUp,
    ephemeralKeysLeft: lab.ephemeralKeysOnTarget(),
  };
}

/** Runs `count` sessions with `workers` at a time; session offset+i is killed when due. */
async function runSessions(
  path: AccessPath,
  count: number,
  plan: { workers: number; killEvery: number; offset: number },
): Promise<HeldOutcome[]> {
  const outcomes: HeldOutcome[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const kill = plan.killEvery > 0 && (plan.offset + index + 1) % plan.killEvery === 0;
      outcomes.push(await oneSession(path, kill));
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.workers, count) }, worker));
  return outcomes;
}

async function oneSession(path: AccessPath, kill: boolean): Promise<HeldOutcome> {
  const session = new HeldSession(path.ssh(HOLD_COMMAND));
  const timer = setTimeout(() => session.kill('timeout'), SESSION_UP_TIMEOUT_MS);
  const up = await session.up;
  clearTimeout(timer);
  if (up && kill) session.kill('planned');
  else session.release();
  return session.done;
}

function summarise(outcomes: readonly HeldOutcome[], seconds: number): EndurancePath {
  const completed = outcomes.filter((outcome) => outcome.ok);
  const killed = outcomes.filter((outcome) => outcome.killed === 'planned');
  return {
    sessions: outcomes.length,
    completed: completed.length,
    killedMidway: killed.length,
    failed: outcomes.length - completed.length - killed.length,
    setup: summariseLatency(
      outcomes.flatMap((outcome) => (outcome.upMs === null ? [] : [outcome.upMs])),
    ),
    seconds,
    failures: countFailures(outcomes),
  };
}

function snapshot(lab: Lab): ControllerSnapshot {
  const sample = sampleProcess(lab.controller.pid);
  return { rssMiB: mib(sample.rssBytes), openFds: sample.openFds };
}
