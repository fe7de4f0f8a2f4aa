/**
 * Carries one session channel from the user's inner hop to a session channel on the machine:
 * pty, env, window changes, signals, agent forwarding, exec/shell/subsystem, both streams, EOF
 * and exit status or signal. The client's request is accepted at once and its input held
 * (paused, so the SSH window bounds it) until the machine's channel is open, so input that
 * arrives early is never lost. X11 forwarding is refused with a note on the session's stderr.
 */

import { isJujuSshError, JujuSshError } from '@juju-ssh/core';
import type {
  AcceptConnection,
  Client,
  ClientChannel,
  PseudoTtyInfo,
  PseudoTtyOptions,
  ServerChannel,
  Session,
} from 'ssh2';
import { drained, type ExitReport, sendExit } from './channel-exit.js';
import type { ConnectionNotices } from './connection-notices.js';
import { watchExit } from './exit-watch.js';
import { policyRefusal } from './forwarding-policy.js';
import { CONNECTION_FAILURE_STATUS, pipeSession } from './session-pipe.js';
import { openSubsystem } from './upstream-subsystem.js';
import { userFacingMessage } from './user-facing-message.js';

/** What a session channel asked for, for the audit trail. */
export interface SessionRequest {
  readonly request: 'exec' | 'shell' | 'subsystem';
  readonly command?: string;
  readonly subsystem?: string;
  readonly pty: boolean;
}

/** Byte counts of one inner connection, both ways. */
export interface ByteCounters {
  fromClient: number;
  toClient: number;
}

/** What the bridge needs from the connection that owns it. */
export interface SessionBridgeContext {
  /** The upstream connection, opened once per inner connection. */
  readonly upstream: () => Promise<Client>;
  readonly counters: ByteCounters;
  /** Whether the controller's policy lets this session forward the user's agent. */
  readonly agentForwarding: boolean;
  readonly notices: ConnectionNotices;
  onRequest(request: SessionRequest): void;
  onExit(exit: ExitReport | undefined): void;
  /** Told about each channel once its command is accepted, so the owner can end it early. */
  onChannel?(channel: ServerChannel, terminal: boolean): void;
}

const MAX_ENV_VARIABLES = 64;
const MAX_ENV_BYTES = 8 * 1024;

type Start = { readonly kind: 'exec' | 'subsystem'; readonly arg: string } | { kind: 'shell' };

/** What the session asked for before its command, carried to the machine's session. */
interface SessionSetup {
  readonly pty: PseudoTtyInfo | undefined;
  readonly env: Record<string, string>;
  readonly agent: boolean;
}

const X11_REFUSAL = 'X11 forwarding is not carried through the controller; the session goes on';

