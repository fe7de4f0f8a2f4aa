#!/usr/bin/env node
/**
 * `pnpm bench`: runs the benchmark and writes its results as JSON and a short table. Progress
 * goes to stderr, the table to stdout. `--help` lists the options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PATH_NAMES, type PathName } from './access-paths.js';
import { type BenchSizes, FULL_SIZES, SMOKE_SIZES } from './bench-sizes.js';
import { runBench, WORKLOADS, type Workload } from './run-bench.js';
import { summaryTable } from './summary-table.js';

const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench-results');

const USAGE = `usage: pnpm bench [options]

Runs on loopback: a target sshd, an OpenSSH jump host sshd and the controller (built
apps/controller/dist/main.js), and compares direct ssh, ssh -J through the jump host and
ssh -J through the controller.

  --smoke               every workload at a tiny size (seconds)
  --only LIST           some of: ${WORKLOADS.join(',')}
  --paths LIST          some of: ${PATH_NAMES.join(',')} (default: all, for comparisons)
  --levels LIST         concurrency levels (default 200,1000,2000)
  --bulk-mib N          MiB per bulk transfer (default 512)
  --rounds N            bulk rounds (default 5)
  --latency-runs N      sequential set-ups per path (default 100)
  --endurance N         endurance sessions per path (default 5000)
  --note TEXT           recorded with the machine (e.g. "shared with other work")
  --cpu-prof DIR        run the controller under node --cpu-prof, profiles into DIR
  --out FILE            results JSON (default bench-results/bench-<time>.json and latest.json)
`;

function main(): Promise<void> | undefined {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      only: { type: 'string' },
      paths: { type: 'string' },
      levels: { type: 'string' },
      'bulk-mib': { type: 'string' },
      rounds: { type: 'string' },
      'latency-runs': { type: 'string' },
      endurance: { type: 'string' },
      note: { type: 'string' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return undefined;
  }
  const sizes = sizesFrom(values);
  const workloads = values.only === undefined ? undefined : parseList(values.only, WORKLOADS);
  const paths = values.paths === undefined ? undefined : parseList(values.paths, PATH_NAMES);
  return run(sizes, { workloads, paths }, values);
}

async function run(
  sizes: BenchSizes,
  chosen: { workloads: Workload[] | undefined; paths: PathName[] | undefined },
  values: { note?: string; 'cpu-prof'?: string; out?: string },
): Promise<void> {
  const { workloads, paths } = chosen;
  const cpuProfileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const began = performance.now();
  const results = await runBench({
    sizes,
    ...(workloads ? { workloads } : {}),
    ...(paths ? { paths } : {}),
    ...(values.note ? { note: values.note } : {}),
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
    progress: (line) => {
      const seconds = ((performance.now() - began) / 1000).toFixed(1).padStart(7);
      process.stderr.write(`[bench ${seconds}s] ${line}\n`);
    },
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const out = values.out === undefined ? undefined : resolve(values.out);
  const written = out ?? join(RESULTS_DIR, `bench-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(written), { recursive: true });
  writeFileSync(written, json);
  if (out === undefined) writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
  process.stdout.write(summaryTable(results));
  process.stdout.write(`\nresults: ${written}\n`);
}

function sizesFrom(values: Record<string, string | boolean | undefined>): BenchSizes {
  const base = values.smoke ? SMOKE_SIZES : FULL_SIZES;
  const number = (name: string): number | undefined => {
    const text = values[name];
    if (typeof text !== 'string') return undefined;
    if (!/^[1-9][0-9]*$/.test(text)) throw new Error(`--${name} takes a whole number above 0`);
    return Number(text);
  };
  const levels = values.levels;
  const bulkMib = number('bulk-mib');
  const custom: Partial<BenchSizes> = {
    ...(bulkMib ? { bulkBytes: bulkMib * 1024 * 1024 } : {}),
    ...(number('rounds') ? { bulkRounds: number('rounds') } : {}),
    ...(number('latency-runs') ? { latencyRuns: number('latency-runs') } : {}),
    ...(number('endurance') ? { enduranceSessions: number('endurance') } : {}),
    ...(typeof levels === 'string' ? { concurrencyLevels: parseLevels(levels) } : {}),
  };
  return Object.keys(custom).length === 0 ? base : { ...base, ...custom, name: 'custom' };
}

function parseLevels(text: string): number[] {
  const levels = text.split(',').map((part) => Number(part.trim()));
  if (levels.some((level) => !Number.isInteger(level) || level < 1)) {
    throw new Error(`--levels takes whole numbers above 0, separated by commas, not ${text}`);
  }
  return levels;
}

function parseList<T extends string>(text: string, allowed: readonly T[]): T[] {
  const names = text.split(',').map((part) => part.trim());
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown ${unknown.join(', ')}; choose from ${allowed.join(', ')}`);
  }
  return names as T[];
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
}
