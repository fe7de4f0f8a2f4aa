/**
 * The bench lab on loopback: a target machine (a real sshd), a plain OpenSSH jump host (a
 * second sshd that only forwards bytes) and the controller, set up with its own admin commands,
 * plus the ssh_config and known_hosts that let stock ssh reach the target all three ways.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ephemeralKeyComment } from '@juju-ssh/ephemeral-keys';
import { knownHostsHost, knownHostsLine } from '@juju-ssh/host-keys';
import {
  generateUserKey,
  loginUser,
  makeTempDir,
  type SshdHandle,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { type AccessPath, accessPaths, type PathName } from './access-paths.js';
import {
  type ControllerProcess,
  controllerAdmin,
  controllerDataDir,
  startController,
} from './controller-process.js';

/** The controller id the lab bootstraps with; it names the lab's ephemeral key lines. */
export const CONTROLLER_ID = 'bench';

/**
 * sshd settings of both machines, as an operator of a busy machine sets them: no early drop of
 * unauthenticated connections below 4096 (the default 10:30:100 drops from the 11th), room for
 * the controller's pooled key-install channels, and sshd's own two-minute login grace.
 */
export const SSHD_TUNING = ['MaxStartups 4096', 'MaxSessions 64', 'LoginGraceTime 120'] as const;

/** The jump host also forwards TCP, which is all `ssh -J` asks of it. */
export const JUMP_HOST_TUNING = [...SSHD_TUNING, 'AllowTcpForwarding yes'] as const;

/**
 * The controller's settings for the same load. Its defaults (1000 connections, 100 still
 * logging in, 30 s to log in, 100 sessions per user, 300 new connections a minute from one
 * address, 10 s to reach a machine) suit a quiet bastion. Here every session comes from
 * 127.0.0.1 as one user (like an automation account behind one NAT address), and everything
 * waits as long as sshd's login grace.
 */
export const CONTROLLER_TUNING = [
  '--max-connections',
  '8192',
  '--max-unauthenticated',
  '4096',
  '--login-grace-time',
  '120',
  '--max-sessions-per-user',
  '4096',
  '--max-new-connections-per-source',
  '0',
  '--upstream-connect-timeout',
  '120',
] as const;

/**
 * The client waits as long as the servers do: OpenSSH's ConnectTimeout also bounds the wait for
 * the server's greeting, which takes seconds when thousands of connections arrive at once.
 */
export const CLIENT_TUNING = ['ConnectTimeout 120'] as const;

/** A running lab. */
export interface Lab {
  readonly dir: string;
  readonly loginUser: string;
  readonly target: SshdHandle;
  readonly jumpHost: SshdHandle;
  /** The current controller process; {@link Lab.restartController} replaces it. */
  readonly controller: ControllerProcess;
  readonly paths: readonly AccessPath[];
  /** Process id of an sshd's listener. */
  sshdPid(sshd: SshdHandle): number;
  /** Ephemeral key lines of this lab's controller now in the target's authorized_keys. */
  ephemeralKeysOnTarget(): number;
  /** Stops the controller and starts a fresh one on a new port; the paths follow it. */
  restartController(): Promise<ControllerProcess>;
  /** Stops everything and removes the lab's files. */
  stop(): Promise<void>;
}

/** How to build the lab. */
export interface LabOptions {
  /** When set, the controller runs under `node --cpu-prof` writing here. */
  readonly cpuProfileDir?: string;
  /** Only these paths (default: all three). */
  readonly paths?: readonly PathName[];
}

/** Starts the machines and the controller and registers the fleet. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const temp = await makeTempDir('juju-ssh-bench');
  const cleanups: Array<() => Promise<void>> = [() => temp.cleanup()];
  try {
    return await buildLab(temp.path, options, cleanups);
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    throw error;
  }
}

async function buildLab(
  dir: string,
  options: LabOptions,
  cleanups: Array<() => Promise<void>>,
): Promise<Lab> {
  const login = loginUser();
  const sshdIn = (name: string, extraConfig: readonly string[]) => {
    const machineDir = join(dir, name);
    mkdirSync(machineDir);
    return startSshd({ dir: machineDir, extraConfig });
  };
  const target = await sshdIn('target', SSHD_TUNING);
  cleanups.push(() => target.stop());
  const jumpHost = await sshdIn('jump-host', JUMP_HOST_TUNING);
  cleanups.push(() => jumpHost.stop());

  const user = await generateUserKey(dir, 'user-key');
  appendFileSync(target.authorizedKeysFile, `${user.publicLine}\n`);
  appendFileSync(jumpHost.authorizedKeysFile, `${user.publicLine}\n`);

  const dataDir = controllerDataDir(dir);
  const admin = (...args: string[]) => controllerAdmin(dataDir, args);
  admin('bootstrap', '--controller-id', CONTROLLER_ID);
  admin('add-user', 'alice');
  admin('add-ssh-key', 'alice', user.publicLine);
  const modelUuid = admin('add-model', 'bench');
  admin('grant', 'alice', 'admin', 'bench');
  const address = `127.0.0.1:${target.port}`;
  admin('add-machine', '-m', 'bench', '0', '--address', address, '--host-key', target.hostKeyLine);
  admin('add-unit', '-m', 'bench', 'ubuntu/0', '--machine', '0');
  const systemLine = admin('system-key', '--authorized-keys-file', target.authorizedKeysFile);
  appendFileSync(target.authorizedKeysFile, `${systemLine}\n`);
  const targetName = `0.ubuntu.${modelUuid}`;

  const knownHosts = join(dir, 'known_hosts');
  const config = await writeSshConfig(dir, {
    identityFile: user.privateKeyPath,
    knownHostsFile: knownHosts,
    extra: CLIENT_TUNING,
  });
  const start = () =>
    startController({
      dataDir,
      settings: CONTROLLER_TUNING,
      ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
    });
  let controller = await start();
  cleanups.push(() => controller.stop());

  const writeKnownHosts = () => {
    const line = (host: string, port: number, key: string) =>
      knownHostsLine([knownHostsHost(host, port)], key);
    const lines = [
      line('127.0.0.1', target.port, target.hostKeyLine),
      line('127.0.0.1', jumpHost.port, jumpHost.hostKeyLine),
      line('127.0.0.1', controller.port, admin('host-key')),
      knownHostsLine([targetName], admin('host-key', targetName)),
    ];
    writeFileSync(knownHosts, `${lines.join('\n')}\n`);
  };
  writeKnownHosts();

  const ephemeralMark = ephemeralKeyComment(CONTROLLER_ID, 'x').slice(0, -1);
  const endpoints = {
    config,
    login,
    target: { port: target.port },
    jumpHost: { port: jumpHost.port },
    controller: () => ({ port: controller.port, targetName }),
  };
  return {
    dir,
    loginUser: login,
    target,
    jumpHost,
    get controller() {
      return controller;
    },
    paths: accessPaths(endpoints).filter(
      (path) => options.paths === undefined || options.paths.includes(path.name),
    ),
    sshdPid: (sshd) => Number(readFileSync(join(dirname(sshd.logFile), 'sshd.pid'), 'utf8').trim()),
    ephemeralKeysOnTarget: () =>
      readFileSync(target.authorizedKeysFile, 'utf8')
        .split('\n')
        .filter((entry) => entry.includes(ephemeralMark)).length,
    restartController: async () => {
      await controller.stop();
      controller = await start();
      writeKnownHosts();
      return controller;
    },
    stop: async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    },
  };
}
