import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loginUser, makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientKeys, prepareClientKeys } from './testing/client-keys.js';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { sha256File, writeSeededFile } from './testing/seeded-data.js';
import { TmuxPane } from './testing/tmux-pane.js';

type TempDir = Awaited<ReturnType<typeof makeTempDir>>;

describe('PuTTY and Dropbear clients through the jump server', () => {
  let f: JumpFixture;
  let keys: ClientKeys;
  let remote: TempDir;
  let payload: string;
  let digest: string;
  beforeAll(async () => {
    f = await startJumpFixture();
    keys = await prepareClientKeys(f);
    remote = await makeTempDir('client-matrix');
    payload = join(f.dir, 'payload.bin');
    digest = await writeSeededFile(payload, 3 * 1024 * 1024, 'client-matrix');
  });
  afterAll(async () => {
    await remote?.cleanup();
    await f?.close();
  });

  const env = () => ({ ...process.env, HOME: keys.home });
  const target = () => `${loginUser()}@0.${f.modelUuid}`;
  const run = (command: string, args: readonly string[], input?: Buffer) =>
    runCommand(command, args, {
      env: env(),
      timeoutMs: 60_000,
      ...(input === undefined ? {} : { input }),
    });

  describe("PuTTY's plink and pscp, jumping with -proxycmd and keys pinned by -hostkey", () => {
    const puttyArgs = () => [
      '-batch',
      '-i',
      keys.puttyKey,
      '-hostkey',
      keys.targetFingerprint,
      '-proxycmd',
      `plink -ssh -batch -P ${f.port} -i ${keys.puttyKey} -hostkey ${keys.jumpFingerprint} ` +
        '-nc %host:%port alice@127.0.0.1',
    ];

    it('runs a command and returns its exit status', async () => {
      const result = await run('plink', ['-ssh', ...puttyArgs(), target(), 'echo plink; exit 7']);
      expect(result.stdout.toString()).toBe('plink\n');
      expect(result.code).toBe(7);
    });

    it('copies a file each way with pscp (SFTP, and legacy SCP up), checksums matching', async () => {
      const up = await run('pscp', [...puttyArgs(), payload, `${target()}:${remote.path}/p.bin`]);
      expect(up.code).toBe(0);
      expect(await sha256File(join(remote.path, 'p.bin'))).toBe(digest);
      const legacy = await run('pscp', [
        '-scp',
        ...puttyArgs(),
        payload,
        `${target()}:${remote.path}/p-scp.bin`,
      ]);
      expect(legacy.code).toBe(0);
      expect(await sha256File(join(remote.path, 'p-scp.bin'))).toBe(digest);
      const back = join(f.dir, 'pscp-back.bin');
      const down = await run('pscp', [...puttyArgs(), `${target()}:${remote.path}/p.bin`, back]);
      expect(down.code).toBe(0);
      expect(await sha256File(back)).toBe(digest);
    });

    it('opens an interactive terminal', async () => {
      const quoted = puttyArgs().map((arg) => `'${arg}'`);
      const pane = await TmuxPane.start(
        `HOME=${keys.home} plink -ssh -t ${quoted.join(' ')} ${target()}; sleep 30`,
      );
      try {
        await pane.type('export PS1="putty$ "');
        await pane.waitFor(/putty\$\s*$/m);
        await pane.type('tty; echo "cols=$(tput cols)"');
        const screen = await pane.waitFor(/cols=\d+/);
        expect(screen).toMatch(/\/dev\/pts\/\d+/);
        expect(screen).toMatch(/cols=120/);
      } finally {
        await pane.kill();
      }
    });
  });

  describe("Dropbear's dbclient, multi-hop, keys pinned in ~/.ssh/known_hosts", () => {
    // dbclient starts the next hop by running itself, so it needs its full path.
    const DBCLIENT = '/usr/bin/dbclient';
    const hops = () => `alice@127.0.0.1/${f.port},${target()}`;

    it('runs a command and returns its exit status', async () => {
      const result = await run(DBCLIENT, ['-i', keys.dropbearKey, hops(), 'echo db; exit 5']);
      expect(result.stdout.toString()).toBe('db\n');
      expect(result.code).toBe(5);
    });

    it('refuses a target whose host key is not the pinned one', async () => {
      // Pin the jump host's key for a unit: the target's real (virtual) key must not match it.
      const knownHosts = join(keys.home, '.ssh', 'known_hosts');
      const jumpLine = (await readFile(knownHosts, 'utf8')).split('\n')[0]?.split(' ').slice(1);
      await appendFile(knownHosts, `1.postgresql.${f.modelUuid} ${jumpLine?.join(' ')}\n`);
      const result = await run(DBCLIENT, [
        '-i',
        keys.dropbearKey,
        `alice@127.0.0.1/${f.port},${loginUser()}@1.postgresql.${f.modelUuid}`,
        'echo should-not-run',
      ]);
      expect(result.stdout.toString()).toBe('');
      expect(result.code).not.toBe(0);
      expect(result.stderr.toString()).toMatch(/host key mismatch/i);
    });

    it('copies a file each way through cat, checksums matching', async () => {
      const path = `${remote.path}/db.bin`;
      const up = await run(
        DBCLIENT,
        ['-i', keys.dropbearKey, hops(), `cat > ${path}`],
        await readFile(payload),
      );
      expect(up.code).toBe(0);
      expect(await sha256File(path)).toBe(digest);
      const down = await run(DBCLIENT, ['-i', keys.dropbearKey, hops(), `cat ${path}`]);
      expect(down.code).toBe(0);
      expect(createHash('sha256').update(down.stdout).digest('hex')).toBe(digest);
    });

    it('opens an interactive terminal', async () => {
      const pane = await TmuxPane.start(
        `HOME=${keys.home} ${DBCLIENT} -t -i ${keys.dropbearKey} ${hops()}; sleep 30`,
      );
      try {
        await pane.type('export PS1="dropbear$ "');
        await pane.waitFor(/dropbear\$\s*$/m);
        await pane.type('tty; echo "cols=$(tput cols)"');
        const screen = await pane.waitFor(/cols=\d+/);
        expect(screen).toMatch(/\/dev\/pts\/\d+/);
        expect(screen).toMatch(/cols=120/);
      } finally {
        await pane.kill();
      }
    });
  });
});
