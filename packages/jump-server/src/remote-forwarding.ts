/**
 * Remote forwarding (`ssh -R`, including a port the machine chooses, and its Unix-socket form):
 * the user's global request is put to the machine's sshd on the upstream connection, the answer
 * (with the port it chose) goes back to the user, and each connection the machine accepts on
 * that port comes back to the user as a forwarded channel on the inner connection.
 */
import type {
  Channel,
  Client,
  ServerChannel,
  SocketBindInfo,
  TcpConnectionDetails,
  TcpipBindInfo,
  UNIXConnectionDetails,
} from 'ssh2';
import { relayChannels } from './channel-relay.js';
import { policyRefusal } from './forwarding-policy.js';
import type { ForwardingContext } from './port-forwarding.js';

type Accept = ((chosenPort?: number) => void) | undefined;
type Reject = (() => void) | undefined;
type Done = (error: Error | undefined, channel: ServerChannel) => void;

/** The global requests for remote forwarding that ssh2 hands to a server. */
export type ForwardingRequestName =
  | 'tcpip-forward'
  | 'cancel-tcpip-forward'
  | 'streamlocal-forward@openssh.com'
  | 'cancel-streamlocal-forward@openssh.com';

/** Answers the user's remote-forwarding requests through the machine. */
export class RemoteForwarding {
  private readonly listening = new WeakSet<Client>();

  constructor(private readonly context: ForwardingContext) {}

  /** Handles one global request; every request that wants a reply gets one. */
  onRequest(accept: Accept, reject: Reject, name: string, info: unknown): void {
    const kind = name.startsWith('streamlocal') || name.startsWith('cancel-streamlocal');
    const allowed = kind ? this.context.policy.streamlocal : this.context.policy.remote;
    if (!allowed) {
      const refusal = policyRefusal(kind ? 'streamlocal' : 'remote');
      this.context.logger.info({ request: name }, refusal);
      if (!name.startsWith('cancel-')) this.context.notices.add(refusal);
      reject?.();
      return;
    }
    this.context.upstream().then(
      (client) => {
        this.listen(client);
        try {
          this.ask(client, name, info, accept, reject);
        } catch {
          // ssh2 throws when the upstream connection has just gone away.
          reject?.();
        }
      },
      () => reject?.(),
    );
  }

  private ask(client: Client, name: string, info: unknown, accept: Accept, reject: Reject) {
    const answer = (error: Error | null | undefined, port?: number) => {
      if (error === undefined || error === null) accept?.(port);
      else reject?.();
    };
    if (name === 'tcpip-forward') {
      const { bindAddr, bindPort } = info as TcpipBindInfo;
      client.forwardIn(bindAddr, bindPort, (error, port) => {
        answer(error, port);
        if (error === undefined || error === null) {
          this.context.onForward({ channelType: 'tcpip-forward', request: `${bindAddr}:${port}` });
        }
      });
    } else if (name === 'cancel-tcpip-forward') {
      const { bindAddr, bindPort } = info as TcpipBindInfo;
      client.unforwardIn(bindAddr, bindPort, (error) => answer(error));
    } else if (name === 'streamlocal-forward@openssh.com') {
      const { socketPath } = info as SocketBindInfo;
      client.openssh_forwardInStreamLocal(socketPath, (error) => {
        answer(error);
        if (error === undefined || error === null) {
          this.context.onForward({ channelType: 'streamlocal-forward', request: socketPath });
        }
      });
    } else if (name === 'cancel-streamlocal-forward@openssh.com') {
      const { socketPath } = info as SocketBindInfo;
      client.openssh_unforwardInStreamLocal(socketPath, (error) => answer(error));
    } else {
      reject?.();
    }
  }

  /** Relays connections the machine accepted on the user's forwarded ports and sockets. */
  private listen(client: Client): void {
    if (this.listening.has(client)) return;
    this.listening.add(client);
    const { connection } = this.context;
    client.on('tcp connection', (details: TcpConnectionDetails, accept, reject) => {
      const { destIP, destPort, srcIP, srcPort } = details;
      this.carry(accept, reject, (done) =>
        connection.forwardOut(destIP, destPort, srcIP, srcPort, done),
      );
    });
    client.on('unix connection', (details: UNIXConnectionDetails, accept, reject) => {
      this.carry(accept, reject, (done) =>
        connection.openssh_forwardOutStreamLocal(details.socketPath, done),
      );
    });
  }

  private carry(accept: () => Channel, reject: () => void, open: (done: Done) => void): void {
    open((error, near) => {
      if (error !== undefined) {
        reject();
        return;
      }
      relayChannels(near, accept());
    });
  }
}
