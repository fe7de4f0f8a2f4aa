/**
 * The short text summary printed at the end of a run: one block per workload, the three paths
 * side by side with the proxy's ratios, then the settings used and the targets.
 */
import { PATH_NAMES, type PathName } from './access-paths.js';
import type { BenchResults } from './results.js';
import { ratio } from './stats.js';
import { TRANSFERS } from './workloads/bulk.js';

type Cell = string | number | null | undefined;

/** The summary as text, ending with a newline. */
export function summaryTable(results: BenchResults): string {
  const { machine, sizes } = results;
  const out: string[] = [
    `juju-ssh bench (${sizes.name}) on ${machine.hostname}: ${machine.cpus} x ${machine.cpuModel}, ` +
      `${machine.memoryGiB} GiB, load ${machine.loadAverageAtStart.join(' ')}`,
  ];
  if (machine.note) out.push(`note: ${machine.note}`);
  out.push(
    `target sshd: ${results.configuration.targetSshd.join(', ')}`,
    `controller: ${results.configuration.controller.join(' ')}`,
    `client: ${results.configuration.client.join(', ')}`,
  );
  const header = ['', ...PATH_NAMES, 'proxy/direct', 'proxy/jump'];
  const row = (label: string, values: Record<PathName, number | null>): Cell[] => [
    label,
    values.direct,
    values['jump-host'],
    values.proxy,
    ratio(values.proxy, values.direct),
    ratio(values.proxy, values['jump-host']),
  ];

  if (results.bulk) {
    const { bulk } = results;
    const mibps = (transfer: 'up' | 'down' | 'scp') => {
      const of = (name: PathName) => bulk.results[transfer][name].medianMiBps;
      return { direct: of('direct'), 'jump-host': of('jump-host'), proxy: of('proxy') };
    };
    const size = `${bulk.bytes / 1024 / 1024} MiB`;
    out.push('', `bulk throughput, MiB/s (${size}, median of ${bulk.rounds})`);
    out.push(
      table([
        header,
        row("ssh 'cat > /dev/null' (up)", mibps('up')),
        row('ssh cat FILE (down)', mibps('down')),
        row('scp (up)', mibps('scp')),
      ]),
    );
    const cpu = (transfer: 'up' | 'down' | 'scp') => {
      const of = (name: PathName) => bulk.results[transfer][name].machineCpuSecondsPerGiB;
      return { direct: of('direct'), 'jump-host': of('jump-host'), proxy: of('proxy') };
    };
    out.push('', 'CPU seconds per GiB moved, whole machine (clients, servers and controller)');
    out.push(
      table([header, row('up', cpu('up')), row('down', cpu('down')), row('scp', cpu('scp'))]),
    );
    const busy = TRANSFERS.flatMap((transfer) =>
      PATH_NAMES.map((name) => bulk.results[transfer][name].machineBusyShare),
    ).filter((share) => share !== null);
    const controller = TRANSFERS.map(
      (transfer) => `${transfer} ${bulk.results[transfer].proxy.controllerCpuSecondsPerGiB ?? '-'}`,
    );
    if (busy.length > 0) {
      const percent = (share: number) => `${Math.round(share * 100)}%`;
      out.push(
        `  cores busy during transfers: ${percent(Math.min(...busy))} to ` +
          `${percent(Math.max(...busy))}`,
        `  the controller's own CPU seconds per GiB: ${controller.join(', ')}`,
      );
    }
    const bounds = TRANSFERS.map((transfer) => {
      const { direct, proxy } = bulk.results[transfer];
      const rest =
        proxy.machineCpuSecondsPerGiB === null || proxy.controllerCpuSecondsPerGiB === null
          ? null
          : proxy.machineCpuSecondsPerGiB - proxy.controllerCpuSecondsPerGiB;
      return `${transfer} ${ratio(direct.machineCpuSecondsPerGiB, rest) ?? '-'}`;
    });
    out.push(
      "  ceiling if the controller cost nothing (direct's CPU per GiB over the rest of the",
      `  proxy path's): ${bounds.join(', ')}`,
    );
  }

  if (results.latency) {
    const { paths, runs } = results.latency;
    const pick = (get: (name: PathName) => number | null) => ({
      direct: get('direct'),
      'jump-host': get('jump-host'),
      proxy: get('proxy'),
    });
    out.push('', `session set-up, ms (${runs} sequential ssh … true per path)`);
    out.push(
      table([
        header,
        row(
          'p50 until ssh exits',
          pick((n) => paths[n].untilExit.p50Ms),
        ),
        row(
          'p95 until ssh exits',
          pick((n) => paths[n].untilExit.p95Ms),
        ),
        row(
          'p50 until key removed',
          pick((n) => paths[n].untilKeyRemoved.p50Ms),
        ),
        row(
          'p95 until key removed',
          pick((n) => paths[n].untilKeyRemoved.p95Ms),
        ),
      ]),
    );
  }

  if (results.keyExchange) {
    const { clientHops, upstream } = results.keyExchange;
    out.push('', 'key exchange and cipher per hop (client side first)');
    for (const name of PATH_NAMES) {
      const hops = clientHops[name].map((hop) => `${hop.kex} ${hop.cipher}`).join(' | ');
      out.push(`  ${name}: ${hops || 'not seen'}`);
    }
    out.push(`  controller -> target: ${upstream ? `${upstream.kex} ${upstream.cipher}` : '?'}`);
  }

  if (results.concurrency) {
    const inFlight = Math.max(...results.concurrency.map((run) => run.inFlight));
    out.push('', `concurrency (sessions held at once, opened ${inFlight} at a time)`);
    const rows: Cell[][] = [
      ['sessions', 'path', 'ok', 'up at once', 'p50 ms', 'p95 ms', 'server CPU s', 'server MiB'],
    ];
    for (const run of results.concurrency) {
      const server =
        run.path === 'proxy'
          ? [run.resources.controller.cpuSeconds, run.resources.controller.peakRssMiB]
          : run.path === 'jump-host'
            ? [run.resources.jumpHostCpuSeconds, run.plateau.jumpHostPssMiB]
            : [run.resources.targetCpuSeconds, run.plateau.targetPssMiB];
      rows.push([
        run.sessions,
        run.path,
        run.succeeded,
        run.upAtOnce,
        run.setup.p50Ms,
        run.setup.p95Ms,
        ...server,
      ]);
    }
    out.push(table(rows));
    const drains = results.concurrency
      .filter((run) => run.path === 'proxy')
      .map((run) =>
        run.keyDrainSeconds === null
          ? `${run.sessions}: ${run.ephemeralKeysLeft} keys still left`
          : `${run.sessions}: ${run.keyDrainSeconds} s`,
      );
    out.push(`  ephemeral keys all removed after the last exit: ${drains.join(', ')}`);
    out.push(
      '  server: the controller (peak RSS) for proxy, the jump sshd and its children (PSS) for',
      '  jump-host, the target sshd and its children (PSS) for direct',
    );
  }

  if (results.endurance) {
    const { endurance } = results;
    const { start, end } = endurance.controller;
    out.push(
      '',
      `endurance (${endurance.sessionsPerPath} sessions per path, ${endurance.workers} at a time, ` +
        `1 in ${endurance.killEvery} killed mid-session)`,
    );
    const rows: Cell[][] = [['path', 'completed', 'killed', 'failed', 'p50 ms', 'seconds']];
    for (const name of PATH_NAMES) {
      const path = endurance.paths[name];
      rows.push([
        name,
        path.completed,
        path.killedMidway,
        path.failed,
        path.setup.p50Ms,
        path.seconds,
      ]);
    }
    out.push(table(rows));
    out.push(
      `  controller RSS ${start.rssMiB} -> ${end.rssMiB} MiB, fds ${start.openFds} -> ` +
        `${end.openFds}; ephemeral keys left: ${endurance.ephemeralKeysLeft}`,
    );
  }

  out.push('', 'targets');
  for (const check of results.targets) {
    const mark = check.met === null ? '  -' : check.met ? ' ok' : 'MISS';
    out.push(`  ${mark.padStart(4)}  ${check.target}: ${check.measured}`);
  }
  return `${out.join('\n')}\n`;
}

/** Left-aligned first column, right-aligned numbers, two spaces between columns. */
function table(rows: readonly Cell[][]): string {
  const text = rows.map((cells) => cells.map((cell) => (cell ?? '-').toString()));
  const widths = text[0]?.map((_, column) =>
    Math.max(...text.map((cells) => cells[column]?.length ?? 0)),
  );
  return text
    .map((cells) =>
      cells
        .map((cell, column) => {
          const width = widths?.[column] ?? 0;
          return column === 0 ? cell.padEnd(width) : cell.padStart(width);
        })
        .join('  ')
        .replace(/^/, '  '),
    )
    .join('\n');
}
