import { loginUser } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { TmuxPane } from './testing/tmux-pane.js';

describe('programs that need a real terminal, through the jump server', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  const shell = async () => {
    const pane = await TmuxPane.start(
      `ssh -F ${f.sshConfig} -J alice@127.0.0.1:${f.port} -t ${loginUser()}@0.${f.modelUuid} ` +
        `'env PS1="juju$ " bash --norc -i'; sleep 30`,
    );
    await pane.waitFor(/juju\$\s*$/m);
    return pane;
  };

  it('completes a command name with Tab', async () => {
    const pane = await shell();
    try {
      await pane.type('ech', false);
      await pane.key('Tab');
      await pane.type('completed-by-tab');
      const screen = await pane.waitFor(/^completed-by-tab$/m);
      expect(screen).toContain('juju$ echo completed-by-tab');
    } finally {
      await pane.kill();
    }
  });

  it('runs vi full-screen and saves what was typed in it', async () => {
    const pane = await shell();
    try {
      const file = `/tmp/juju-vi-${process.pid}-${Date.now()}.txt`;
      await pane.type(`vi ${file}`);
      await pane.waitFor(/^~\s*$/m);
      await pane.type('iwritten in vi', false);
      await pane.key('Escape');
      // An Escape followed at once by ':' reads as Alt-: to a terminal program; let it settle.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await pane.type(':wq');
      await pane.waitFor(/juju\$\s*$/m);
      await pane.type(`cat ${file}; rm ${file}`);
      await pane.waitFor(/^written in vi$/m);
    } finally {
      await pane.kill();
    }
  });

  it('runs top full-screen and returns to the shell when it quits', async () => {
    const pane = await shell();
    try {
      await pane.type('top -d 1');
      await pane.waitFor(/load average/);
      await pane.waitFor(/PID\s+USER/);
      await pane.type('q', false);
      await pane.type('echo top-quit');
      await pane.waitFor(/^top-quit$/m);
    } finally {
      await pane.kill();
    }
  });
});
