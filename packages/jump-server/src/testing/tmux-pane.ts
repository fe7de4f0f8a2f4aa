/**
 * A real terminal for tests: tmux runs a command (usually ssh) in a detached session of a fixed
 * size; keys are typed with send-keys and the screen is read with capture-pane.
 */
import { randomBytes } from 'node:crypto';
import { runCommand } from '@juju-ssh/test-support';

/** Drives a real terminal: tmux runs ssh, send-keys types, capture-pane reads the screen. */
export class TmuxPane {
  constructor(private readonly name: string) {}

  /** Starts `command` in a new 120x40 tmux session. */
  static async start(command: string): Promise<TmuxPane> {
    const name = `juju-ssh-${randomBytes(4).toString('hex')}`;
    const result = await runCommand('tmux', [
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      '120',
      '-y',
      '40',
      command,
    ]);
    if (result.code !== 0) throw new Error(`tmux failed: ${result.stderr.toString()}`);
    return new TmuxPane(name);
  }

  /** Types `keys` literally, then Enter unless told not to. */
  async type(keys: string, enter = true): Promise<void> {
    await runCommand('tmux', ['send-keys', '-t', this.name, '-l', keys]);
    if (enter) await runCommand('tmux', ['send-keys', '-t', this.name, 'Enter']);
  }

  /** Presses one named key, such as `C-c`, `Tab` or `Escape`. */
  async key(name: string): Promise<void> {
    await runCommand('tmux', ['send-keys', '-t', this.name, name]);
  }

  /** Resizes the terminal, as a user dragging the window would. */
  async resize(cols: number, rows: number): Promise<void> {
    await runCommand('tmux', [
      'resize-window',
      '-t',
      this.name,
      '-x',
      String(cols),
      '-y',
      String(rows),
    ]);
  }

  /** The text on the screen now. */
  async screen(): Promise<string> {
    const result = await runCommand('tmux', ['capture-pane', '-p', '-t', this.name]);
    return result.stdout.toString();
  }

  /** Polls the screen until it matches `pattern`; fails with the screen after the timeout. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the tmux session and what runs in it. */
  async kill(): Promise<void> {
    await runCommand('tmux', ['kill-session', '-t', this.name]);
  }
}
