import { randomBytes } from 'node:crypto';
import { loginUser, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

/** Drives a real terminal: tmux runs ssh, send-keys types, capture-pane reads the screen. */
class TmuxPane {
  constructor(private readonly name: string) {}

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

  async type(keys: string, enter = true): Promise<void> {
    await runCommand('tmux', ['send-keys', '-t', this.name, '-l', keys]);
    if (enter) await runCommand('tmux', ['send-keys', '-t', this.name, 'Enter']);
  }

  async key(name: string): Promise<void> {
    await runCommand('tmux', ['send-keys', '-t', this.name, name]);
  }

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

  async screen(): Promise<string> {
    const result = await runCommand('tmux', ['capture-pane', '-p', '-t', this.name]);
    return result.stdout.toString();
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async kill(): Promise<void> {
    await runCommand('tmux', ['kill-session', '-t', this.name]);
  }
}

describe('interactive terminals through the jump server', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  const sshCommand = (extra: string) =>
    `ssh -F ${f.sshConfig} -J alice@127.0.0.1:${f.port} -t ${loginUser()}@0.${f.modelUuid} ${extra}`;

  it('gives an interactive shell with a terminal that the user types into', async () => {
    const pane = await TmuxPane.start(`${sshCommand('')}; echo SSH-EXITED-$?; sleep 30`);
    try {
      await pane.type('export PS1="juju$ "');
      await pane.waitFor(/juju\$\s*$/m);
      await pane.type('tty; echo "cols=$(tput cols)"');
      const screen = await pane.waitFor(/cols=\d+/);
      expect(screen).toMatch(/\/dev\/pts\/\d+/);
      expect(screen).toMatch(/cols=120/);
      await pane.type('exit 5');
      await pane.waitFor(/SSH-EXITED-5/);
    } finally {
      await pane.kill();
    }
  });

  it('passes a window resize on to the machine', async () => {
    const pane = await TmuxPane.start(`${sshCommand("'stty size; sleep 3; stty size'")}; sleep 30`);
    try {
      await pane.waitFor(/^40 120$/m);
      await pane.resize(100, 30);
      const screen = await pane.waitFor(/^30 100$/m);
      expect(screen).toMatch(/^40 120$/m);
    } finally {
      await pane.kill();
    }
  });

  it('interrupts a running command with Ctrl-C and keeps the shell usable', async () => {
    const pane = await TmuxPane.start(`${sshCommand('')}; sleep 30`);
    try {
      await pane.type('export PS1="juju$ "');
      await pane.waitFor(/juju\$\s*$/m);
      await pane.type('sleep 60');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await pane.key('C-c');
      await pane.type('echo after-interrupt');
      await pane.waitFor(/^after-interrupt$/m, 5000);
    } finally {
      await pane.kill();
    }
  });
});
