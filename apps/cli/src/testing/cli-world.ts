/**
 * A world for driving the built `juju-ssh` as a user would: a bootstrapped controller running
 * as its real binary (SSH and HTTPS API on free loopback ports), a real sshd as machine 0 of
 * model prod with units postgresql/0 and /1, users root (superuser) and alice (with a key),
 * and a home and config directory for the CLI.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CommandResult,
  generateUserKey,
  type KeyPair,
  makeTempDir,
  runCommand,
  type SshdHandle,
  startSshd,
} from '@juju-ssh/test-support';

const HERE = dirname(fileURLToPath(import.meta.url));
// A loaded machine runs several of these worlds at once; commands get time to spare.
const SLOW = { timeoutMs: 120_000 };
/** The built CLI and controller. */
export const CLI_MAIN = resolve(HERE, '../../dist/main.js');
export const CONTROLLER_MAIN = resolve(HERE, '../../../controller/dist/main.js');

/** A finished command, its output as text. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The running world. */
export interface CliWorld {
  readonly dir: string;
  readonly dataDir: string;
  readonly sshd: SshdHandle;
  readonly alice: KeyPair;
  readonly modelUuid: string;
  readonly apiUrl: string;
  readonly sshPort: number;
  /** The fingerprint users pin: the controller CA's. */
  readonly fingerprint: string;
  /** Runs `juju-ssh-controller ARGS --data-dir …`; it must succeed. */
  admin(...args: string[]): Promise<string>;
  /** Runs `juju-ssh ARGS` with a config directory of its own (one per `home`). */
  cli(
    args: readonly string[],
    options?: { home?: string; input?: string; env?: Record<string, string> },
  ): Promise<Run>;
  stop(): Promise<void>;
}

/** A clean environment: no JUJU_SSH_*, HOME and XDG_CONFIG_HOME in `home`. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('JUJU_SSH_') && name !== 'XDG_CONFIG_HOME',
    ),
  );
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extra };
}

/** Builds the world; call `stop` when done. */
export async function startCliWorld(): Promise<CliWorld> {
  const temp = await makeTempDir('juju-ssh-cli');
  const dir = temp.path;
  const dataDir = join(dir, 'data');
  const admin = async (...args: string[]) => {
    const result = await text(
      runCommand(process.execPath, [CONTROLLER_MAIN, ...args, '--data-dir', dataDir], SLOW),
    );
    if (result.code !== 0)
      throw new Error(`juju-ssh-controller ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  const bootstrap = JSON.parse(
    await text(
      runCommand(
        process.execPath,
        [
          CONTROLLER_MAIN,
          'bootstrap',
          '--data-dir',
          dataDir,
          '--controller-id',
          'ctl-a',
          '--format',
          'json',
        ],
        SLOW,
      ),
    ).then((r) => r.stdout),
  );
  const machineDir = join(dir, 'machine');
  await mkdir(machineDir);
  const sshd = await startSshd({ dir: machineDir });
  const alice = await generateUserKey(dir, 'alice');
  const modelUuid = (await admin('add-model', 'prod')).trim();
  await admin(
    'add-machine',
    '-m',
    'prod',
    '0',
    '--address',
    `127.0.0.1:${sshd.port}`,
    '--host-key',
    sshd.hostKeyLine,
  );
  await admin('add-unit', '-m', 'prod', 'postgresql/0', '--machine', '0');
  await admin('add-unit', '-m', 'prod', 'postgresql/1', '--machine', '0');
  const systemLine = (
    await admin('system-key', '--authorized-keys-file', sshd.authorizedKeysFile)
  ).trim();
  await appendFile(sshd.authorizedKeysFile, `${systemLine}\n`);

  const daemon = await startDaemon(dataDir);
  const apiUrl = `https://127.0.0.1:${daemon.apiPort}`;
  const homes = new Map<string, string>();
  const homeFor = async (name: string) => {
    let home = homes.get(name);
    if (home === undefined) {
      home = join(dir, 'homes', name);
      await mkdir(home, { recursive: true });
      homes.set(name, home);
    }
    return home;
  };

  return {
    dir,
    dataDir,
    sshd,
    alice,
    modelUuid,
    apiUrl,
    sshPort: daemon.sshPort,
    fingerprint: String(bootstrap.api.pinFingerprint),
    admin,
    async cli(args, options = {}) {
      const home = await homeFor(options.home ?? 'alice');
      return text(
        runCommand(process.execPath, [CLI_MAIN, ...args], {
          env: cliEnv(home, options.env),
          input: options.input,
          timeoutMs: 120_000,
        }),
      );
    },
    async stop() {
      await daemon.stop();
      await sshd.stop();
      await temp.cleanup();
    },
  };
}

async function text(result: Promise<CommandResult>): Promise<Run> {
  const done = await result;
  return {
    code: done.code,
    stdout: done.stdout.toString('utf8'),
    stderr: done.stderr.toString('utf8'),
  };
}

/** Starts `run` and waits for both listeners' log lines. */
function startDaemon(
  dataDir: string,
): Promise<{ sshPort: number; apiPort: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [CONTROLLER_MAIN, 'run', '--data-dir', dataDir, '--ssh-address', '127.0.0.1:0'],
    {
      env: cliEnv(dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let sshPort = 0;
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolveStart, rejectStart) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseLogLine(line);
        if (entry.msg === 'ssh server listening') sshPort = Number(entry.port);
        if (entry.msg !== 'api server listening') continue;
        resolveStart({
          sshPort,
          apiPort: Number(entry.port),
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then(() => rejectStart(new Error(`controller run exited: ${stderr}`)));
  });
}

function parseLogLine(line: string): { msg?: string; port?: number } {
  try {
    return JSON.parse(line) as { msg?: string; port?: number };
  } catch {
    return {};
  }
}
