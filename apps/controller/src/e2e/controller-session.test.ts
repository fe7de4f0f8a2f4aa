import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CommandResult,
  generateUserKey,
  type KeyPair,
  loginUser,
  runCommand,
  type SshdHandle,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BootstrappedDir,
  bootstrapTemp,
  type RunningController,
  startController,
} from '../testing/controller-cli.js';

/**
 * The controller as an operator runs it: the built binary, a data dir on disk, admin commands
 * from another process while `run` serves, a real sshd as the machine and the stock OpenSSH
 * client as the user.
 */
describe('juju-ssh-controller end to end', () => {
  let home: BootstrappedDir;
  let sshd: SshdHandle;
  let alice: KeyPair;
  let modelUuid: string;
  let controller: RunningController;
  let sshConfig: string;
  let knownHosts: string;

  beforeAll(async () => {
    home = await bootstrapTemp('--controller-id', 'ctl-a');
    sshd = await startSshd({ dir: await subdir(home.path, 'machine') });
    alice = await generateUserKey(home.path, 'alice');
    await home.ok('add-user', 'alice');
    await home.ok('add-ssh-key', 'alice', alice.publicLine);
    modelUuid = (await home.ok('add-model', 'prod')).trim();
    await home.ok('grant', 'alice', 'admin', 'prod');
    await home.ok(
      'add-machine',
      '-m',
      'prod',
      '0',
      '--address',
      `127.0.0.1:${sshd.port}`,
      '--host-key',
      sshd.hostKeyLine,
    );
    await home.ok('add-unit', '-m', 'prod', 'postgresql/0', '--machine', '0');
    await home.ok('add-unit', '-m', 'prod', 'postgresql/1', '--machine', '0');
    const systemLine = (
      await home.ok('system-key', '--authorized-keys-file', sshd.authorizedKeysFile)
    ).trim();
    await appendFile(sshd.authorizedKeysFile, `${systemLine}\n`);

    controller = await startController(home.dataDir);
    knownHosts = join(home.path, 'known_hosts');
    sshConfig = await writeSshConfig(home.path, {
      identityFile: alice.privateKeyPath,
      knownHostsFile: knownHosts,
    });
    await writeKnownHosts();
  });

  afterAll(async () => {
    await controller?.stop();
    await sshd?.stop();
    await home?.cleanup();
  });

  /** known_hosts from nothing but the controller's own `host-key` output. */
  async function writeKnownHosts(): Promise<void> {
    const jump = (await home.ok('host-key')).trim();
    const unit0 = (await home.ok('host-key', `0.postgresql.${modelUuid}`)).trim();
    const unit1 = (await home.ok('host-key', `1.postgresql.${modelUuid}`)).trim();
    expect(unit1).toBe(unit0);
    await writeFile(
      knownHosts,
      `[127.0.0.1]:${controller.port} ${jump}\n` +
        `0.postgresql.${modelUuid} ${unit0}\n1.postgresql.${modelUuid} ${unit1}\n`,
    );
  }

  function ssh(target: string, command: string): Promise<CommandResult> {
    return runCommand(
      'ssh',
      [
        '-F',
        sshConfig,
        '-J',
        `alice@127.0.0.1:${controller.port}`,
        `${loginUser()}@${target}`,
        command,
      ],
      { timeoutMs: 20_000 },
    );
  }

  async function ephemeralLines(controllerId: string): Promise<string[]> {
    const text = await readFile(sshd.authorizedKeysFile, 'utf8');
    return text.split('\n').filter((l) => l.includes(`juju-ssh-ephemeral:${controllerId}:`));
  }

  it('runs a command on a unit with only the host-key output in known_hosts', async () => {
    const result = await ssh(`1.postgresql.${modelUuid}`, 'echo out; echo err >&2; exit 3');
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.code).toBe(3);
  });

  it('lets admin commands take effect on the next connection while it serves', async () => {
    await home.ok('revoke', 'alice', 'admin', 'prod');
    const refused = await ssh(`0.postgresql.${modelUuid}`, 'true');
    expect(refused.code).toBe(255);
    expect(refused.stderr.toString()).toMatch(/do not have admin access to model/);
    await home.ok('grant', 'alice', 'admin', modelUuid);
    const allowed = await ssh(`0.postgresql.${modelUuid}`, 'echo back');
    expect(allowed.stdout.toString()).toBe('back\n');
  });

  it('records each session in the audit file in the data dir and in its log', async () => {
    const result = await ssh(`0.postgresql.${modelUuid}`, 'printf abc; exit 6');
    expect(result.code).toBe(6);
    await expect
      .poll(async () => {
        const text = await readFile(join(home.dataDir, 'audit.jsonl'), 'utf8');
        return text.split('\n').filter((l) => l.includes('"exitStatus":6')).length;
      })
      .toBe(1);
    const ended = controller.lines.find((l) => l.event === 'session-ended' && l.exitStatus === 6);
    expect(ended).toMatchObject({ user: 'alice', modelName: 'prod', bytesToClient: 3 });
  });

  it('shows the same host keys after a restart, and sweeps the keys a killed run left', async () => {
    const before = (await home.ok('host-key', `0.postgresql.${modelUuid}`)).trim();
    const foreign =
      'expiry-time="29991231000000Z" ssh-ed25519 ' +
      'AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB ' +
      'juju-ssh-ephemeral:ctl-other:feedface';
    await appendFile(sshd.authorizedKeysFile, `${foreign}\n`);

    const running = ssh(`0.postgresql.${modelUuid}`, 'sleep 30');
    await expect.poll(() => ephemeralLines('ctl-a'), { timeout: 10_000 }).toHaveLength(1);
    await controller.stop('SIGKILL');
    await running;
    expect(await ephemeralLines('ctl-a')).toHaveLength(1);

    controller = await startController(home.dataDir);
    expect(controller.lines.find((l) => l.msg === 'swept leftover ephemeral keys')).toMatchObject({
      swept: 1,
      failed: 0,
    });
    expect(await ephemeralLines('ctl-a')).toEqual([]);
    expect(await readFile(sshd.authorizedKeysFile, 'utf8')).toContain(foreign);

    expect((await home.ok('host-key', `0.postgresql.${modelUuid}`)).trim()).toBe(before);
    await writeKnownHosts();
    const after = await ssh(`0.postgresql.${modelUuid}`, 'echo same-keys');
    expect(after.stdout.toString()).toBe('same-keys\n');
    expect(after.code).toBe(0);
  });
});

async function subdir(parent: string, name: string): Promise<string> {
  const path = join(parent, name);
  await mkdir(path, { recursive: true });
  return path;
}
