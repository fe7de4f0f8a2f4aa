import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginUser, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JimmWorld, startJimmWorld } from '../testing/jimm-world.js';
import { TmuxPane } from '../testing/tmux-pane.js';

/** Polls `read` until `accept` holds or the deadline passes. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('sessions relayed through JIMM', () => {
  let w: JimmWorld;
  beforeAll(async () => {
    w = await startJimmWorld();
  }, 240_000);
  afterAll(async () => {
    await w?.close();
  });

  it('reaches the machines behind both controllers and returns their exit status', async () => {
    for (const side of w.controllers) {
      const result = await w.ssh(side.target, [`echo reached-${side.id}; exit 7`]);
      expect(result.stderr.toString()).toBe('');
      expect(result.stdout.toString()).toBe(`reached-${side.id}\n`);
      expect(result.code).toBe(7);
    }
  });

  it('relays only ciphertext: what the machine prints never appears in the bytes JIMM carried', async () => {
    const nonce = randomBytes(12).toString('hex');
    const before = (await readFile(w.captureFile).catch(() => Buffer.alloc(0))).length;
    // The marker is assembled on the machine, so it travels only in the session's output.
    const result = await w.ssh(w.controllers[1].target, [
      `printf 'PLAINTEXT-%s-%s\\n' MARKER ${nonce}; head -c 200000 /dev/zero | tr '\\0' x`,
    ]);
    const marker = `PLAINTEXT-MARKER-${nonce}`;
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain(marker);

    const captured = (await readFile(w.captureFile)).subarray(before);
    expect(captured.length).toBeGreaterThan(200_000);
    // The capture is real: the inner hop's version exchange is the one part sent in clear.
    expect(captured.toString('latin1')).toContain('SSH-2.0-');
    expect(captured.includes(marker)).toBe(false);
    expect(captured.includes(nonce)).toBe(false);
    expect(captured.includes('x'.repeat(64))).toBe(false);
  });

  it('shows the same virtual host key as the direct path, so one known_hosts line serves both', async () => {
    const side = w.controllers[0];
    const direct = await w.ssh(side.target, ['echo direct'], { jumpPort: side.daemon.port });
    const relayed = await w.ssh(side.target, ['echo relayed']);
    expect(direct.stdout.toString()).toBe('direct\n');
    expect(relayed.stdout.toString()).toBe('relayed\n');
    // One line, holding what the controller's own host-key command prints for the target.
    const lines = (await readFile(w.knownHostsFile, 'utf8')).split('\n');
    const targetLines = lines.filter((line) => line.includes(side.target));
    expect(targetLines).toHaveLength(1);
    expect(targetLines[0]).toContain((await side.ok('host-key', side.target)).trim());
  });

  it('gives an interactive terminal that the user types into', async () => {
    const command = w.sshCommandLine(w.controllers[1].target);
    const pane = await TmuxPane.start(`${command}; echo SSH-EXITED-$?; sleep 30`);
    try {
      await pane.type('export PS1="relayed$ "');
      await pane.waitFor(/relayed\$\s*$/m);
      await pane.type('tty; echo "cols=$(tput cols)"');
      const screen = await pane.waitFor(/cols=\d+/);
      expect(screen).toMatch(/\/dev\/pts\/\d+/);
      expect(screen).toMatch(/cols=120/);
      await pane.type('exit 3');
      await pane.waitFor(/SSH-EXITED-3/);
    } finally {
      await pane.kill();
    }
  });

  it('transfers a file both ways with sftp', async () => {
    const payload = randomBytes(1024 * 1024 + 123);
    const local = join(w.dir, 'upload.bin');
    const back = join(w.dir, 'download.bin');
    // Relative: in the login user's home on the machine.
    const remote = `jimm-sftp-${randomBytes(6).toString('hex')}`;
    await writeFile(local, payload);
    const batch = join(w.dir, 'sftp-batch');
    await writeFile(batch, `put ${local} ${remote}\nget ${remote} ${back}\nrm ${remote}\n`);
    const target = `${loginUser()}@${w.controllers[0].target}`;
    const result = await runCommand(
      'sftp',
      ['-F', w.sshConfig, '-J', `alice@127.0.0.1:${w.jimm.port}`, '-b', batch, target],
      { timeoutMs: 60_000 },
    );
    expect(result.stderr.toString()).toBe('');
    expect(result.code).toBe(0);
    expect((await readFile(back)).equals(payload)).toBe(true);
  });

  it("records the relay at JIMM and the session at the controller as via 'jimm'", async () => {
    const side = w.controllers[0];
    await w.ssh(side.target, ['true']);
    const auditFile = join(side.dataDir, 'audit.jsonl');
    const read = async () =>
      (await readFile(auditFile, 'utf8'))
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const records = await eventually(read, (all) =>
      all.some((r) => r.event === 'session-ended' && r.via === 'jimm'),
    );
    const started = records.filter((r) => r.event === 'session-started');
    expect(started.some((r) => r.via === 'jimm' && r.user === 'alice')).toBe(true);
    expect(started.some((r) => r.via === 'direct' && r.user === 'alice')).toBe(true);

    const jimmRecords = await eventually(w.jimmAudit, (all) =>
      all.some((r) => r.event === 'relay-ended'),
    );
    const relays = jimmRecords.filter((r) => r.event === 'relay-started');
    expect(relays.some((r) => r.controllerId === 'ctl-a' && r.user === 'alice')).toBe(true);
    expect(relays.some((r) => r.controllerId === 'ctl-b')).toBe(true);
  });
});