/** Takes the session channel and carries it to the machine. */
export function bridgeSession(accept: AcceptConnection<Session>, context: SessionBridgeContext) {
  const session = accept();
  const env: Record<string, string> = {};
  let envBytes = 0;
  let pty: PseudoTtyInfo | undefined;
  let agent = false;
  let upstreamChannel: ClientChannel | undefined;
  const pendingSignals: string[] = [];

  session.on('env', (ok, refuse, info) => {
    const size = info.key.length + info.val.length;
    const full = Object.keys(env).length >= MAX_ENV_VARIABLES || envBytes + size > MAX_ENV_BYTES;
    if (full) return refuse?.();
    env[info.key] = info.val;
    envBytes += size;
    ok?.();
  });
  session.on('pty', (ok, _refuse, info) => {
    pty = info;
    ok?.();
  });
  session.on('window-change', (ok, _refuse, info) => {
    if (upstreamChannel !== undefined) {
      upstreamChannel.setWindow(info.rows, info.cols, info.height, info.width);
    } else if (pty !== undefined) {
      pty = { ...pty, rows: info.rows, cols: info.cols, width: info.width, height: info.height };
    }
    ok?.();
  });
  session.on('signal', (ok, _refuse, info) => {
    if (upstreamChannel === undefined) pendingSignals.push(info.name);
    else upstreamChannel.signal(info.name);
    ok?.();
  });
  session.on('x11', (_ok, refuse) => {
    context.notices.add(X11_REFUSAL);
    refuse?.();
  });
  session.on('auth-agent', (ok, refuse) => {
    if (!context.agentForwarding) {
      context.notices.add(policyRefusal('agent'));
      refuse?.();
      return;
    }
    agent = true;
    ok?.();
  });

  const start = (how: Start, acceptStart: AcceptConnection<ServerChannel>) => {
    const channel = acceptStart();
    if (channel === undefined) return;
    channel.pause();
    context.onChannel?.(channel, pty !== undefined);
    const eol = pty === undefined ? '\n' : '\r\n';
    const detach = context.notices.attach((text) =>
      channel.stderr.write(`juju-ssh: ${text}${eol}`),
    );
    channel.once('close', detach);
    context.onRequest({
      request: how.kind,
      ...(how.kind === 'exec' ? { command: how.arg } : {}),
      ...(how.kind === 'subsystem' ? { subsystem: how.arg } : {}),
      pty: pty !== undefined,
    });
    context
      .upstream()
      .then((client) => openUpstream(client, how, { pty, env, agent }).catch(refused(how)))
      .then(
        (remote) => {
          upstreamChannel = remote;
          for (const name of pendingSignals.splice(0)) remote.signal(name);
          pipeSession(channel, remote, context);
        },
        (error: unknown) => {
          void endWithFailure(channel, userFacingMessage(error), pty !== undefined, context);
        },
      );
  };
  session.on('exec', (ok, _refuse, info) => start({ kind: 'exec', arg: info.command }, ok));
  session.on('shell', (ok) => start({ kind: 'shell' }, ok));
  session.on('subsystem', (ok, _refuse, info) => start({ kind: 'subsystem', arg: info.name }, ok));
}

function openUpstream(client: Client, how: Start, setup: SessionSetup): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, channel: ClientChannel) => {
      if (error !== undefined) return reject(error);
      watchExit(channel);
      resolve(channel);
    };
    const { env } = setup;
    const terminal = setup.pty === undefined ? undefined : toPtyOptions(setup.pty);
    // ssh2 sends auth-agent-req@openssh.com when asked; its typings omit the option.
    const agent: { agentForward?: boolean } = setup.agent ? { agentForward: true } : {};
    if (how.kind === 'exec') {
      const options = { env, ...agent, ...(terminal === undefined ? {} : { pty: terminal }) };
      client.exec(how.arg, options, done);
    } else if (how.kind === 'shell') {
      client.shell(terminal ?? false, { env, ...agent }, done);
    } else {
      openSubsystem(client, how.arg, setup).then(resolve, reject);
    }
  });
}

/** Turns the machine's refusal of a session request into a message the user can act on. */
function refused(how: Start) {
  return (error: unknown): never => {
    if (isJujuSshError(error)) throw error;
    const what =
      how.kind === 'shell'
        ? 'a shell'
        : how.kind === 'exec'
          ? 'the command'
          : `the subsystem ${JSON.stringify(how.arg.slice(0, 64))}`;
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new JujuSshError('upstream-failed', `the machine refused to start ${what}${detail}`);
  };
}

function toPtyOptions(pty: PseudoTtyInfo): PseudoTtyOptions {
  return {
    rows: pty.rows,
    cols: pty.cols,
    width: pty.width,
    height: pty.height,
    term: pty.term,
    modes: pty.modes,
  };
}

async function endWithFailure(
  channel: ServerChannel,
  message: string,
  terminal: boolean,
  context: SessionBridgeContext,
) {
  channel.stderr.write(`juju-ssh: ${message}${terminal ? '\r\n' : '\n'}`);
  await drained(channel.stderr);
  sendExit(channel, { kind: 'status', code: CONNECTION_FAILURE_STATUS });
  context.onExit({ kind: 'status', code: CONNECTION_FAILURE_STATUS });
  channel.end();
}
