/**
 * How big each workload is: the full sizes the benchmark is defined with, and a smoke size that
 * exercises every workload on every path in seconds, to keep the harness working in CI.
 */

/** The sizes of one bench run. */
export interface BenchSizes {
  readonly name: 'full' | 'smoke' | 'custom';
  /** Bytes moved by each bulk transfer (up, down, scp). */
  readonly bulkBytes: number;
  /** Interleaved rounds of the bulk transfers; medians are taken over them. */
  readonly bulkRounds: number;
  /** Sequential `ssh … true` runs per path. */
  readonly latencyRuns: number;
  /** Simultaneous session counts, each run on every path. */
  readonly concurrencyLevels: readonly number[];
  /** Sessions setting up at one time at most while a level is opened. */
  readonly concurrencyInFlight: number;
  /** Restart the controller before its turn at each level, so its peaks are that level's. */
  readonly freshControllerPerLevel: boolean;
  /** How long every level holds its sessions once they are all up. */
  readonly holdMs: number;
  /** Limit on the wait for all sessions of a level to come up. */
  readonly concurrencyUpTimeoutMs: number;
  /** Sessions per path in the endurance run. */
  readonly enduranceSessions: number;
  /** Sessions through the controller before the endurance run's reference reading. */
  readonly enduranceWarmUp: number;
  /** Sessions running at once in the endurance run, each starting when another ends. */
  readonly enduranceWorkers: number;
  /** Every n-th endurance session is killed (SIGKILL to the client) while it runs. */
  readonly enduranceKillEvery: number;
  /** Endurance sessions per path before the next path takes its turn. */
  readonly enduranceChunk: number;
}

const MIB = 1024 * 1024;

/** The benchmark as defined: 512 MiB transfers, 100 set-ups, 200/1000/2000 sessions, 5000 in a row. */
export const FULL_SIZES: BenchSizes = {
  name: 'full',
  bulkBytes: 512 * MIB,
  bulkRounds: 5,
  latencyRuns: 100,
  concurrencyLevels: [200, 1000, 2000],
  concurrencyInFlight: 50,
  freshControllerPerLevel: true,
  holdMs: 5000,
  concurrencyUpTimeoutMs: 900_000,
  enduranceSessions: 5000,
  enduranceWarmUp: 200,
  enduranceWorkers: 8,
  enduranceKillEvery: 10,
  enduranceChunk: 500,
};

/** Every workload on every path at a size that takes seconds. */
export const SMOKE_SIZES: BenchSizes = {
  name: 'smoke',
  bulkBytes: 1 * MIB,
  bulkRounds: 1,
  latencyRuns: 3,
  concurrencyLevels: [4],
  concurrencyInFlight: 4,
  freshControllerPerLevel: false,
  holdMs: 200,
  concurrencyUpTimeoutMs: 60_000,
  enduranceSessions: 6,
  enduranceWarmUp: 2,
  enduranceWorkers: 2,
  enduranceKillEvery: 3,
  enduranceChunk: 3,
};
