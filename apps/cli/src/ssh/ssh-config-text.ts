/**
 * ssh_config text: the file the CLI hands to OpenSSH with -F, and the block `ssh-config`
 * prints for people to use with plain `ssh`. Both make OpenSSH jump through the controller,
 * trust only the keys fetched over the API, and refuse any other key.
 */

/** The controller's SSH jump host as ssh_config names it. */
export interface JumpHost {
  /** The Host alias, `juju-ssh-jump.<controller>`. */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  /** The controller user name. */
  readonly user: string;
}

/** A target as the `ssh-config` block names it. */
export interface TargetAlias {
  /** `postgresql-0.prod`, `0.prod`. */
  readonly alias: string;
  /** `0.postgresql.<model-uuid>.juju.local`. */
  readonly hostName: string;
}

/** What every block shares. */
export interface SshConfigBase {
  readonly jump: JumpHost;
  readonly knownHostsFile: string;
  /** Identity files to offer on both hops; none leaves OpenSSH's defaults. */
  readonly identityFiles?: readonly string[];
}

/** The login user on a machine when none is given. */
export const DEFAULT_LOGIN_USER = 'ubuntu';

/** The jump host alias for a controller. */
export function jumpAlias(controller: string): string {
  return `juju-ssh-jump.${controller}`;
}

/** The file the CLI passes with -F: the jump host, `*.juju.local` targets, ~/.ssh/config. */
export function cliSshConfig(base: SshConfigBase, controller: string): string {
  return [
    `# Written by juju-ssh for controller ${controller}; rewritten on every use.`,
    ...jumpBlock(base),
    'Host *.juju.local',
    `  User ${DEFAULT_LOGIN_USER}`,
    `  ProxyJump ${base.jump.alias}`,
    ...trustLines(base),
    '',
    '# Your own settings fill in whatever is not set above.',
    'Match all',
    '  Include ~/.ssh/config',
    '',
  ].join('\n');
}

/** The block `ssh-config` prints: the jump host and one alias per target. */
export function userSshConfig(
  base: SshConfigBase,
  targets: readonly TargetAlias[],
  title: string,
): string {
  const lines = [`# ${title}`, ...jumpBlock(base)];
  if (targets.length > 0) {
    lines.push(`Host ${targets.map((target) => target.alias).join(' ')}`);
    lines.push(
      `  User ${DEFAULT_LOGIN_USER}`,
      `  ProxyJump ${base.jump.alias}`,
      ...trustLines(base),
    );
    lines.push('');
    for (const target of targets)
      lines.push(`Host ${target.alias}`, `  HostName ${target.hostName}`);
  }
  return `${lines.join('\n')}\n`;
}

function jumpBlock(base: SshConfigBase): string[] {
  return [
    `Host ${base.jump.alias}`,
    `  HostName ${base.jump.hostName}`,
    `  Port ${base.jump.port}`,
    `  User ${base.jump.user}`,
    ...trustLines(base),
    '',
  ];
}

function trustLines(base: SshConfigBase): string[] {
  const identities = (base.identityFiles ?? []).map((file) => `  IdentityFile ${quoted(file)}`);
  return [
    `  UserKnownHostsFile ${quoted(base.knownHostsFile)}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    ...identities,
    ...(identities.length > 0 ? ['  IdentitiesOnly yes'] : []),
  ];
}

/** A value ssh_config reads as one word, even with spaces. */
function quoted(value: string): string {
  return /^[A-Za-z0-9_./~@%+=:,-]+$/.test(value) ? value : `"${value.replaceAll('"', '')}"`;
}
