import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@juju-ssh/test-support';
import { describe, expect, it } from 'vitest';
import { PATH_NAMES } from './access-paths.js';
import type { BenchResults } from './results.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');

/** Runs the built bench CLI; resolves with its exit status and output. */
function bench(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('the bench at smoke size', () => {
  it('runs every workload through all three paths and writes sane results', async () => {
    const temp = await makeTempDir('bench-smoke');
    try {
      const file = join(temp.path, 'results.json');

      const run = await bench(['--smoke', '--out', file, '--note', 'smoke test']);

      expect(run.code, run.out).toBe(0);
      const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
      expect(results.format).toBe('juju-ssh-bench/1');
      expect(results.sizes.name).toBe('smoke');
      expect(results.machine.cpus).toBeGreaterThan(0);
      expect(results.machine.note).toBe('smoke test');
      expect(results.configuration.targetSshd).toContain('MaxStartups 4096');

      for (const name of PATH_NAMES) {
        for (const transfer of ['up', 'down', 'scp'] as const) {
          const bulk = results.bulk?.results[transfer][name];
          expect(bulk?.medianMiBps).toBeGreaterThan(0);
          expect(bulk?.machineCpuSecondsPerGiB).toBeGreaterThan(0);
          expect(bulk?.machineBusyShare).toBeGreaterThan(0);
          if (name === 'proxy') expect(bulk?.controllerCpuSecondsPerGiB).not.toBeNull();
          else expect(bulk?.controllerCpuSecondsPerGiB).toBeNull();
        }
        expect(results.latency?.paths[name].untilExit.p50Ms).toBeGreaterThan(0);
        expect(results.latency?.paths[name].untilExit.count).toBe(results.sizes.latencyRuns);
        const level = results.concurrency?.find((entry) => entry.path === name);
        expect(level?.succeeded).toBe(level?.sessions);
        const endurance = results.endurance?.paths[name];
        expect(endurance?.failed).toBe(0);
        expect(endurance?.killedMidway).toBeGreaterThan(0);
        expect((endurance?.completed ?? 0) + (endurance?.killedMidway ?? 0)).toBe(
          results.sizes.enduranceSessions,
        );
      }
      expect(results.keyExchange?.clientHops.direct).toHaveLength(1);
      expect(results.keyExchange?.clientHops['jump-host']).toHaveLength(2);
      expect(results.keyExchange?.clientHops.proxy).toHaveLength(2);
      expect(results.keyExchange?.upstream?.kex).toMatch(/curve25519/);
      const proxyLevel = results.concurrency?.find((entry) => entry.path === 'proxy');
      expect(proxyLevel?.resources.controller.peakRssMiB).toBeGreaterThan(10);
      expect(proxyLevel?.resources.controller.cpuSeconds).toBeGreaterThan(0);
      expect(results.endurance?.controller.start.openFds).toBeGreaterThan(0);
      expect(results.endurance?.ephemeralKeysLeft).toBe(0);
      expect(results.targets.map((check) => check.target)).toHaveLength(7);
      expect(run.out).toMatch(/bulk throughput[\s\S]*session set-up[\s\S]*targets/);
    } finally {
      await temp.cleanup();
    }
  }, 180_000);

  it('stops its servers and removes its files when interrupted', async () => {
    const child = spawn(process.execPath, [MAIN, '--smoke'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const labDir = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString('utf8');
        const ready = /lab ready in (\S+);/.exec(err);
        if (ready?.[1]) resolve(ready[1]);
      });
      child.once('close', () => reject(new Error(`the bench ended early: ${err}`)));
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));

    child.kill('SIGINT');

    expect(await closed).toBe(130);
    expect(existsSync(labDir)).toBe(false);
    expect(processesMentioning(labDir)).toEqual([]);
  }, 60_000);
});

/** Command lines of running processes that contain `text`. */
function processesMentioning(text: string): string[] {
  const table = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes(text));
}
