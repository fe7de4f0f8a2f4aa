/**
 * One bench run: starts the lab, probes the key exchange of every path, runs the chosen
 * workloads in a fixed order, stops the lab and returns the results with the targets checked.
 */
import { spawnSync } from 'node:child_process';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import type { PathName } from './access-paths.js';
import type { BenchSizes } from './bench-sizes.js';
import { probeKeyExchange } from './key-exchange.js';
import {
  CLIENT_TUNING,
  CONTROLLER_TUNING,
  JUMP_HOST_TUNING,
  type Lab,
  SSHD_TUNING,
  startLab,
} from './lab.js';
import { type BenchResults, checkTargets, type MachineInfo } from './results.js';
import { endClients } from './ssh-process.js';
import { runBulk } from './workloads/bulk.js';
import { runConcurrency } from './workloads/concurrency.js';
import { runEndurance } from './workloads/endurance.js';
import { runSetupLatency } from './workloads/setup-latency.js';

/** The workloads, in the order a run takes them. */
export const WORKLOADS = ['bulk', 'latency', 'concurrency', 'endurance'] as const;

/** One of {@link WORKLOADS}. */
export type Workload = (typeof WORKLOADS)[number];

/** What to run. */
export interface BenchRunOptions {
  readonly sizes: BenchSizes;
  /** Default: all of them. */
  readonly workloads?: readonly Workload[];
  /** Recorded with the machine, e.g. that other work shared it. */
  readonly note?: string;
  /** Only these paths (default: all three); for profiling one of them. */
  readonly paths?: readonly PathName[];
  /** When set, the controller runs under `node --cpu-prof`, writing profiles here. */
  readonly cpuProfileDir?: string;
  /** Told what is happening, a line at a time. */
  readonly progress?: (line: string) => void;
}

/** Runs the bench and returns its results. */
export async function runBench(options: BenchRunOptions): Promise<BenchResults> {
  const progress = options.progress ?? (() => {});
  const chosen = new Set(options.workloads ?? WORKLOADS);
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  progress('starting the lab');
  const lab = await startLab({
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
    ...(options.paths === undefined ? {} : { paths: options.paths }),
  });
  const interrupted = (signal: NodeJS.Signals) => {
    progress(`${signal}: ending the clients, stopping the lab's servers, removing its files`);
    endClients();
    void lab.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    progress(`lab ready in ${lab.dir}; controller pid ${lab.controller.pid}`);
    const keyExchange = await probeKeyExchange(lab);
    progress('key exchange probed');
    const measured = await runWorkloads(lab, options.sizes, chosen, progress);
    const warnings = Object.fromEntries(lab.controller.warnings);
    return {
      format: 'juju-ssh-bench/1',
      startedAt,
      finishedAt: new Date().toISOString(),
      sizes: options.sizes,
      machine: machineInfo(loadAtStart, options.note ?? ''),
      configuration: {
        targetSshd: SSHD_TUNING,
        jumpHostSshd: JUMP_HOST_TUNING,
        controller: CONTROLLER_TUNING,
        client: CLIENT_TUNING,
        paths: lab.paths.map(({ name, description }) => ({ name, description })),
      },
      keyExchange,
      ...measured,
      controllerWarnings: warnings,
      targets: checkTargets(measured),
    };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await lab.stop();
  }
}

async function runWorkloads(
  lab: Lab,
  sizes: BenchSizes,
  chosen: ReadonlySet<Workload>,
  progress: (line: string) => void,
) {
  const bulk = chosen.has('bulk') ? await runBulk(lab, sizes, progress) : undefined;
  const latency = chosen.has('latency') ? await runSetupLatency(lab, sizes, progress) : undefined;
  const concurrency = chosen.has('concurrency')
    ? await runConcurrency(lab, sizes, progress)
    : undefined;
  const endurance = chosen.has('endurance') ? await runEndurance(lab, sizes, progress) : undefined;
  return {
    ...(bulk ? { bulk } : {}),
    ...(latency ? { latency } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(endurance ? { endurance } : {}),
  };
}

function machineInfo(loadAtStart: number[], note: string): MachineInfo {
  const processors = cpus();
  const ssh = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  const twoDecimals = (values: number[]) => values.map((value) => Math.round(value * 100) / 100);
  return {
    hostname: hostname(),
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpus: processors.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    node: process.version,
    openssh: (ssh.stderr || ssh.stdout).trim(),
    loadAverageAtStart: twoDecimals(loadAtStart),
    loadAverageAtEnd: twoDecimals(loadavg()),
    note,
  };
}
