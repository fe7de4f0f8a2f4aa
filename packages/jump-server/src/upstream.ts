/**
 * The upstream hop: an ssh2 client connection from the controller to the machine's sshd, as the
 * login user, with the session's ephemeral key. The machine's host key must equal the recorded
 * one. The TCP connect and key exchange overlap the ephemeral key's install: authentication
 * waits for the install, nothing else does.
 */
import { connect as connectTcp } from 'node:net';
import type { MachineRecord } from '@juju-ssh/core';
import {
  fingerprint,
  hostKeyAlgorithmsFor,
  JujuSshError,
  parsePublicKeyLine,
  sameKey,
} from '@juju-ssh/core';
import ssh2, { type BaseAgent, type Client, type ConnectConfig } from 'ssh2';

/** What the upstream hop needs to know. */
export interface UpstreamRequest {
  readonly machine: MachineRecord;
  /** How to name the machine in messages, e.g. `machine 0 in model prod`. */
  readonly description: string;
  readonly loginUser: string;
  /** The session's ephemeral private key (OpenSSH format). */
  readonly privateKey: string;
  /** Settles when the ephemeral key is installed on the machine. */
  readonly keyInstalled: Promise<unknown>;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Serves agent channels the machine opens once a session asks for agent forwarding. */
  readonly agent?: BaseAgent;
}

/** Ciphers in the order the proxy prefers them: AES-GCM runs in hardware on both ends. */
export const PREFERRED_CIPHERS = [
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
  'chacha20-poly1305@openssh.com',
  'aes128-ctr',
  'aes256-ctr',
] as const;

/** Opens the upstream connection; resolves once it is authenticated and ready. */
export function connectUpstream(request: UpstreamRequest): Promise<Client> {
  const { machine, description } = request;
  const recorded = parsePublicKeyLine(machine.hostKey);
  let presented: Buffer | undefined;
  let installFailure: unknown;

  return new Promise<Client>((resolve, reject) => {
    const client = new ssh2.Client();
    const socket = connectTcp({ host: machine.address, port: machine.port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      fail(
        new JujuSshError(
          'upstream-failed',
          `timed out reaching ${description} at ${endpoint(machine)} after ` +
            `${Math.round(request.connectTimeoutMs / 1000)}s`,
        ),
      );
    }, request.connectTimeoutMs);

    function fail(error: JujuSshError) {
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.end();
      socket.destroy();
      reject(error);
    }

    socket.once('error', (error: NodeJS.ErrnoException) => {
      fail(new JujuSshError('upstream-failed', reachFailure(description, machine, error)));
    });
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string }) => {
      fail(classify(error, request, recorded.blob, presented, installFailure));
    });

    const config: ConnectConfig = {
      sock: socket,
      username: request.loginUser,
      readyTimeout: request.connectTimeoutMs,
      keepaliveInterval: request.keepaliveIntervalMs,
      keepaliveCountMax: request.keepaliveCountMax,
      ...(request.agent === undefined ? {} : { agent: request.agent }),
      algorithms: {
        serverHostKey: hostKeyAlgorithmsFor(recorded.type) as never,
        cipher: [...PREFERRED_CIPHERS] as never,
      },
      hostVerifier: (key: Buffer) => {
        presented = key;
        return sameKey(key, recorded.blob);
      },
      authHandler: (_methodsLeft, _partial, next) => {
        request.keyInstalled.then(
          () => next({ type: 'publickey', username: request.loginUser, key: request.privateKey }),
          (error: unknown) => {
            installFailure = error;
            next(false as never);
          },
        );
        return undefined as never;
      },
    };
    client.connect(config);
  });
}

function endpoint(machine: MachineRecord): string {
  const host = machine.address.includes(':') ? `[${machine.address}]` : machine.address;
  return `${host}:${machine.port}`;
}

function reachFailure(
  description: string,
  machine: MachineRecord,
  error: NodeJS.ErrnoException,
): string {
  const why =
    error.code === 'ECONNREFUSED'
      ? 'connection refused (is sshd running?)'
      : error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
        ? 'no route to host'
        : (error.code ?? error.message);
  return `cannot reach ${description} at ${endpoint(machine)}: ${why}`;
}

function classify(
  error: Error & { level?: string },
  request: UpstreamRequest,
  recorded: Buffer,
  presented: Buffer | undefined,
  installFailure: unknown,
): JujuSshError {
  const { description, machine } = request;
  if (installFailure instanceof JujuSshError) return installFailure;
  if (presented !== undefined && !sameKey(presented, recorded)) {
    return new JujuSshError(
      'host-key-mismatch',
      `${description} presented host key ${fingerprint(presented)}, but ` +
        `${fingerprint(recorded)} is recorded for it; the session was refused. If the machine ` +
        `was re-imaged, an administrator records its new key with ` +
        `"juju-ssh-controller update-machine -m ${machine.modelUuid} ${machine.id} --host-key ..."`,
    );
  }
  if (error.level === 'client-authentication') {
    return new JujuSshError(
      'upstream-failed',
      `${description} did not accept the session key for login user ${request.loginUser}`,
    );
  }
  return new JujuSshError(
    'upstream-failed',
    `lost the connection to ${description} at ${endpoint(machine)}: ${error.message}`,
  );
}
