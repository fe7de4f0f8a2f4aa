/**
 * A real terminal for tests: tmux runs the command in a detached session of a known size,
 * `type` sends keys, and `waitFor` polls the captured screen.
 */
import { randomBytes } from 'node:crypto';
import { runCommand } from '@juju-ssh/test-support';

/** One tmux session running one command. */
export class TmuxPane {
  private constructor(private readonly name: string) {}

  /** Starts `command` in a 120x40 terminal. */
  static async start(command: string): Promise<TmuxPane> {
    const name = `jimm-${randomBytes(4).toString('hex')}`;
    const args = ['new-session', '-d', '-s', name, '-x', '120', '-y', '40', command];
    const result = await runCommand('tmux', args);
    if (result.code !== 0) throw new Error(`tmux failed: ${result.stderr.toString()}`);
    return new TmuxPane(name);
  }

  /** Types `keys` literally, then Enter. */
  async type(keys: string): Promise<void> {
    await runCommand('tmux', ['send-keys', '-t', this.name, '-l', keys]);
    await runCommand('tmux', ['send-keys', '-t', this.name, 'Enter']);
  }

  /** Resolves with the screen once it matches `pattern`; fails after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = (await runCommand('tmux', ['capture-pane', '-p', '-t', this.name])).stdout;
      if (pattern.test(screen.toString())) return screen.toString();
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the tmux session. */
  async kill(): Promise<void> {
    await runCommand('tmux', ['kill-session', '-t', this.name]);
  }
}
