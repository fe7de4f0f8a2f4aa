/**
 * A whole relayed setup on loopback for tests, every part a real process: one JIMM, two
 * controllers each with a real sshd as its machine, users with keys made by ssh-keygen, and an
 * ssh_config for the stock OpenSSH client that pins JIMM's and the targets' keys.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadHostKeyFile,
  machineHostKeyIdentity,
  readSecretFile,
  VirtualHostKeys,
} from '@juju-ssh/host-keys';
import { SqliteStore } from '@juju-ssh/state';
import {
  type CommandResult,
  generateUserKey,
  type KeyPair,
  loginUser,
  makeTempDir,
  runCommand,
  type SshdHandle,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { CONTROLLER_MAIN, cliOk, type Daemon, JIMM_MAIN, startDaemon } from './daemon.js';

/** One controller with its machine. */
export interface ControllerSide {
  readonly id: string;
  readonly dataDir: string;
  readonly sshd: SshdHandle;
  readonly modelUuid: string;
  /** `0.postgresql.<model-uuid>`: a unit on machine 0. */
  readonly target: string;
  readonly jumpHostKey: string;
  /** The virtual host key of machine 0, which its units share. */
  readonly virtualHostKey: string;
  daemon: Daemon;
  /** Runs a controller admin command against this data directory. */
  ok(...args: string[]): Promise<string>;
}

/** Options of one `ssh` run. */
export interface SshRun {
  readonly user?: string;
  readonly config?: string;
  readonly input?: string | Buffer;
  readonly extraArgs?: readonly string[];
  /** Jump through this port instead of JIMM's (a controller's, for the direct path). */
  readonly jumpPort?: number;
}

