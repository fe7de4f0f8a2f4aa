/**
 * Agent forwarding (`ssh -A`) across both hops. When a program on the machine opens the forwarded
 * agent, the machine's sshd opens an `auth-agent@openssh.com` channel on the upstream connection;
 * the upstream client asks its agent object for a stream, and this agent answers with a channel
 * of the same kind opened back to the user's client on the inner connection.
 *
 * ssh2's server offers no public call to open that channel, so it is opened the way ssh2 opens
 * its own forwarded channels: a slot in the connection's channel table, then the protocol's
 * CHANNEL_OPEN; ssh2's CHANNEL_OPEN_CONFIRMATION handler completes it.
 */
import type { Duplex } from 'node:stream';
import type { Connection, ServerChannel } from 'ssh2';
import ssh2 from 'ssh2';

/** ssh2's channel window and packet size, which its own channels advertise. */
const WINDOW = 2 * 1024 * 1024;
const PACKET_SIZE = 32 * 1024;
const AGENT_CHANNEL = 'auth-agent@openssh.com';

type OpenCallback = ((error: Error | undefined, channel?: ServerChannel) => void) & {
  type?: string;
};

interface ConnectionInternals {
  readonly _chanMgr?: { add(callback: OpenCallback): number };
  readonly _protocol?: {
    openssh_authAgent?(channel: number, window: number, packetSize: number): void;
  };
}

/** Opens an agent channel to the user's client; rejects if the client refuses it. */
export function openAgentChannel(connection: Connection): Promise<ServerChannel> {
  return new Promise((resolve, reject) => {
    const { _chanMgr: channels, _protocol: protocol } =
      connection as unknown as ConnectionInternals;
    if (channels === undefined || typeof protocol?.openssh_authAgent !== 'function') {
      reject(new Error('this version of ssh2 cannot open an agent channel'));
      return;
    }
    const opened: OpenCallback = (error, channel) => {
      if (error !== undefined || channel === undefined) {
        reject(error ?? new Error('the client refused the agent channel'));
      } else {
        resolve(channel);
      }
    };
    opened.type = AGENT_CHANNEL;
    const id = channels.add(opened);
    if (id === -1) {
      reject(new Error('no free channel for the agent'));
      return;
    }
    protocol.openssh_authAgent(id, WINDOW, PACKET_SIZE);
  });
}

type GetStreamCallback = (error?: Error | null, stream?: Duplex) => void;
type IdentityCallback = (error?: Error | null, keys?: Buffer[]) => void;
type SignCallback = (error?: Error | null, signature?: Buffer) => void;

/**
 * The agent the upstream client offers to the machine: it holds no keys itself and only opens
 * streams to the user's own agent, over the user's inner connection.
 */
export class ForwardedAgent extends ssh2.BaseAgent<Buffer> {
  constructor(private readonly connection: Connection) {
    super();
  }

  /** Not used: the upstream hop logs in with the session key, never with the user's agent. */
  getIdentities(cb: IdentityCallback): void {
    cb(new Error('the forwarded agent is not used to log in'));
  }

  /** Not used, as for getIdentities. */
  sign(_key: Buffer, _data: Buffer, options: unknown, cb?: SignCallback): void {
    const callback = typeof options === 'function' ? (options as SignCallback) : cb;
    callback?.(new Error('the forwarded agent is not used to log in'));
  }

  /** Opens a channel to the user's agent. */
  override getStream(cb: GetStreamCallback): void {
    openAgentChannel(this.connection).then(
      (channel) => {
        channel.on('error', () => {});
        cb(undefined, channel);
      },
      (error: Error) => cb(error),
    );
  }
}
