/**
 * Starts the machine's real OpenSSH server on a loopback port with a configuration, host key and
 * authorized_keys file of its own, for tests that talk to a real sshd.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './free-port.js';
import { loginUserIds, runningAsRoot } from './login-user.js';
import { runChecked } from './run-command.js';

/** A running test sshd. */
export interface SshdHandle {
  readonly port: number;
  /** `ssh-ed25519 AAAA…` of this sshd's generated host key. */
  readonly hostKeyLine: string;
  /** Absolute path sshd reads keys from, owned by the login user, mode 0600. */
  readonly authorizedKeysFile: string;
  /** Where sshd (and its per-connection children) write their log. */
  readonly logFile: string;
  /** SIGTERM, then wait for the listener to exit and its port to refuse connections. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the listener to exit and its port to refuse connections. */
  kill(): Promise<void>;
}

/** Where the test sshd keeps its files, and lines added to its configuration. */
export interface StartSshdOptions {
  readonly dir: string;
  /**
   * Lines appended to the configuration. sshd keeps the first value it reads for a keyword, so
   * a keyword given here (before any `Match` line) replaces the default line of that keyword.
   */
  readonly extraConfig?: readonly string[];
}

const SSHD = '/usr/sbin/sshd';
const START_TIMEOUT_MS = 10_000;
const BIND_ATTEMPTS = 5;
const STOP_TIMEOUT_MS = 2000;
const running = new Set<ChildProcess>();

// A test run that dies must not leave listeners behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a real sshd on 127.0.0.1 and a free port, with a generated config, host key (ed25519)
 * and its own authorized_keys file inside `dir`. Resolves once the port accepts connections.
 */
export async function startSshd(options: StartSshdOptions): Promise<SshdHandle> {
  const { dir } = options;
  if (runningAsRoot()) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const hostKey = join(dir, 'ssh_host_ed25519_key');
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', hostKey]);
  const [type = '', data = ''] = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/);
  const hostKeyLine = `${type} ${data}`;

  const authorizedKeysFile = join(dir, 'authorized_keys');
  await writeFile(authorizedKeysFile, '', { mode: 0o600, flag: 'a' });
  if (runningAsRoot()) {
    const { uid, gid } = await loginUserIds();
    await chown(dir, uid, gid);
    await chmod(dir, 0o755);
    await chown(authorizedKeysFile, uid, gid);
  }
  await chmod(authorizedKeysFile, 0o600);

  const logFile = join(dir, 'sshd.log');
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort();
    const configFile = join(dir, 'sshd_config');
    await writeFile(configFile, sshdConfig(dir, port, hostKey, authorizedKeysFile, options));
    const child = await launch(configFile, port, logFile);
    if (child !== 'address-in-use') {
      return handle(child, { port, hostKeyLine, authorizedKeysFile, logFile });
    }
    if (attempt >= BIND_ATTEMPTS) {
      throw new Error(`sshd could not bind a free port after ${attempt} attempts; see ${logFile}`);
    }
  }
}

function sshdConfig(
  dir: string,
  port: number,
  hostKey: string,
  authorizedKeysFile: string,
  options: StartSshdOptions,
): string {
  const extra = options.extraConfig ?? [];
  const firstMatch = extra.findIndex((line) => keyword(line) === 'match');
  const overridden = new Set((firstMatch < 0 ? extra : extra.slice(0, firstMatch)).map(keyword));
  const defaults = [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeysFile}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'PrintMotd no',
    'UseDNS no',
  ];
  const kept = defaults.filter((line) => !overridden.has(keyword(line)));
  return [...kept, ...extra, ''].join('\n');
}

function keyword(line: string): string {
  return line.trim().split(/[\s=]/, 1)[0]?.toLowerCase() ?? '';
}

/** Spawns sshd and waits until it listens, or reports that its port was taken meanwhile. */
async function launch(
  configFile: string,
  port: number,
  logFile: string,
): Promise<ChildProcess | 'address-in-use'> {
  const logFd = openSync(logFile, 'a');
  const child = spawn(SSHD, ['-f', configFile, '-D', '-e'], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });

  const listening = `Server listening on 127.0.0.1 port ${port}.`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const log = await readFile(logFile, 'utf8');
    if (exited) {
      if (log.includes(`Bind to port ${port} on 127.0.0.1 failed: Address already in use`)) {
        return 'address-in-use';
      }
      throw new Error(`sshd exited during start-up (status ${child.exitCode}):\n${log}`);
    }
    if (log.includes(listening) && (await accepts(port))) return child;
    await sleep(25);
  }
  child.kill('SIGKILL');
  throw new Error(`sshd did not listen on port ${port} within ${START_TIMEOUT_MS} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function handle(
  child: ChildProcess,
  facts: Pick<SshdHandle, 'port' | 'hostKeyLine' | 'authorizedKeysFile' | 'logFile'>,
): SshdHandle {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    // A connection child forked a moment before may still hold the listening socket.
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (Date.now() < deadline && (await accepts(facts.port))) await sleep(25);
  };
  return { ...facts, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}
