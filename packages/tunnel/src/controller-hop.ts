/**
 * The hop from JIMM to a controller: an ssh2 client that pins the controller's jump host key
 * from JIMM's registry, logs in as the relay user with a relay token as its password, and
 * opens a forwarded channel to the target there. Every failure names the controller.
 */
import { connect as connectTcp } from 'node:net';
import type { ControllerRecord } from '@juju-ssh/controller-registry';
import {
  fingerprint,
  hostKeyAlgorithmsFor,
  JujuSshError,
  parsePublicKeyLine,
  sameKey,
} from '@juju-ssh/core';
import { PREFERRED_CIPHERS } from '@juju-ssh/jump-server';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** The user name JIMM logs in to controllers as. */
export const RELAY_USER = 'external-auth';

/** What reaching a controller takes. */
export interface ControllerHopRequest {
  readonly controller: ControllerRecord;
  readonly token: string;
  readonly targetName: string;
  readonly targetPort: number;
  /** Where the user's connection came from, passed on as the channel's originator. */
  readonly originAddress: string;
  readonly originPort: number;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
}

/** A controller connection and the channel to the target opened through it. */
export interface ControllerHop {
  readonly client: Client;
  readonly channel: ClientChannel;
}

/**
 * Connects, authenticates and opens the target's channel.
 * @throws JujuSshError `upstream-failed` or `host-key-mismatch`, naming the controller.
 */
export async function openControllerHop(request: ControllerHopRequest): Promise<ControllerHop> {
  const client = await connectController(request);
  try {
    const channel = await forward(client, request);
    return { client, channel };
  } catch (error) {
    client.end();
    throw error;
  }
}

function connectController(request: ControllerHopRequest): Promise<Client> {
  const { controller } = request;
  const recorded = parsePublicKeyLine(controller.jumpHostKey);
  const where = `controller ${controller.id} at ${controller.host}:${controller.port}`;
  let presented: Buffer | undefined;
  let authenticating = false;

  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const socket = connectTcp({ host: controller.host, port: controller.port });
    socket.setNoDelay(true);
    const fail = (error: JujuSshError) => {
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.end();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(request.connectTimeoutMs / 1000);
      fail(new JujuSshError('upstream-failed', `${where} did not answer within ${seconds}s`));
    }, request.connectTimeoutMs);

    client.once('ready', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (error: Error) => {
      if (presented !== undefined && !sameKey(presented, recorded.blob)) {
        fail(
          new JujuSshError(
            'host-key-mismatch',
            `${where} presented jump host key ${fingerprint(presented)}, but JIMM's registry ` +
              `expects ${fingerprint(recorded.blob)}; refusing to relay (if the controller's ` +
              'key really changed, register the new one)',
          ),
        );
        return;
      }
      if (authenticating && /authentication methods failed/i.test(error.message)) {
        fail(
          new JujuSshError(
            'upstream-failed',
            `${where} refused JIMM's relay token; check that it trusts this JIMM's key set ` +
              '(juju-ssh-controller trust-jimm) and that their clocks agree',
          ),
        );
        return;
      }
      fail(new JujuSshError('upstream-failed', `${where} is unreachable: ${error.message}`));
    });
    client.on('handshake', () => {
      authenticating = true;
    });

    const config: ConnectConfig = {
      sock: socket,
      username: RELAY_USER,
      password: request.token,
      tryKeyboard: false,
      readyTimeout: request.connectTimeoutMs,
      keepaliveInterval: request.keepaliveIntervalMs,
      keepaliveCountMax: request.keepaliveCountMax,
      algorithms: {
        serverHostKey: hostKeyAlgorithmsFor(recorded.type) as never,
        cipher: [...PREFERRED_CIPHERS] as never,
      },
      hostVerifier: (key: Buffer) => {
        presented = Buffer.from(key);
        return sameKey(presented, recorded.blob);
      },
    };
    client.connect(config);
  });
}

function forward(client: Client, request: ControllerHopRequest): Promise<ClientChannel> {
  const { controller } = request;
  return new Promise((resolve, reject) => {
    client.forwardOut(
      request.originAddress,
      request.originPort,
      request.targetName,
      request.targetPort,
      (error, channel) => {
        if (error === undefined) {
          resolve(channel);
          return;
        }
        const reason = error.message.length > 0 ? `: ${error.message}` : '';
        reject(
          new JujuSshError(
            'upstream-failed',
            `controller ${controller.id} refused the channel to the target${reason}`,
          ),
        );
      },
    );
  });
}
