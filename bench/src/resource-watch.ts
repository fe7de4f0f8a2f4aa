/**
 * Watches the processes that serve a workload while it runs: the controller's memory, CPU time
 * and descriptors, and the CPU time the two sshds spent on the connections they forked.
 */
import type { Lab } from './lab.js';
import {
  mib,
  type ProcessSample,
  resetPeakRss,
  sampleProcess,
  treePssBytes,
} from './proc-stats.js';
import { round } from './stats.js';

/** What the serving processes used during a watch. */
export interface ResourceUse {
  readonly controller: {
    /** Peak resident memory (VmHWM since the watch began, or the highest sample). */
    readonly peakRssMiB: number | null;
    readonly cpuSeconds: number | null;
    /** The part of cpuSeconds spent in the kernel. */
    readonly systemCpuSeconds: number | null;
    readonly peakOpenFds: number;
  };
  /** CPU time of the connections the jump host's sshd forked and reaped meanwhile. */
  readonly jumpHostCpuSeconds: number | null;
  /** The same for the target's sshd (sessions, and the controller's key installs). */
  readonly targetCpuSeconds: number | null;
}

/** Memory of the serving side while the load is at its height. */
export interface PlateauMemory {
  readonly controllerPssMiB: number;
  readonly jumpHostPssMiB: number;
  readonly jumpHostProcesses: number;
  readonly targetPssMiB: number;
  readonly targetProcesses: number;
}

const SAMPLE_MS = 250;

interface WatchStart {
  readonly pid: number;
  readonly controller: ProcessSample;
  readonly jumpHost: number | null;
  readonly target: number | null;
}

/** A running watch; {@link ResourceWatch.finish} ends it. */
export class ResourceWatch {
  private readonly timer: NodeJS.Timeout;
  private readonly peakReset: boolean;
  private readonly start: WatchStart;
  private peakRss = 0;
  private peakFds = 0;

  constructor(private readonly lab: Lab) {
    const pid = lab.controller.pid;
    this.peakReset = resetPeakRss(pid);
    this.start = {
      pid,
      controller: sampleProcess(pid),
      jumpHost: this.sshdChildCpu('jumpHost'),
      target: this.sshdChildCpu('target'),
    };
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Proportional memory of the controller and of each sshd with its children, right now. */
  plateau(): PlateauMemory {
    const jumpHost = treePssBytes(this.lab.sshdPid(this.lab.jumpHost));
    const target = treePssBytes(this.lab.sshdPid(this.lab.target));
    return {
      controllerPssMiB: mib(treePssBytes(this.start.pid).bytes),
      jumpHostPssMiB: mib(jumpHost.bytes),
      jumpHostProcesses: jumpHost.processes,
      targetPssMiB: mib(target.bytes),
      targetProcesses: target.processes,
    };
  }

  /** Stops sampling and reports the use since the watch began. */
  finish(): ResourceUse {
    clearInterval(this.timer);
    this.sample();
    const { pid } = this.start;
    const now = safeSample(pid);
    const peakRss = this.peakReset && now ? Math.max(now.peakRssBytes, this.peakRss) : this.peakRss;
    const cpu = now ? now.cpuSeconds - this.start.controller.cpuSeconds : null;
    const system = now ? now.systemCpuSeconds - this.start.controller.systemCpuSeconds : null;
    const delta = (before: number | null, after: number | null) =>
      before === null || after === null ? null : round(after - before, 2);
    return {
      controller: {
        peakRssMiB: peakRss > 0 ? mib(peakRss) : null,
        cpuSeconds: cpu === null ? null : round(cpu, 2),
        systemCpuSeconds: system === null ? null : round(system, 2),
        peakOpenFds: this.peakFds,
      },
      jumpHostCpuSeconds: delta(this.start.jumpHost, this.sshdChildCpu('jumpHost')),
      targetCpuSeconds: delta(this.start.target, this.sshdChildCpu('target')),
    };
  }

  private sample(): void {
    const now = safeSample(this.start.pid);
    if (now === undefined) return;
    this.peakRss = Math.max(this.peakRss, now.rssBytes);
    this.peakFds = Math.max(this.peakFds, now.openFds);
  }

  private sshdChildCpu(which: 'jumpHost' | 'target'): number | null {
    const sample = safeSample(this.lab.sshdPid(this.lab[which]));
    return sample === undefined ? null : sample.reapedChildCpuSeconds;
  }
}

function safeSample(pid: number): ProcessSample | undefined {
  try {
    return sampleProcess(pid);
  } catch {
    return undefined;
  }
}
