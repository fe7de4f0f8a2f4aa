/**
 * Session set-up latency: sequential `ssh … true` runs, the paths taking turns. Through the
 * controller a run also waits until the session's ephemeral key is gone from the target, so the
 * next run starts clean and the key's install and removal are both inside the cycle measured.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type PathName, rotated } from '../access-paths.js';
import type { Lab } from '../lab.js';
import { timedRun } from '../ssh-process.js';
import { type LatencySummary, ratio, summariseLatency } from '../stats.js';

/** Latency of one path. */
export interface PathLatency {
  /** Until ssh exited: what the user waits for. */
  readonly untilExit: LatencySummary;
  /** Until ssh exited and the ephemeral key was removed (the same as untilExit off the proxy). */
  readonly untilKeyRemoved: LatencySummary;
  readonly failures: readonly string[];
}

/** What the latency workload measured. */
export interface LatencyResult {
  readonly runs: number;
  readonly warmUpRunsPerPath: number;
  readonly paths: Record<PathName, PathLatency>;
  /** p50 of the proxy divided by p50 of the other path (below 1: faster). */
  readonly p50Ratios: {
    readonly proxyToDirect: number | null;
    readonly proxyToJumpHost: number | null;
    /** The proxy's cycle including key removal, against direct ssh. */
    readonly proxyWithRemovalToDirect: number | null;
  };
}

const RUN_TIMEOUT_MS = 60_000;
const REMOVAL_TIMEOUT_MS = 30_000;
const REMOVAL_POLL_MS = 2;
const WARM_UP_RUNS = 1;

/** Runs the latency workload. */
export async function runSetupLatency(
  lab: Lab,
  sizes: { latencyRuns: number },
  progress: (line: string) => void,
): Promise<LatencyResult> {
  const exits = new Map<PathName, number[]>();
  const cycles = new Map<PathName, number[]>();
  const failures = new Map<PathName, string[]>();

  for (let run = -WARM_UP_RUNS; run < sizes.latencyRuns; run += 1) {
    for (const path of rotated(lab.paths, run + WARM_UP_RUNS)) {
      const started = performance.now();
      const result = await timedRun('ssh', path.ssh('true'), { timeoutMs: RUN_TIMEOUT_MS });
      const removed = path.name === 'proxy' ? await keysRemoved(lab) : true;
      const cycle = performance.now() - started;
      if (run < 0) continue;
      if (!result.ok || !removed) {
        const why = result.ok ? 'the ephemeral key was not removed in time' : result.stderr;
        failures.set(path.name, [...(failures.get(path.name) ?? []), why.slice(-300)]);
        continue;
      }
      exits.set(path.name, [...(exits.get(path.name) ?? []), result.ms]);
      cycles.set(path.name, [...(cycles.get(path.name) ?? []), cycle]);
    }
    const shown = run + 1 === sizes.latencyRuns || (run + 1) % 25 === 0;
    if (run >= 0 && shown) progress(`latency: ${run + 1}/${sizes.latencyRuns} runs`);
  }

  const of = (name: PathName): PathLatency => ({
    untilExit: summariseLatency(exits.get(name) ?? []),
    untilKeyRemoved: summariseLatency(cycles.get(name) ?? []),
    failures: failures.get(name) ?? [],
  });
  const paths = { direct: of('direct'), 'jump-host': of('jump-host'), proxy: of('proxy') };
  return {
    runs: sizes.latencyRuns,
    warmUpRunsPerPath: WARM_UP_RUNS,
    paths,
    p50Ratios: {
      proxyToDirect: ratio(paths.proxy.untilExit.p50Ms, paths.direct.untilExit.p50Ms),
      proxyToJumpHost: ratio(paths.proxy.untilExit.p50Ms, paths['jump-host'].untilExit.p50Ms),
      proxyWithRemovalToDirect: ratio(
        paths.proxy.untilKeyRemoved.p50Ms,
        paths.direct.untilExit.p50Ms,
      ),
    },
  };
}

/** Waits until no ephemeral key of the lab's controller is left on the target. */
export async function keysRemoved(lab: Lab, timeoutMs = REMOVAL_TIMEOUT_MS): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (lab.ephemeralKeysOnTarget() > 0) {
    if (performance.now() > deadline) return false;
    await sleep(REMOVAL_POLL_MS);
  }
  return true;
}
