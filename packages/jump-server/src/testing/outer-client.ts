/**
 * An ssh2 client for tests that drive the jump server below what OpenSSH offers: many
 * channels on one outer connection, inner hops opened and held on purpose, raw channel access.
 */
import { readFile } from 'node:fs/promises';
import type { Client, ClientChannel } from 'ssh2';
import ssh2 from 'ssh2';

/** Logs in to the jump server on 127.0.0.1:`port` as `user`; resolves once ready. */
export async function connectOuter(
  port: number,
  user: string,
  privateKeyPath: string,
): Promise<Client> {
  const privateKey = await readFile(privateKeyPath);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port,
      username: user,
      privateKey,
      hostVerifier: () => true,
      readyTimeout: 20_000,
    });
  });
}

/** Opens a direct-tcpip channel to `target`; resolves with the channel or the refusal. */
export function openTarget(client: Client, target: string): Promise<ClientChannel | Error> {
  return new Promise((resolve) => {
    client.forwardOut('127.0.0.1', 0, target, 22, (error, channel) =>
      resolve(error === undefined ? channel : error),
    );
  });
}

/**
 * Runs the inner hop over `channel` as login user `login` with the same key; resolves with the
 * ready inner client, or rejects with the reason the server gave.
 */
export async function connectInner(
  channel: ClientChannel,
  login: string,
  privateKeyPath: string,
): Promise<Client> {
  const privateKey = await readFile(privateKeyPath);
  return new Promise((resolve, reject) => {
    const inner = new ssh2.Client();
    inner.once('ready', () => resolve(inner));
    inner.once('error', reject);
    inner.connect({
      sock: channel,
      username: login,
      privateKey,
      hostVerifier: () => true,
      readyTimeout: 20_000,
    });
  });
}

/** What a command run with {@link execOn} printed and how it ended. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs `command` on an inner client and collects its output. */
export function execOn(inner: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    inner.exec(command, (error, stream) => {
      if (error !== undefined) return reject(error);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      stream.on('exit', (status: number | null) => {
        code = status;
      });
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}
