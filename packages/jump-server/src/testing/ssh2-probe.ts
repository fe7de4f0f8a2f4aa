/**
 * A programmable SSH client for tests that need what OpenSSH will not send: arbitrary target
 * names. It opens the forwarded channel and starts the inner hop on it, and reports the reason
 * the jump server gave when it refused.
 */
import { readFile } from 'node:fs/promises';
import { Client } from 'ssh2';

export interface TargetOutcome {
  readonly refused: boolean;
  /** The text the server sent with its refusal. */
  readonly reason: string;
}

/** Logs in as `user`, opens a channel to `target` and tries the inner handshake over it. */
export async function tryTarget(options: {
  port: number;
  user: string;
  privateKeyPath: string;
  target: string;
}): Promise<TargetOutcome> {
  const privateKey = await readFile(options.privateKeyPath);
  return new Promise((resolve, reject) => {
    const outer = new Client();
    outer.on('error', reject);
    outer.on('ready', () => {
      outer.forwardOut('127.0.0.1', 0, options.target, 22, (error, channel) => {
        if (error !== undefined) {
          outer.end();
          resolve({ refused: true, reason: error.message });
          return;
        }
        const inner = new Client();
        inner.on('error', (innerError) => {
          outer.end();
          resolve({ refused: true, reason: innerError.message });
        });
        inner.on('ready', () => {
          inner.end();
          outer.end();
          resolve({ refused: false, reason: '' });
        });
        inner.connect({
          sock: channel,
          username: 'nobody',
          privateKey,
          hostVerifier: () => true,
        });
      });
    });
    outer.connect({
      host: '127.0.0.1',
      port: options.port,
      username: options.user,
      privateKey,
      hostVerifier: () => true,
    });
  });
}
