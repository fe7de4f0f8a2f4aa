/**
 * Vitest global setup: prepares the machine once per test run, before any worker starts, for
 * tests that use a real sshd (its privilege-separation directory and, as root, the login user).
 */
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_LOGIN_USER, runningAsRoot } from './login-user.js';
import { type CommandResult, runCommand } from './run-command.js';

const HOME = `/var/lib/${ROOT_LOGIN_USER}`;
const ATTEMPTS = 10;

/** Creates `/run/sshd` and, when running as root, the login user `jujutest` if it is missing. */
export default async function setup(): Promise<void> {
  if (!runningAsRoot()) return;
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const exists = await runCommand('id', ['-u', ROOT_LOGIN_USER]);
  if (exists.code !== 0) {
    // Status 9: another run created the account meanwhile.
    const useradd = ['useradd', '-m', '-d', HOME, '-s', '/bin/bash', ROOT_LOGIN_USER];
    await withRetries(useradd, [0, 9]);
  }

  // sshd without PAM refuses a locked account ("!" in the shadow file); "*" only forbids
  // password logins, which the test sshd refuses anyway.
  const shadow = await runCommand('getent', ['shadow', ROOT_LOGIN_USER]);
  const hash = shadow.stdout.toString('utf8').split(':')[1] ?? '';
  if (hash !== '*') await withRetries(['usermod', '-p', '*', ROOT_LOGIN_USER], [0]);
}

/** Runs an account command, retrying while another process holds the lock on /etc/passwd. */
async function withRetries(argv: readonly string[], okStatuses: readonly number[]) {
  const [command = '', ...args] = argv;
  let last: CommandResult | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    last = await runCommand(command, args);
    if (last.code !== null && okStatuses.includes(last.code)) return;
    await sleep(200 + attempt * 100);
  }
  const stderr = last?.stderr.toString('utf8').trim() ?? '';
  throw new Error(`${argv.join(' ')} failed ${ATTEMPTS} times: ${stderr}`);
}
