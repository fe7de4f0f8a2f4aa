#!/usr/bin/env node
/**
 * `pnpm demo`: a controller in front of a throwaway sshd on loopback, set up with the real admin
 * commands, then one real `ssh -J` session through it. It keeps serving until Ctrl-C so that
 * the person can try the printed command. Everything lives in `.demo/` at the repository root.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knownHostsHost, knownHostsLine } from '@juju-ssh/host-keys';
import {
  generateUserKey,
  loginUser,
  runCommand,
  startSshd,
  writeSshConfig,
} from '@juju-ssh/test-support';
import { startControllerDaemon } from './controller-daemon.js';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(DIST, 'main.js');
const DEMO_DIR = resolve(DIST, '../../..', '.demo');
const DATA_DIR = join(DEMO_DIR, 'controller');

/** Runs an admin command as an operator would, echoing it; returns its stdout. */
function admin(...args: string[]): string {
  process.stdout.write(`$ juju-ssh-controller ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [MAIN, ...args, '--data-dir', DATA_DIR], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${args[0]} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

/** Things to stop when the demo ends, the last started first. */
const running: Array<() => Promise<unknown>> = [];

async function main(): Promise<void> {
  rmSync(DEMO_DIR, { recursive: true, force: true });
  mkdirSync(DEMO_DIR, { recursive: true });
  const login = loginUser();
  if (spawnSync('id', ['-u', login]).status !== 0) {
    throw new Error(
      `the demo logs in to its sshd as ${login}, which does not exist; create it with: ` +
        `useradd -m -s /bin/bash ${login} && usermod -p '*' ${login}`,
    );
  }

  step('a throwaway machine: sshd on 127.0.0.1');
  const machineDir = join(DEMO_DIR, 'machine-0');
  mkdirSync(machineDir);
  const sshd = await startSshd({ dir: machineDir });
  running.push(() => sshd.stop());
  process.stdout.write(`sshd listens on 127.0.0.1:${sshd.port}; login user ${login}\n`);

  step('the controller: bootstrap and the fleet');
  admin('bootstrap', '--controller-id', 'demo');
  const alice = await generateUserKey(DEMO_DIR, 'alice-key');
  admin('add-user', 'alice');
  admin('add-ssh-key', 'alice', alice.publicLine);
  const uuid = admin('add-model', 'demo');
  admin('grant', 'alice', 'admin', 'demo');
  admin(
    'add-machine',
    '-m',
    'demo',
    '0',
    '--address',
    `127.0.0.1:${sshd.port}`,
    '--host-key',
    sshd.hostKeyLine,
  );
  admin('add-unit', '-m', 'demo', 'ubuntu/0', '--machine', '0');
  const systemLine = admin('system-key', '--authorized-keys-file', sshd.authorizedKeysFile);
  appendFileSync(sshd.authorizedKeysFile, `${systemLine}\n`);
  process.stdout.write(`(the system-key line went into ${sshd.authorizedKeysFile})\n`);

  step('serving SSH');
  const logFile = join(DEMO_DIR, 'controller.log');
  const daemon = await startControllerDaemon({
    main: MAIN,
    args: ['--data-dir', DATA_DIR, '--ssh-address', '127.0.0.1:0'],
    onLogLine: (line) => appendFileSync(logFile, `${JSON.stringify(line)}\n`),
  });
  running.push(() => daemon.stop());
  process.stdout.write(`controller listens on 127.0.0.1:${daemon.port}; its log: ${logFile}\n`);

  const target = `0.ubuntu.${uuid}`;
  const knownHosts = join(DEMO_DIR, 'known_hosts');
  writeFileSync(
    knownHosts,
    `${knownHostsLine([knownHostsHost('127.0.0.1', daemon.port)], admin('host-key'))}\n` +
      `${knownHostsLine([target], admin('host-key', target))}\n`,
  );
  const config = join(DEMO_DIR, 'ssh_config');
  renameSync(
    await writeSshConfig(DEMO_DIR, {
      identityFile: alice.privateKeyPath,
      knownHostsFile: knownHosts,
    }),
    config,
  );

  step('one real session through the controller');
  const sshArgs = ['-F', config, '-J', `alice@127.0.0.1:${daemon.port}`, `${login}@${target}`];
  const remote = 'echo "hello from $(hostname) as $(id -un)"; uname -sr';
  process.stdout.write(`$ ssh ${sshArgs.join(' ')} '${remote}'\n`);
  const session = await runCommand('ssh', [...sshArgs, remote], { timeoutMs: 30_000 });
  process.stdout.write(session.stdout.toString('utf8') + session.stderr.toString('utf8'));
  process.stdout.write(`(ssh exited with status ${session.code})\n`);

  step('your turn');
  process.stdout.write(
    `ssh ${sshArgs.join(' ')}\n\n` +
      `Serving until Ctrl-C. Audit trail: ${join(DATA_DIR, 'audit.jsonl')}\n`,
  );

  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  process.stdout.write('\nstopping\n');
}

try {
  await main();
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  for (const stop of running.reverse()) await stop();
}
