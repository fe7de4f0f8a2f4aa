/**
 * Runs the Paramiko client (paramiko-client.py beside this file) through a jump fixture, with
 * Debian's Python and python3-paramiko, and both hops' host keys checked.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandResult, loginUser, runCommand } from '@juju-ssh/test-support';
import type { JumpFixture } from './jump-fixture.js';

/** Debian's interpreter, where python3-paramiko installs; not whatever `python3` is first. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./paramiko-client.py', import.meta.url));

/** Runs one action of the Paramiko client as alice, to machine 0 of the fixture. */
export async function runParamiko(
  f: JumpFixture,
  action: readonly string[],
  timeoutMs = 60_000,
): Promise<CommandResult> {
  const config = join(f.dir, `paramiko.${process.pid}.json`);
  await writeFile(
    config,
    JSON.stringify({
      known_hosts: f.knownHostsFile,
      key: f.alice.privateKeyPath,
      jump_host: '127.0.0.1',
      jump_port: f.port,
      jump_user: 'alice',
      target: `0.${f.modelUuid}`,
      login: loginUser(),
    }),
  );
  return runCommand(SYSTEM_PYTHON, [SCRIPT, config, ...action], { timeoutMs });
}

/** The version of Paramiko that runs the tests. */
export async function paramikoVersion(): Promise<string> {
  const result = await runCommand(SYSTEM_PYTHON, [
    '-c',
    'import paramiko; print(paramiko.__version__)',
  ]);
  return result.stdout.toString().trim();
}
