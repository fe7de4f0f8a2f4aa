/**
 * The results file: what was measured, on which machine, with which server settings, and how
 * the proxy did against the targets it is held to.
 */
import type { BenchSizes } from './bench-sizes.js';
import type { KeyExchangeReport } from './key-exchange.js';
import type { BulkResult } from './workloads/bulk.js';
import type { ConcurrencyRun } from './workloads/concurrency.js';
import type { EnduranceResult } from './workloads/endurance.js';
import type { LatencyResult } from './workloads/setup-latency.js';

/** The machine the numbers came from. */
export interface MachineInfo {
  readonly hostname: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly openssh: string;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
  /** Anything that makes the numbers less clean, e.g. other work running. */
  readonly note: string;
}

/** Server and client settings the bench ran with. */
export interface BenchConfiguration {
  readonly targetSshd: readonly string[];
  readonly jumpHostSshd: readonly string[];
  readonly controller: readonly string[];
  readonly client: readonly string[];
  readonly paths: readonly { name: string; description: string }[];
}

/** One target and whether it was met (null: not measured at this size). */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

/** Everything a run writes. */
export interface BenchResults {
  readonly format: 'juju-ssh-bench/1';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly sizes: BenchSizes;
  readonly machine: MachineInfo;
  readonly configuration: BenchConfiguration;
  readonly keyExchange?: KeyExchangeReport;
  readonly bulk?: BulkResult;
  readonly latency?: LatencyResult;
  readonly concurrency?: readonly ConcurrencyRun[];
  readonly endurance?: EnduranceResult;
  /** Controller log lines at warn level or above, by message, over the whole run. */
  readonly controllerWarnings: Record<string, number>;
  readonly targets: readonly TargetCheck[];
}

type Measured = Pick<BenchResults, 'bulk' | 'latency' | 'concurrency' | 'endurance'>;

/** Checks the measurements against the proxy's targets. */
export function checkTargets(results: Measured): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { bulk, latency, concurrency, endurance } = results;
  for (const transfer of ['up', 'down'] as const) {
    const value = bulk?.ratios[transfer].proxyToDirect ?? null;
    checks.push({
      target: `bulk ${transfer}: proxy at least 0.85 of direct ssh`,
      measured: value === null ? 'not measured' : `${value} of direct`,
      met: value === null ? null : value >= 0.85,
    });
  }
  const p50 = latency?.p50Ratios.proxyToDirect ?? null;
  checks.push({
    target: 'set-up p50 no worse than direct ssh',
    measured:
      p50 === null
        ? 'not measured'
        : `${p50} of direct (with key removal: ${latency?.p50Ratios.proxyWithRemovalToDirect})`,
    met: p50 === null ? null : p50 <= 1,
  });
  const proxyRuns = (concurrency ?? []).filter((run) => run.path === 'proxy');
  const largest = proxyRuns.reduce<ConcurrencyRun | undefined>(
    (best, run) => (best === undefined || run.sessions > best.sessions ? run : best),
    undefined,
  );
  checks.push({
    target: '2000 concurrent sessions through the proxy all succeed',
    measured:
      largest === undefined
        ? 'not measured'
        : `${largest.succeeded}/${largest.sessions} at ${largest.sessions}`,
    met:
      largest === undefined || largest.sessions < 2000
        ? null
        : largest.succeeded === largest.sessions,
  });
  const at1000 = proxyRuns.find((run) => run.sessions === 1000);
  const peak = at1000?.resources.controller.peakRssMiB ?? null;
  checks.push({
    target: 'controller peak RSS under 200 MiB at 1000 sessions',
    measured: peak === null ? 'not measured' : `${peak} MiB`,
    met: peak === null ? null : peak < 200,
  });
  const rss = endurance?.controller.rssEndToStart ?? null;
  const fds = endurance?.controller.fdsEndToStart ?? null;
  checks.push({
    target: 'endurance: controller RSS and fds back within 10% of start',
    measured: endurance === undefined ? 'not measured' : `RSS ${rss}x, fds ${fds}x of start`,
    met: rss === null || fds === null ? null : rss <= 1.1 && fds <= 1.1,
  });
  const leftInLevels = proxyRuns.reduce((sum, run) => sum + run.ephemeralKeysLeft, 0);
  const left = endurance === undefined ? null : endurance.ephemeralKeysLeft + leftInLevels;
  checks.push({
    target: 'no ephemeral key left on the machine',
    measured: left === null ? 'not measured' : `${left} left`,
    met: left === null ? null : left === 0,
  });
  return checks;
}
