/**
 * What Linux says about a process: resident memory and its peak, CPU time (its own and that of
 * the children it has reaped), open file descriptors, and the proportional memory of a whole
 * process tree; and how busy the whole machine has been. Everything is read from /proc; nothing
 * here changes the process but its peak.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** A snapshot of one process. */
export interface ProcessSample {
  readonly rssBytes: number;
  /** Peak resident memory since start or since the last {@link resetPeakRss}. */
  readonly peakRssBytes: number;
  /** User plus system CPU time of the process itself. */
  readonly cpuSeconds: number;
  /** The part of cpuSeconds spent in the kernel (system calls: sockets, files, forks). */
  readonly systemCpuSeconds: number;
  /** CPU time of children (and their descendants) the process has waited for. */
  readonly reapedChildCpuSeconds: number;
  readonly openFds: number;
  readonly threads: number;
}

let clockTicks: number | undefined;

/** Clock ticks per second, as /proc/PID/stat counts CPU time. */
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** Reads one process's numbers; throws when it has gone. */
export function sampleProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(/\d+/.exec(statusField(status, field))?.[0] ?? 0) * 1024;
  const stat = statFields(pid);
  const ticks = ticksPerSecond();
  const at = (index: number) => Number(stat[index] ?? 0);
  return {
    rssBytes: kib('VmRSS'),
    peakRssBytes: kib('VmHWM'),
    // Fields 14-17 of /proc/PID/stat, counted from 1 with the command name as field 2.
    cpuSeconds: (at(11) + at(12)) / ticks,
    systemCpuSeconds: at(12) / ticks,
    reapedChildCpuSeconds: (at(13) + at(14)) / ticks,
    openFds: readdirSync(`/proc/${pid}/fd`).length,
    threads: Number(statusField(status, 'Threads')),
  };
}

/**
 * CPU seconds the whole machine has spent working since boot, summed over its cores: user,
 * nice, system and interrupt time, but not idle, I/O wait or time the hypervisor took away.
 */
export function machineBusySeconds(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = first
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) / ticksPerSecond();
}

/** Starts a new peak-RSS period (VmHWM) for `pid`; false when the kernel refused. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Proportional set size (shared pages divided among their users) summed over `pid` and all
 * its descendants: what a forking server such as sshd really costs in memory.
 */
export function treePssBytes(pid: number): { bytes: number; processes: number } {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(statFields(Number(entry))[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while the table was read.
    }
  }
  let bytes = 0;
  let processes = 0;
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    try {
      const rollup = readFileSync(`/proc/${next}/smaps_rollup`, 'utf8');
      bytes += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes += 1;
    } catch {
      // Gone meanwhile, or a kernel thread without memory maps.
    }
    pending.push(...(parents.get(next) ?? []));
  }
  return { bytes, processes };
}

/** Fields of /proc/PID/stat after the command name (index 0 is the state, field 3). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function statusField(status: string, name: string): string {
  const line = status.split('\n').find((text) => text.startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim() ?? '';
}

/** Mebibytes, one decimal. */
export function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
