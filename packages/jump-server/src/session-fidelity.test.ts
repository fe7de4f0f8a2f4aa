import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginUser, makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { connectNested, execCollect, type NestedClient } from './testing/nested-client.js';
import { runInBackground, waitUntil } from './testing/network-helpers.js';
import { runParamiko } from './testing/paramiko.js';
import { writeSeededFile } from './testing/seeded-data.js';

describe('sessions through the jump server behave as they do on a plain sshd', () => {
  let f: JumpFixture;
  let nested: NestedClient;
  beforeAll(async () => {
    f = await startJumpFixture({
      sshdConfig: [
        'AcceptEnv JUJU_ACCEPTED_*',
        'Subsystem sftp internal-sftp',
        'Subsystem juju-echo /bin/cat',
        'Subsystem juju-env /usr/bin/env',
      ],
    });
    nested = await connectNested(f);
  });
  afterAll(async () => {
    nested?.close();
    await f?.close();
  });

  const target = () => `${loginUser()}@0.${f.modelUuid}`;
  const jump = () => `alice@127.0.0.1:${f.port}`;
  const ssh = (args: readonly string[], env?: NodeJS.ProcessEnv) =>
    runCommand('ssh', ['-F', f.sshConfig, '-J', jump(), ...args], {
      timeoutMs: 30_000,
      ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
    });

  it("returns a command's exit status unchanged", async () => {
    for (const status of [0, 7, 255]) {
      const result = await f.ssh(`0.${f.modelUuid}`, [`exit ${status}`]);
      expect({ code: result.code, stderr: result.stderr.toString() }).toEqual({
        code: status,
        stderr: '',
      });
    }
  });

  it('reports a command killed by a signal as exit-signal with its name', async () => {
    const outcome = await execCollect(nested.inner, 'echo before; kill -TERM $$');
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toBe('before\n');
    expect(outcome.code).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
  });

  it('carries a signal from the user to the command', async () => {
    const outcome = await new Promise<{ signal: string | undefined }>((resolve, reject) => {
      nested.inner.exec('echo started; sleep 30', (error, stream) => {
        if (error !== undefined) return reject(error);
        let signal: string | undefined;
        stream.once('data', () => stream.signal('KILL'));
        stream.on('exit', (_code: number | null, name?: string) => {
          signal = name;
        });
        stream.on('close', () => resolve({ signal }));
      });
    });
    expect(outcome.signal).toBe('SIGKILL');
  });

  it('keeps 20 MiB of input sent before the machine is ready', async () => {
    const path = join(f.dir, 'input-20m.bin');
    const digest = await writeSeededFile(path, 20 * 1024 * 1024, 'early-input');
    const result = await f.ssh(`0.${f.modelUuid}`, ['sha256sum'], {
      input: await readFile(path),
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe(`${digest}  -\n`);
  });

  it('copies a tree with rsync, and a second run finds nothing to send', async () => {
    const tree = join(f.dir, 'tree');
    await mkdir(join(tree, 'sub', 'deeper'), { recursive: true });
    await writeSeededFile(join(tree, 'big.bin'), 3 * 1024 * 1024, 'rsync-big');
    await writeFile(join(tree, 'sub', 'small.txt'), 'small\n');
    await writeFile(join(tree, 'sub', 'deeper', 'empty'), '');
    const remote = await makeTempDir('rsync-remote');
    try {
      const rsync = () =>
        runCommand(
          'rsync',
          [
            '-a',
            '--itemize-changes',
            '-e',
            `ssh -F ${f.sshConfig} -J ${jump()}`,
            `${tree}/`,
            `${target()}:${remote.path}/`,
          ],
          { timeoutMs: 60_000 },
        );
      const first = await rsync();
      expect(first.stderr.toString()).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout.toString()).toContain('sub/deeper/empty');
      expect(await readFile(join(remote.path, 'sub', 'small.txt'), 'utf8')).toBe('small\n');
      const second = await rsync();
      expect(second.code).toBe(0);
      expect(second.stdout.toString()).toBe('');
    } finally {
      await remote.cleanup();
    }
  });

  it("passes the user's EOF on and keeps carrying output after it", async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['cat; sleep 0.3; echo after-eof'], {
      input: 'abc\n',
    });
    expect(result.stdout.toString()).toBe('abc\nafter-eof\n');
    expect(result.code).toBe(0);
  });

  it("passes the machine's EOF on while the user keeps sending (half-close)", async () => {
    const code = await new Promise<number | null>((resolve, reject) => {
      const command = 'exec 1>&- 2>&-; read line; [ "$line" = hello ] && exit 3; exit 4';
      nested.inner.exec(command, (error, stream) => {
        if (error !== undefined) return reject(error);
        let status: number | null = null;
        stream.on('exit', (exitCode: number | null) => {
          status = exitCode;
        });
        stream.on('end', () => stream.end('hello\n'));
        stream.resume();
        stream.on('close', () => resolve(status));
      });
    });
    expect(code).toBe(3);
  });

  it("passes the environment the machine's sshd accepts, and only that", async () => {
    const result = await ssh(
      [
        '-o',
        'SendEnv=JUJU_ACCEPTED_ONE JUJU_REFUSED_TWO',
        target(),
        'echo "$JUJU_ACCEPTED_ONE/$JUJU_REFUSED_TWO"',
      ],
      { JUJU_ACCEPTED_ONE: 'one', JUJU_REFUSED_TWO: 'two' },
    );
    expect(result.stdout.toString()).toBe('one/\n');
  });

  it('serves a channel that asks only for a subsystem, without hanging', async () => {
    const result = await ssh(['-s', target(), 'sftp'], {});
    expect(result.code).toBe(0);
  });

  it('carries any other subsystem the machine offers', async () => {
    const result = await runCommand(
      'ssh',
      ['-F', f.sshConfig, '-J', jump(), '-s', target(), 'juju-echo'],
      { input: 'through a custom subsystem\n', timeoutMs: 30_000 },
    );
    expect(result.stdout.toString()).toBe('through a custom subsystem\n');
    expect(result.code).toBe(0);
  });

  it('starts a subsystem with the environment the session asked for', async () => {
    const result = await ssh(
      ['-o', 'SendEnv=JUJU_ACCEPTED_SUBSYSTEM', '-s', target(), 'juju-env'],
      { JUJU_ACCEPTED_SUBSYSTEM: 'for-the-subsystem' },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toMatch(/^JUJU_ACCEPTED_SUBSYSTEM=for-the-subsystem$/m);
  });

  it('says so when the machine refuses a subsystem it does not offer', async () => {
    const result = await ssh(['-s', target(), 'no-such-subsystem'], {});
    expect(result.stderr.toString()).toContain(
      'juju-ssh: the machine refused to start the subsystem "no-such-subsystem"',
    );
    expect(result.code).toBe(255);
  });

  it("never passes the machine's own host keys on to the user's known_hosts", async () => {
    const before = await readFile(f.knownHostsFile, 'utf8');
    const result = await ssh(['-o', 'UpdateHostKeys=yes', target(), 'true'], {});
    expect(result.code).toBe(0);
    const after = await readFile(f.knownHostsFile, 'utf8');
    expect(after).toBe(before);
    const machineKey = f.sshd.hostKeyLine.split(' ')[1] ?? 'missing';
    expect(after).not.toContain(machineKey);
  });

  it('answers every request that wants a reply, before and after the command starts', async () => {
    const result = await runParamiko(f, ['probe-requests']);
    expect(result.stderr.toString()).toBe('');
    expect(JSON.parse(result.stdout.toString())).toEqual({
      'channel request before the command': true,
      'channel request after the command started': true,
      'global keepalive request': true,
    });
  });

  it('refuses X11 forwarding clearly and runs the session anyway', async () => {
    const result = await ssh(['-o', 'LogLevel=INFO', '-X', target(), 'echo no-x11-needed'], {
      DISPLAY: '127.0.0.1:42',
    });
    expect(result.stdout.toString()).toBe('no-x11-needed\n');
    expect(result.stderr.toString()).toContain(
      'X11 forwarding is not carried through the controller',
    );
    expect(result.code).toBe(0);
  });

  it('runs several sessions over one multiplexed connection (ControlMaster)', async () => {
    const control = join(f.dir, 'control.sock');
    const master = runInBackground('ssh', [
      '-F',
      f.sshConfig,
      '-J',
      jump(),
      '-M',
      '-S',
      control,
      '-N',
      target(),
    ]);
    try {
      await waitUntil('the control socket', async () => {
        const check = await runCommand('ssh', ['-S', control, '-O', 'check', target()]);
        return check.code === 0;
      });
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          runCommand('ssh', ['-F', f.sshConfig, '-S', control, target(), `echo s${n}; exit ${n}`]),
        ),
      );
      expect(results.map((r) => r.stderr.toString())).toEqual(['', '', '', '']);
      expect(results.map((r) => r.stdout.toString())).toEqual(['s1\n', 's2\n', 's3\n', 's4\n']);
      expect(results.map((r) => r.code)).toEqual([1, 2, 3, 4]);
    } finally {
      await master.stop();
    }
  });
});