/** The running world. */
export interface JimmWorld {
  readonly dir: string;
  readonly jimmDataDir: string;
  readonly controllers: readonly [ControllerSide, ControllerSide];
  readonly jimm: Daemon;
  readonly users: { readonly alice: KeyPair; readonly bob: KeyPair; readonly carol: KeyPair };
  readonly sshConfig: string;
  readonly knownHostsFile: string;
  /** Where JIMM copies every byte it relays. */
  readonly captureFile: string;
  /** An ssh_config like the world's, offering `identityFile`. */
  configFor(identityFile: string): Promise<string>;
  /** Runs a JIMM admin command; it must succeed. */
  jimmOk(...args: string[]): Promise<string>;
  /** `ssh -F config -J USER@127.0.0.1:JIMM LOGIN@target args…` */
  ssh(target: string, args: readonly string[], run?: SshRun): Promise<CommandResult>;
  /** The shell command line the stock client runs for `target` (for a terminal). */
  sshCommandLine(target: string, extra?: string): string;
  /** JIMM's audit records. */
  jimmAudit(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Starts the world. Alice has admin on both models at JIMM, bob on the first, carol none. */
export async function startJimmWorld(): Promise<JimmWorld> {
  const temp = await makeTempDir('jimm-world');
  const dir = temp.path;
  const users = {
    alice: await generateUserKey(dir, 'alice'),
    bob: await generateUserKey(dir, 'bob'),
    carol: await generateUserKey(dir, 'carol'),
  };

  const jimmDataDir = join(dir, 'jimm');
  await cliOk(JIMM_MAIN, [
    'bootstrap',
    '--data-dir',
    jimmDataDir,
    '--jimm-id',
    'jimm-test',
    '--ssh-address',
    '127.0.0.1:0',
  ]);
  const jimmOk = (...args: string[]) => cliOk(JIMM_MAIN, [...args, '--data-dir', jimmDataDir]);
  const jwksFile = join(dir, 'jimm.jwks');
  await writeFile(jwksFile, await jimmOk('jwks'));

  const controllers = [
    await startControllerSide(dir, 'ctl-a', jwksFile, users.alice),
    await startControllerSide(dir, 'ctl-b', jwksFile, users.alice),
  ] as const;

  for (const [name, key] of Object.entries(users)) {
    await jimmOk('add-user', name);
    await jimmOk('add-ssh-key', name, key.publicLine);
  }
  for (const side of controllers) {
    await jimmOk(
      'add-controller',
      side.id,
      '--address',
      `127.0.0.1:${side.daemon.port}`,
      '--jump-host-key',
      side.jumpHostKey,
    );
    await jimmOk(
      'add-model',
      `model-${side.id}`,
      '--controller',
      side.id,
      '--uuid',
      side.modelUuid,
    );
    await jimmOk('grant', 'alice', 'admin', side.modelUuid);
  }
  await jimmOk('grant', 'bob', 'admin', controllers[0].modelUuid);

  const captureFile = join(dir, 'relayed.bin');
  const jimm = await startDaemon(JIMM_MAIN, [
    '--data-dir',
    jimmDataDir,
    '--ssh-address',
    '127.0.0.1:0',
    '--capture-relayed-bytes',
    captureFile,
    '--controller-connect-timeout',
    '60',
  ]);

  const knownHostsFile = join(dir, 'known_hosts');
  const jimmKey = (await jimmOk('host-key')).trim();
  const lines = [`[127.0.0.1]:${jimm.port} ${jimmKey}`];
  for (const side of controllers) {
    lines.push(`[127.0.0.1]:${side.daemon.port} ${side.jumpHostKey}`);
    lines.push(`${side.target},0.${side.modelUuid} ${side.virtualHostKey}`);
  }
  await writeFile(knownHostsFile, `${lines.join('\n')}\n`);
  const configFor = (identityFile: string) => writeSshConfig(dir, { identityFile, knownHostsFile });
  const sshConfig = await configFor(users.alice.privateKeyPath);

  const jumpArgs = (run: SshRun) => [
    '-F',
    run.config ?? sshConfig,
    '-J',
    `${run.user ?? 'alice'}@127.0.0.1:${run.jumpPort ?? jimm.port}`,
  ];
  return {
    dir,
    jimmDataDir,
    controllers,
    jimm,
    users,
    sshConfig,
    knownHostsFile,
    captureFile,
    configFor,
    jimmOk,
    ssh: (target, args, run = {}) =>
      runCommand(
        'ssh',
        [...jumpArgs(run), ...(run.extraArgs ?? []), `${loginUser()}@${target}`, ...args],
        {
          ...(run.input === undefined ? {} : { input: run.input }),
          timeoutMs: 30_000,
        },
      ),
    sshCommandLine: (target, extra = '') =>
      `ssh ${jumpArgs({}).join(' ')} -t ${loginUser()}@${target} ${extra}`,
    jimmAudit: async () =>
      (await readFile(join(jimmDataDir, 'audit.jsonl'), 'utf8'))
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await jimm.stop();
      for (const side of controllers) {
        await side.daemon.stop();
        await side.sshd.stop();
      }
      await temp.cleanup();
    },
  };
}

async function startControllerSide(
  dir: string,
  id: string,
  jwksFile: string,
  alice: KeyPair,
): Promise<ControllerSide> {
  const machineDir = join(dir, `machine-${id}`);
  await mkdir(machineDir, { recursive: true });
  const sshd = await startSshd({ dir: machineDir });
  const dataDir = join(dir, id);
  await cliOk(CONTROLLER_MAIN, [
    'bootstrap',
    '--data-dir',
    dataDir,
    '--controller-id',
    id,
    '--jimm-jwks',
    jwksFile,
  ]);
  const ok = (...args: string[]) => cliOk(CONTROLLER_MAIN, [...args, '--data-dir', dataDir]);
  const systemLine = (
    await ok('system-key', '--authorized-keys-file', sshd.authorizedKeysFile)
  ).trim();
  await appendFile(sshd.authorizedKeysFile, `${systemLine}\n`);

  // The controller's own admin commands are tested with its app; here its store is filled
  // directly, which is quicker than a process per change.
  const store = SqliteStore.open(join(dataDir, 'store.db'));
  const modelUuid = store.addModel(`prod-${id}`).uuid;
  store.addMachine({
    modelUuid,
    id: '0',
    address: '127.0.0.1',
    port: sshd.port,
    hostKey: sshd.hostKeyLine,
  });
  store.addUnit({ modelUuid, application: 'postgresql', number: 0, machineId: '0' });
  // Alice also exists on the controller itself, so the direct path can be compared.
  store.addUser('alice');
  store.addUserKey('alice', alice.publicLine);
  store.grant('alice', modelUuid, 'admin');
  store.close();

  const jumpHostKey = loadHostKeyFile(join(dataDir, 'secrets', 'jump-host-key')).publicLine;
  const virtualHostKeys = new VirtualHostKeys(
    readSecretFile(join(dataDir, 'secrets', 'virtual-host-key-secret')),
  );
  const daemon = await startDaemon(CONTROLLER_MAIN, [
    '--data-dir',
    dataDir,
    '--ssh-address',
    '127.0.0.1:0',
  ]);
  return {
    id,
    dataDir,
    sshd,
    modelUuid,
    target: `0.postgresql.${modelUuid}`,
    jumpHostKey,
    virtualHostKey: virtualHostKeys.forIdentity(machineHostKeyIdentity(modelUuid, '0')).publicLine,
    daemon,
    ok,
  };
}
