/**
 * Bulk throughput: the same file pushed up through `ssh … 'cat > /dev/null'`, pulled down with
 * `ssh … cat FILE`, and uploaded with scp, on every path, the paths taking turns each round.
 * Beside the time it reads what each transfer cost in CPU: the whole machine's (every client,
 * server and the controller share its cores) and the controller's own.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type AccessPath, type PathName, rotated } from '../access-paths.js';
import type { Lab } from '../lab.js';
import { machineBusySeconds, sampleProcess } from '../proc-stats.js';
import { timedRun } from '../ssh-process.js';
import { median, ratio, round } from '../stats.js';

/** The three transfers. */
export const TRANSFERS = ['up', 'down', 'scp'] as const;
type Transfer = (typeof TRANSFERS)[number];

/** Throughput of one transfer on one path. */
export interface TransferResult {
  /** Seconds of each successful round. */
  readonly seconds: readonly (number | null)[];
  /**
   * Median over all rounds, MiB per second; a failed round counts as slower than any other,
   * so failures pull the median down instead of dropping out of it.
   */
  readonly medianMiBps: number | null;
  readonly failures: readonly string[];
  /** Median CPU seconds the whole machine spent per GiB moved, over the successful rounds. */
  readonly machineCpuSecondsPerGiB: number | null;
  /** Median share of the machine's cores busy while the transfer ran (1: every core, always). */
  readonly machineBusyShare: number | null;
  /** Median CPU seconds of the controller per GiB moved; null off the proxy path. */
  readonly controllerCpuSecondsPerGiB: number | null;
}

/** What the bulk workload measured. */
export interface BulkResult {
  readonly bytes: number;
  readonly rounds: number;
  readonly results: Record<Transfer, Record<PathName, TransferResult>>;
  /** Median throughput of the proxy divided by that of the other path (above 1: faster). */
  readonly ratios: Record<
    Transfer,
    { proxyToDirect: number | null; proxyToJumpHost: number | null }
  >;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** Generous, so that a slow run is measured rather than cut off: 512 MiB at 2 MiB/s. */
const MIN_RATE_BYTES_PER_S = 2 * MIB;

/** Runs the bulk transfers. */
export async function runBulk(
  lab: Lab,
  sizes: { bulkBytes: number; bulkRounds: number },
  progress: (line: string) => void,
): Promise<BulkResult> {
  const payload = join(lab.dir, 'payload');
  writeRandomFile(payload, sizes.bulkBytes);
  const upload = join(lab.dir, 'scp-upload');
  const timeoutMs = 60_000 + (sizes.bulkBytes / MIN_RATE_BYTES_PER_S) * 1000;

  const samples = new Map<string, Samples>();
  for (let pass = 0; pass < sizes.bulkRounds; pass += 1) {
    for (const transfer of TRANSFERS) {
      for (const path of rotated(lab.paths, pass)) {
        const before = readCpu(lab, path.name);
        const run = await transferOnce(path, transfer, payload, upload, timeoutMs);
        const after = readCpu(lab, path.name);
        const key = `${transfer}/${path.name}`;
        const entry = samples.get(key) ?? emptySamples();
        entry.seconds.push(run.ok ? run.ms / 1000 : null);
        if (run.ok) entry.cpu.push(cpuUsed(before, after, run.ms / 1000));
        else entry.failures.push(run.stderr.slice(-300));
        samples.set(key, entry);
        const rate = run.ok
          ? `${round(sizes.bulkBytes / MIB / (run.ms / 1000))} MiB/s`
          : `FAILED after ${round(run.ms / 1000)} s`;
        progress(`bulk ${transfer} ${path.name} round ${pass + 1}: ${rate}`);
      }
    }
  }

  const gib = sizes.bulkBytes / GIB;
  const result = (transfer: Transfer, name: PathName): TransferResult => {
    const entry = samples.get(`${transfer}/${name}`) ?? emptySamples();
    const all = entry.seconds.map((s) => s ?? Number.POSITIVE_INFINITY);
    const typical = median(all);
    const medianOf = (values: readonly (number | null)[], digits: number) => {
      const known = values.filter((value) => value !== null);
      return known.length === 0 ? null : round(median(known), digits);
    };
    return {
      seconds: entry.seconds.map((s) => (s === null ? null : round(s, 3))),
      medianMiBps:
        all.length === 0 ? null : typical === Infinity ? 0 : round(sizes.bulkBytes / MIB / typical),
      failures: entry.failures,
      machineCpuSecondsPerGiB: medianOf(
        entry.cpu.map((cpu) => cpu.machine / gib),
        2,
      ),
      machineBusyShare: medianOf(
        entry.cpu.map((cpu) => cpu.busyShare),
        2,
      ),
      controllerCpuSecondsPerGiB: medianOf(
        entry.cpu.map((cpu) => (cpu.controller === null ? null : cpu.controller / gib)),
        2,
      ),
    };
  };
  const perPath = (transfer: Transfer) => ({
    direct: result(transfer, 'direct'),
    'jump-host': result(transfer, 'jump-host'),
    proxy: result(transfer, 'proxy'),
  });
  const results = { up: perPath('up'), down: perPath('down'), scp: perPath('scp') };
  const ratiosOf = (transfer: Transfer) => ({
    proxyToDirect: ratio(results[transfer].proxy.medianMiBps, results[transfer].direct.medianMiBps),
    proxyToJumpHost: ratio(
      results[transfer].proxy.medianMiBps,
      results[transfer]['jump-host'].medianMiBps,
    ),
  });
  return {
    bytes: sizes.bulkBytes,
    rounds: sizes.bulkRounds,
    results,
    ratios: { up: ratiosOf('up'), down: ratiosOf('down'), scp: ratiosOf('scp') },
  };
}

interface Samples {
  readonly seconds: (number | null)[];
  readonly failures: string[];
  readonly cpu: CpuUsed[];
}

function emptySamples(): Samples {
  return { seconds: [], failures: [], cpu: [] };
}

interface CpuReading {
  readonly machine: number;
  readonly controller: number | null;
}

interface CpuUsed extends CpuReading {
  readonly busyShare: number;
}

function readCpu(lab: Lab, path: PathName): CpuReading {
  return {
    machine: machineBusySeconds(),
    controller: path === 'proxy' ? sampleProcess(lab.controller.pid).cpuSeconds : null,
  };
}

function cpuUsed(before: CpuReading, after: CpuReading, seconds: number): CpuUsed {
  const machine = after.machine - before.machine;
  const controller =
    before.controller === null || after.controller === null
      ? null
      : after.controller - before.controller;
  return { machine, controller, busyShare: machine / (availableParallelism() * seconds) };
}

function transferOnce(
  path: AccessPath,
  transfer: Transfer,
  payload: string,
  upload: string,
  timeoutMs: number,
) {
  switch (transfer) {
    case 'up':
      return timedRun('ssh', path.ssh('cat > /dev/null'), { stdinFile: payload, timeoutMs });
    case 'down':
      return timedRun('ssh', path.ssh(`cat ${payload}`), { timeoutMs });
    case 'scp':
      return timedRun('scp', path.scpUpload(payload, upload), { timeoutMs });
  }
}

/** Random bytes (so that no layer can compress them), readable by the login user. */
function writeRandomFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    const made = spawnSync('head', ['-c', `${bytes}`, '/dev/urandom'], {
      stdio: ['ignore', fd, 'pipe'],
    });
    if (made.status !== 0) throw new Error(`could not write ${path}: ${String(made.stderr)}`);
  } finally {
    closeSync(fd);
  }
}
