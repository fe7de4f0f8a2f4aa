/**
 * Starting a subsystem on the machine with what the user's session asked for first: its
 * environment, its terminal and agent forwarding. ssh2's client offers `subsys(name)` alone, so
 * the session channel is opened and its requests are sent the way ssh2's own `exec` does it:
 * a slot in the connection's channel table, then protocol calls whose replies arrive, in
 * order, through the channel's callback queue.
 */
import type { Client, ClientChannel, PseudoTtyInfo } from 'ssh2';
import { watchExit } from './exit-watch.js';

/** ssh2's channel window and packet size, which its own channels advertise. */
const WINDOW = 2 * 1024 * 1024;
const PACKET_SIZE = 32 * 1024;

type Opened = ((error: Error | undefined, channel?: ClientChannel) => void) & { type?: string };
type Reply = (failed: boolean | Error) => void;

interface ClientInternals {
  _agentFwdEnabled?: boolean;
  readonly _chanMgr?: { add(callback: Opened): number };
  readonly _protocol?: {
    session(id: number, window: number, packetSize: number): void;
    env(id: number, key: string, value: string, wantReply: boolean): void;
    pty(
      id: number,
      rows: number,
      cols: number,
      height: number,
      width: number,
      term: string,
      modes: unknown,
      wantReply: boolean,
    ): void;
    openssh_agentForward(id: number, wantReply: boolean): void;
    subsystem(id: number, name: string, wantReply: boolean): void;
  };
}

interface ChannelInternals {
  readonly outgoing: { readonly id: number };
  readonly _callbacks: Reply[];
  subtype?: string;
}

/** What the session asked for before the subsystem. */
export interface SubsystemSetup {
  readonly pty: PseudoTtyInfo | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly agent: boolean;
}

/** Opens a session channel on `client`, sends the setup's requests, then starts `name`. */
export function openSubsystem(
  client: Client,
  name: string,
  setup: SubsystemSetup,
): Promise<ClientChannel> {
  const internals = client as unknown as ClientInternals;
  const { _chanMgr: channels, _protocol: protocol } = internals;
  if (channels === undefined || protocol === undefined) {
    // Without the internals, the subsystem still starts; only its setup is left behind.
    return new Promise((resolve, reject) =>
      client.subsys(name, (error, channel) => (error ? reject(error) : resolve(channel))),
    );
  }
  return new Promise((resolve, reject) => {
    const opened: Opened = (error, channel) => {
      if (error !== undefined || channel === undefined) {
        reject(error ?? new Error('the machine did not open a session channel'));
        return;
      }
      watchExit(channel);
      const chan = channel as unknown as ChannelInternals;
      const id = chan.outgoing.id;
      const expect = (what: string, onSuccess?: () => void) => {
        chan._callbacks.push((failed) => {
          if (failed === false) {
            onSuccess?.();
            return;
          }
          channel.close();
          reject(failed instanceof Error ? failed : new Error(`${what} was refused`));
        });
      };
      for (const [key, value] of Object.entries(setup.env)) protocol.env(id, key, value, false);
      const { pty } = setup;
      if (pty !== undefined) {
        expect('the terminal request');
        protocol.pty(id, pty.rows, pty.cols, pty.height, pty.width, pty.term, pty.modes, true);
      }
      if (setup.agent && internals._agentFwdEnabled !== true) {
        internals._agentFwdEnabled = true;
        expect('agent forwarding');
        protocol.openssh_agentForward(id, true);
      }
      expect(`the subsystem ${name}`, () => {
        chan.subtype = 'subsystem';
        resolve(channel);
      });
      protocol.subsystem(id, name, true);
    };
    opened.type = 'session';
    const id = channels.add(opened);
    if (id === -1) {
      reject(new Error('no free channel on the connection to the machine'));
      return;
    }
    protocol.session(id, WINDOW, PACKET_SIZE);
  });
}
