import { loginUser } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { TmuxPane } from './testing/tmux-pane.js';

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
