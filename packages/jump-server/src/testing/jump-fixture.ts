/**
 * A whole direct path on loopback for tests: a real sshd as the machine, a real store on disk,
 * a jump server in this process, a user with a key registered, and an ssh_config for the real
 * OpenSSH client that trusts exactly the jump host key and the targets' virtual host keys.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditTrail, JsonLinesFileSink } from '@juju-ssh/audit';
import { AccessPolicy } from '@juju-ssh/authz';
import { EphemeralKeyManager, systemKeyLine } from '@juju-ssh/ephemeral-keys';
import {
  generateEd25519HostKey,
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
  makeTempDir,
  runCommand,
  type SshdHandle,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { type Logger, pino } from 'pino';
import type { ForwardingPolicy } from '../forwarding-policy.js';
import { JumpServer } from '../jump-server.js';
import type { JumpServerLimits } from '../limits.js';

export interface JumpFixture {
  readonly dir: string;
  readonly sshd: SshdHandle;
  readonly store: SqliteStore;
  readonly server: JumpServer;
  readonly port: number;
  readonly modelUuid: string;
  readonly alice: KeyPair;
  readonly sshConfig: string;
  readonly knownHostsFile: string;
  readonly auditFile: string;
  readonly controllerId: string;
  readonly virtualHostKeys: VirtualHostKeys;
  /** `ssh -F config -J alice@127.0.0.1:PORT LOGIN@target args…` */
  ssh(target: string, args: readonly string[], options?: SshOptions): Promise<CommandResult>;
  /** An ssh_config like the fixture's, offering `identityFile` instead of alice's key. */
  configFor(identityFile: string): Promise<string>;
  /** Adds the virtual host key of machine `machineId` in `modelUuid` to known_hosts. */
  trustTarget(targetName: string, modelUuid: string, machineId: string): Promise<void>;
  /** Lines of the machine's authorized_keys that this controller's sessions installed. */
  ephemeralLines(): Promise<string[]>;
  /** Parsed audit records, after flushing. */
  auditRecords(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export interface SshOptions {
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  readonly user?: string;
  readonly login?: string;
  readonly extraArgs?: readonly string[];
  /** An ssh_config other than the fixture's (for another user's key). */
  readonly config?: string;
}

export interface JumpFixtureOptions {
  readonly limits?: Partial<JumpServerLimits>;
  readonly forwarding?: Partial<ForwardingPolicy>;
  readonly sshdConfig?: readonly string[];
  /** Where the jump server logs; silent unless JUJU_SSH_TEST_LOG names a level. */
  readonly logger?: Logger;
}

export async function startJumpFixture(options: JumpFixtureOptions = {}): Promise<JumpFixture> {
  const temp = await makeTempDir('jump-fixture');
  const dir = temp.path;
  const machineDir = join(dir, 'machine');
  await mkdir(machineDir, { recursive: true });
  const sshd = await startSshd({ dir: machineDir, extraConfig: options.sshdConfig ?? [] });

  const controllerId = 'controller-test';
  const store = SqliteStore.open(join(dir, 'store.db'));
  const alice = await generateUserKey(dir, 'alice');
  store.addUser('alice');
  store.addUserKey('alice', alice.publicLine);
  const model = store.addModel('prod');
  store.grant('alice', model.uuid, 'admin');
  store.addMachine({
    modelUuid: model.uuid,
    id: '0',
    address: '127.0.0.1',
    port: sshd.port,
    hostKey: sshd.hostKeyLine,
  });
  store.addUnit({ modelUuid: model.uuid, application: 'postgresql', number: 0, machineId: '0' });
  store.addUnit({ modelUuid: model.uuid, application: 'postgresql', number: 1, machineId: '0' });

  const systemKey = generateEd25519HostKey('system');
  await appendFile(
    sshd.authorizedKeysFile,
    `${systemKeyLine(systemKey.publicLine, { controllerId, authorizedKeysFile: sshd.authorizedKeysFile })}\n`,
  );

  const virtualHostKeys = new VirtualHostKeys(VirtualHostKeys.generateSecret());
  const jumpHostKey = generateEd25519HostKey('jump');
  const auditFile = join(dir, 'audit.jsonl');
  const audit = new AuditTrail({ sinks: [new JsonLinesFileSink(auditFile)] });
  const ephemeralKeys = new EphemeralKeyManager({
    controllerId,
    systemKey: systemKey.privateKey,
    ttlSeconds: 300,
  });
  const logger = options.logger ?? pino({ level: process.env.JUJU_SSH_TEST_LOG ?? 'silent' });
  const server = new JumpServer({
    controllerId,
    jumpHostKey,
    virtualHostKeys,
    policy: new AccessPolicy(store),
    ephemeralKeys,
    ephemeralKeyTtlSeconds: 300,
    ledger: store,
    audit,
    logger,
    limits: options.limits ?? {},
    forwarding: options.forwarding ?? {},
  });
  const { port } = await server.listen('127.0.0.1', 0);

  const vkey = virtualHostKeys.forIdentity(machineHostKeyIdentity(model.uuid, '0'));
  const knownHostsFile = join(dir, 'known_hosts');
  const targets = ['0', '0.postgresql', '1.postgresql'].flatMap((t) => [
    `${t}.${model.uuid}`,
    `${t}.${model.uuid}.juju.local`,
  ]);
  await appendFile(
    knownHostsFile,
    `${knownHostsLine([knownHostsHost('127.0.0.1', port)], jumpHostKey.publicLine)}\n` +
      `${knownHostsLine(targets, vkey.publicLine)}\n`,
  );
  const sshConfig = await writeSshConfig(dir, {
    identityFile: alice.privateKeyPath,
    knownHostsFile,
  });

  return {
    dir,
    sshd,
    store,
    server,
    port,
    modelUuid: model.uuid,
    alice,
    sshConfig,
    knownHostsFile,
    auditFile,
    controllerId,
    virtualHostKeys,
    ssh: (target, args, sshOptions = {}) =>
      runCommand(
        'ssh',
        [
          '-F',
          sshOptions.config ?? sshConfig,
          '-J',
          `${sshOptions.user ?? 'alice'}@127.0.0.1:${port}`,
          ...(sshOptions.extraArgs ?? []),
          `${sshOptions.login ?? loginUser()}@${target}`,
          ...args,
        ],
        {
          ...(sshOptions.input === undefined ? {} : { input: sshOptions.input }),
          timeoutMs: sshOptions.timeoutMs ?? 20_000,
        },
      ),
    configFor: (identityFile) => writeSshConfig(dir, { identityFile, knownHostsFile }),
    trustTarget: (targetName, modelUuid, machineId) =>
      appendFile(
        knownHostsFile,
        `${knownHostsLine(
          [targetName],
          virtualHostKeys.forIdentity(machineHostKeyIdentity(modelUuid, machineId)).publicLine,
        )}\n`,
      ),
    ephemeralLines: async () =>
      (await readFile(sshd.authorizedKeysFile, 'utf8'))
        .split('\n')
        .filter((line) => line.includes(`juju-ssh-ephemeral:${controllerId}:`)),
    auditRecords: async () => {
      await audit.flush();
      const text = await readFile(auditFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    close: async () => {
      await server.close({ graceMs: 0 });
      await ephemeralKeys.close();
      await audit.close();
      store.close();
      await sshd.stop();
      await temp.cleanup();
    },
  };
}
