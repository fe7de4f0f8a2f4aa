/**
 * ssh_config files for the OpenSSH client in tests: one identity, one known_hosts file, strict
 * host key checking and no prompts, so a test sees exactly what a careful user would.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the written ssh_config names. */
export interface SshConfigOptions {
  /** Private key file offered to servers; the only identity used. */
  readonly identityFile: string;
  /** The only known_hosts file consulted. */
  readonly knownHostsFile: string;
  /**
   * More lines. They come first, so they win over the defaults (OpenSSH keeps the first value
   * it reads for an option); a `Host` line among them scopes what follows it.
   */
  readonly extra?: readonly string[];
}

let counter = 0;

/**
 * Writes an ssh_config for OpenSSH that names `identityFile`, `knownHostsFile`,
 * `StrictHostKeyChecking yes`, `BatchMode yes`, `LogLevel ERROR`, no agent, no user/global
 * known_hosts; returns its path. Used with `ssh -F`.
 */
export async function writeSshConfig(dir: string, options: SshConfigOptions): Promise<string> {
  counter += 1;
  const path = join(dir, `ssh_config.${process.pid}.${counter}`);
  const lines = [
    ...(options.extra ?? []),
    'Host *',
    `  IdentityFile "${options.identityFile}"`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile "${options.knownHostsFile}"`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    '  CheckHostIP no',
    '  BatchMode yes',
    '  LogLevel ERROR',
    '  PasswordAuthentication no',
    '  KbdInteractiveAuthentication no',
    '  PubkeyAuthentication yes',
    '  ForwardAgent no',
    '  ControlMaster no',
    '  ControlPath none',
    '  ConnectTimeout 10',
    '',
  ];
  await writeFile(path, lines.join('\n'), { mode: 0o600 });
  return path;
}
