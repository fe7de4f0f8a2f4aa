#!/usr/bin/env node
/**
 * Reads a `node --cpu-prof` profile of the controller (as `pnpm bench --cpu-prof DIR` writes)
 * and prints where the time went: self time by function and by package, idle time apart.
 * Usage: node bench/dist/profile-summary.js FILE.cpuprofile [top-n]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time in milliseconds by function and by package, busiest first. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly byFunction: readonly [string, number][];
  readonly byPackage: readonly [string, number][];
}

/** Adds up a profile's samples. */
export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const frame = frames.get(id);
    totalMs += ms;
    if (frame === undefined || frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const where = shortUrl(frame.url);
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byPackage.set(packageOf(where), (byPackage.get(packageOf(where)) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { totalMs, idleMs, byFunction: sorted(byFunction), byPackage: sorted(byPackage) };
}

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const inStore = url.split('/node_modules/').at(-1) ?? url;
  return inStore.replace(/^file:\/\/.*?\/(packages|apps)\//, '$1/');
}

function packageOf(where: string): string {
  if (where.startsWith('node:')) return where.split('/').slice(0, 2).join('/');
  const parts = where.split('/');
  if (where.startsWith('@')) return parts.slice(0, 2).join('/');
  if (where.startsWith('packages/') || where.startsWith('apps/')) {
    return parts.slice(0, 2).join('/');
  }
  return parts[0] ?? where;
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [top-n]\n');
    process.exitCode = 2;
    return;
  }
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const busy = summary.totalMs - summary.idleMs;
  const line = ([name, ms]: [string, number]) =>
    `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${name}\n`;
  process.stdout.write(
    `${summary.totalMs.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy ` +
      '(percentages are of busy time)\n\nby function (self time)\n',
  );
  for (const entry of summary.byFunction.slice(0, Number(top))) process.stdout.write(line(entry));
  process.stdout.write('\nby package\n');
  for (const entry of summary.byPackage.slice(0, 15)) process.stdout.write(line(entry));
}

if (process.argv[1]?.endsWith('profile-summary.js')) main();
