/**
 * A bootstrapped controller process in front of a real sshd, set up for tests of whole-system
 * behaviour (faults, shutdown, logs): user alice with a key and admin on model prod, machine 0
 * trusting the controller's system key, and an ssh_config for the stock OpenSSH client. The
 * records go straight into the store file, which is much quicker than one CLI run each.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemKeyLine } from '@juju-ssh/ephemeral-keys';
import {
  knownHostsHost,
  knownHostsLine,
  machineHostKeyIdentity,
  VirtualHostKeys,
} from '@juju-ssh/host-keys';
import { SqliteStore } from '@juju-ssh/state';
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
import { loadJumpHostKey, loadSystemKey, loadVirtualHostKeySecret } from '../controller-secrets.js';
import { dataDirPaths } from '../data-dir.js';
import {
  type BootstrappedDir,
  bootstrapTemp,
  type RunningController,
  startController,
} from './controller-cli.js';

/** A controller, its machine and its user, ready for sessions. */
export interface ControllerWithMachine {
  readonly home: BootstrappedDir;
  readonly controllerId: string;
  readonly sshd: SshdHandle;
  readonly alice: KeyPair;
  readonly modelUuid: string;
  readonly sshConfig: string;
  /** The running controller; replaced by {@link start}. */
  readonly controller: RunningController;
  /** Starts the controller (again) with `args` after `run`'s own, and trusts its new port. */
  start(args?: readonly string[]): Promise<RunningController>;
  /** Starts another sshd and adds it to model prod as machine `id`, trusting the system key. */
  addMachine(id: string, options?: { sshdConfig?: readonly string[] }): Promise<SshdHandle>;
  /** Adds a machine record that points at `address`, for machines that are not there. */
  addMachineRecord(id: string, address: string, port: number, hostKeyLine: string): Promise<void>;
  /** `ssh -F config -J alice@controller LOGIN@<target> command`. */
  ssh(target: string, command: string, timeoutMs?: number): Promise<CommandResult>;
  /** The authorized_keys lines this controller's sessions left on `machine` (default sshd). */
  ephemeralLines(machine?: SshdHandle): Promise<string[]>;
  /** The audit file's text. */
  auditText(): Promise<string>;
  /** Opens the store file to change records while the controller runs. */
  withStore<T>(change: (store: SqliteStore) => T): T;
  close(): Promise<void>;
}

/** Bootstraps, fills the store, starts sshd and the controller with `runArgs`. */
export async function startControllerWithMachine(
  options: {
    controllerId?: string;
    runArgs?: readonly string[];
    /** Extra sshd_config lines for machine 0. */
    sshdConfig?: readonly string[];
  } = {},
): Promise<ControllerWithMachine> {
  const controllerId = options.controllerId ?? 'ctl-test';
  const home = await bootstrapTemp('--controller-id', controllerId);
  const paths = dataDirPaths(home.dataDir);
  const withStore = <T>(change: (store: SqliteStore) => T): T => {
    const store = SqliteStore.open(paths.store);
    try {
      return change(store);
    } finally {
      store.close();
    }
  };
  const systemLine = loadSystemKey(paths).publicLine;
  const virtualKeys = new VirtualHostKeys(loadVirtualHostKeySecret(paths));
  const knownHosts = join(home.path, 'known_hosts');
  const trusted: string[] = [];

  const alice = await generateUserKey(home.path, 'alice');
  const modelUuid = withStore((store) => {
    store.addUser('alice');
    store.addUserKey('alice', alice.publicLine);
    const model = store.addModel('prod');
    store.grant('alice', model.uuid, 'admin');
    return model.uuid;
  });

  const trustMachine = (id: string) => {
    const key = virtualKeys.forIdentity(machineHostKeyIdentity(modelUuid, id));
    trusted.push(knownHostsLine([`${id}.${modelUuid}`], key.publicLine));
  };
  const addMachineRecord = async (id: string, address: string, port: number, key: string) => {
    withStore((store) => store.addMachine({ modelUuid, id, address, port, hostKey: key }));
    trustMachine(id);
    await writeKnownHosts();
  };
  const addMachine = async (id: string, extra: { sshdConfig?: readonly string[] } = {}) => {
    const dir = join(home.path, `machine-${id}`);
    await mkdir(dir, { recursive: true });
    const sshd = await startSshd({ dir, extraConfig: extra.sshdConfig ?? [] });
    await appendFile(
      sshd.authorizedKeysFile,
      `${systemKeyLine(systemLine, { controllerId, authorizedKeysFile: sshd.authorizedKeysFile })}\n`,
    );
    await addMachineRecord(id, '127.0.0.1', sshd.port, sshd.hostKeyLine);
    return sshd;
  };

  let controller: RunningController | undefined;
  const writeKnownHosts = async () => {
    const jump =
      controller === undefined
        ? []
        : [
            knownHostsLine(
              [knownHostsHost('127.0.0.1', controller.port)],
              loadJumpHostKey(paths).publicLine,
            ),
          ];
    await writeFile(knownHosts, `${[...jump, ...trusted].join('\n')}\n`);
  };

  const sshd = await addMachine('0', { sshdConfig: options.sshdConfig ?? [] });
  const sshConfig = await writeSshConfig(home.path, {
    identityFile: alice.privateKeyPath,
    knownHostsFile: knownHosts,
  });
  const start = async (args: readonly string[] = options.runArgs ?? []) => {
    controller = await startController(home.dataDir, args);
    await writeKnownHosts();
    return controller;
  };
  await start();
  const machines = [sshd];

  return {
    home,
    controllerId,
    sshd,
    alice,
    modelUuid,
    sshConfig,
    get controller() {
      if (controller === undefined) throw new Error('the controller has not started');
      return controller;
    },
    start,
    addMachine: async (id, extra) => {
      const added = await addMachine(id, extra);
      machines.push(added);
      return added;
    },
    addMachineRecord,
    ssh: (target, command, timeoutMs = 30_000) =>
      runCommand(
        'ssh',
        [
          '-F',
          sshConfig,
          '-J',
          `alice@127.0.0.1:${controller?.port ?? 0}`,
          `${loginUser()}@${target}`,
          command,
        ],
        { timeoutMs },
      ),
    ephemeralLines: async (machine = sshd) =>
      (await readFile(machine.authorizedKeysFile, 'utf8'))
        .split('\n')
        .filter((line) => line.includes(`juju-ssh-ephemeral:${controllerId}:`)),
    auditText: () => readFile(paths.auditLog, 'utf8'),
    withStore,
    close: async () => {
      await controller?.stop('SIGKILL');
      for (const machine of machines) await machine.stop();
      await home.cleanup();
    },
  };
}
