/**
 * A real OpenSSH agent for tests, on a socket of its own, optionally loaded with keys; it runs
 * in the foreground of a background process so that stopping it leaves nothing behind.
 */
import { join } from 'node:path';
import { runCommand } from '@juju-ssh/test-support';
import { type BackgroundProcess, runInBackground, waitUntil } from './network-helpers.js';

/** A running ssh-agent. */
export interface TestAgent {
  readonly socket: string;
  readonly process: BackgroundProcess;
  /** Adds the private key at `path` to the agent. */
  add(path: string): Promise<void>;
}

let counter = 0;

/** Starts `ssh-agent -D` on a new socket inside `dir`. */
export async function startAgent(dir: string): Promise<TestAgent> {
  counter += 1;
  const socket = join(dir, `agent.${process.pid}.${counter}.sock`);
  const agent = runInBackground('ssh-agent', ['-D', '-a', socket]);
  const env = { ...process.env, SSH_AUTH_SOCK: socket };
  await waitUntil('the agent socket', async () => {
    const result = await runCommand('ssh-add', ['-l'], { env });
    // 1: the agent answered and holds no keys; 2: it cannot be reached yet.
    return result.code === 0 || result.code === 1;
  });
  return {
    socket,
    process: agent,
    add: async (path) => {
      const result = await runCommand('ssh-add', [path], { env });
      if (result.code !== 0) throw new Error(`ssh-add failed: ${result.stderr.toString()}`);
    },
  };
}
