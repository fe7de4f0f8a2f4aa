/**
 * Local forwarding (`ssh -L`, `ssh -D`, and `-L` to a Unix socket): each channel the user opens
 * is dialled from the machine's side, as a channel of the same kind on the upstream connection,
 * and the two channels are joined. A machine's refusal reaches the user with its own reason.
 */
import type { Logger } from 'pino';
import type {
  AcceptConnection,
  Client,
  ClientChannel,
  Connection,
  RejectConnection,
  ServerChannel,
  SocketRequestInfo,
  TcpipRequestInfo,
} from 'ssh2';
import { rejectChannel } from './channel-open-failure.js';
import { relayChannels } from './channel-relay.js';
import type { ConnectionNotices } from './connection-notices.js';
import { type ForwardingPolicy, policyRefusal } from './forwarding-policy.js';
import { CONNECT_FAILED, describeOpenFailure, rejectWithReason } from './relayed-open-failure.js';
import { userFacingMessage } from './user-facing-message.js';

/** A forwarded channel, for the audit trail. */
export interface ForwardRecord {
  readonly channelType: string;
  /** Where it leads, e.g. `127.0.0.1:8080` or a socket path. */
  readonly request: string;
}

/** What forwarding needs from the inner connection that owns it. */
export interface ForwardingContext {
  /** The user's inner connection, terminated here. */
  readonly connection: Connection;
  /** The upstream connection to the machine, opened once per inner connection. */
  readonly upstream: () => Promise<Client>;
  readonly policy: ForwardingPolicy;
  readonly notices: ConnectionNotices;
  readonly logger: Logger;
  onForward(record: ForwardRecord): void;
}

type OpenUpstream = (
  client: Client,
  done: (error: Error | undefined, channel: ClientChannel) => void,
) => void;

/** Carries a `direct-tcpip` channel (`-L`, `-D`) to the machine. */
export function forwardDirectTcpip(
  context: ForwardingContext,
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  info: TcpipRequestInfo,
): void {
  if (!context.policy.local) {
    rejectChannel(context.connection, reject, policyRefusal('local'));
    return;
  }
  const destination = `${hostForDisplay(info.destIP)}:${info.destPort}`;
  dial(context, accept, reject, { channelType: 'direct-tcpip', request: destination }, (c, done) =>
    c.forwardOut(info.srcIP, info.srcPort, info.destIP, info.destPort, done),
  );
}

/** Carries a `direct-streamlocal@openssh.com` channel (`-L` to a socket path) to the machine. */
export function forwardDirectStreamLocal(
  context: ForwardingContext,
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  info: SocketRequestInfo,
): void {
  if (!context.policy.streamlocal) {
    rejectChannel(context.connection, reject, policyRefusal('streamlocal'));
    return;
  }
  const record = { channelType: 'direct-streamlocal', request: info.socketPath };
  dial(context, accept, reject, record, (c, done) =>
    c.openssh_forwardOutStreamLocal(info.socketPath, done),
  );
}

function dial(
  context: ForwardingContext,
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  record: ForwardRecord,
  open: OpenUpstream,
): void {
  const { connection } = context;
  context.upstream().then(
    (client) => {
      try {
        open(client, (error, remote) => {
          if (error !== undefined) {
            const { code, text } = describeOpenFailure(error);
            context.logger.info({ ...record, reason: text }, 'the machine refused a forward');
            rejectWithReason(connection, reject, code, text);
            return;
          }
          const local = accept();
          context.onForward(record);
          relayChannels(local, remote);
        });
      } catch (error) {
        // ssh2 throws when the upstream connection has just gone away.
        rejectWithReason(connection, reject, CONNECT_FAILED, userFacingMessage(error));
      }
    },
    (error: unknown) =>
      rejectWithReason(connection, reject, CONNECT_FAILED, userFacingMessage(error)),
  );
}

function hostForDisplay(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
