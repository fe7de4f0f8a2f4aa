/**
 * An ssh2 client that talks to a controller as JIMM does, for tests of what a controller
 * refuses: it logs in as `external-auth` with any token, and can start the inner hop to a
 * target with any key.
 */
import { readFile } from 'node:fs/promises';
import type { Client } from 'ssh2';
import ssh2 from 'ssh2';

/** Logs in with `token`; resolves with the client, or with the failure's message. */
export function relayLogin(port: number, token: string): Promise<Client | string> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    client.once('error', (error) => resolve(error.message));
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'external-auth',
      password: token,
      tryKeyboard: false,
      hostVerifier: () => true,
    });
  });
}

/**
 * Opens the inner hop to `target` over a logged-in relay connection, as `login` with the key
 * in `privateKeyPath`, and runs `command`. Resolves with its output, or the failure's message.
 */
export async function innerCommand(
  client: Client,
  target: string,
  login: string,
  privateKeyPath: string,
  command: string,
): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  const privateKey = await readFile(privateKeyPath);
  return new Promise((resolve) => {
    client.forwardOut('127.0.0.1', 0, target, 22, (error, channel) => {
      if (error !== undefined) return resolve({ ok: false, reason: error.message });
      const inner = new ssh2.Client();
      inner.once('error', (innerError) => resolve({ ok: false, reason: innerError.message }));
      inner.once('ready', () => {
        inner.exec(command, (execError, stream) => {
          if (execError !== undefined) return resolve({ ok: false, reason: execError.message });
          let stdout = '';
          stream.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
          });
          stream.stderr.resume();
          stream.on('close', () => {
            inner.end();
            resolve({ ok: true, stdout });
          });
        });
      });
      inner.connect({ sock: channel, username: login, privateKey, hostVerifier: () => true });
    });
  });
}
