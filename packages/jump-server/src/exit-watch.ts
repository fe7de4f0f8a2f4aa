/**
 * The exit status or signal of a machine's session channel, caught from the moment the channel
 * exists. A short command's status can arrive in the same read as the channel's confirmation,
 * before the code that bridges the channel has run; an 'exit' listener added then would miss it.
 */
import type { ClientChannel } from 'ssh2';
import type { ExitReport } from './channel-exit.js';

/** How a machine's command ended, once it has. */
export interface ExitWatch {
  /** The report, once it arrived. */
  readonly report: () => ExitReport | undefined;
  /** Resolves with the report when it arrives. */
  readonly arrived: Promise<ExitReport>;
}

const watches = new WeakMap<ClientChannel, ExitWatch>();

/** Starts watching `channel` for its exit, or returns the watch already on it. */
export function watchExit(channel: ClientChannel): ExitWatch {
  const existing = watches.get(channel);
  if (existing !== undefined) return existing;
  let report: ExitReport | undefined;
  const arrived = new Promise<ExitReport>((resolve) => {
    channel.once('exit', (code: number | null, signal?: string, dump?: string, desc?: string) => {
      report =
        code !== null
          ? { kind: 'status', code }
          : {
              kind: 'signal',
              signal: signal ?? 'KILL',
              coreDumped: Boolean(dump),
              message: desc ?? '',
            };
      resolve(report);
    });
  });
  const watch: ExitWatch = { report: () => report, arrived };
  watches.set(channel, watch);
  return watch;
}
