/**
 * The three ways the bench reaches the target with stock OpenSSH: straight to its sshd, through
 * a plain OpenSSH jump host (`ssh -J` via sshd), and through the controller (`ssh -J`, the
 * target named by its Juju name). Each turns a remote command or an upload into ssh/scp args.
 */

/** Names of the paths, in the order results list them. */
export const PATH_NAMES = ['direct', 'jump-host', 'proxy'] as const;

/** One of {@link PATH_NAMES}. */
export type PathName = (typeof PATH_NAMES)[number];

/** One way to the target. */
export interface AccessPath {
  readonly name: PathName;
  /** What the path is, for the report. */
  readonly description: string;
  /** Arguments for `ssh` running `command` on the target; `options` go before the host. */
  ssh(command: string, options?: readonly string[]): string[];
  /** Arguments for `scp` copying `localFile` to `remotePath` on the target. */
  scpUpload(localFile: string, remotePath: string): string[];
}

/** Where the lab's servers listen and how the client is configured. */
export interface PathEndpoints {
  /** The ssh_config (identity, known_hosts, no prompts) every path uses. */
  readonly config: string;
  /** The target's login user. */
  readonly login: string;
  readonly target: { readonly port: number };
  readonly jumpHost: { readonly port: number };
  /** The current controller (it may be restarted on another port). */
  readonly controller: () => { readonly port: number; readonly targetName: string };
}

const HOST = '127.0.0.1';

/** The three paths for a lab. */
export function accessPaths(endpoints: PathEndpoints): AccessPath[] {
  const { config, login, target, jumpHost } = endpoints;
  const viaJumpHost = ['-J', `${login}@${HOST}:${jumpHost.port}`];
  const viaController = () => ['-J', `alice@${HOST}:${endpoints.controller().port}`];
  const targetName = () => endpoints.controller().targetName;
  return [
    {
      name: 'direct',
      description: `ssh straight to the target sshd (${HOST}:${target.port})`,
      ssh: (command, options = []) => [
        '-F',
        config,
        ...options,
        '-p',
        `${target.port}`,
        `${login}@${HOST}`,
        command,
      ],
      scpUpload: (file, remote) => [
        '-F',
        config,
        '-P',
        `${target.port}`,
        file,
        `${login}@${HOST}:${remote}`,
      ],
    },
    {
      name: 'jump-host',
      description: `ssh -J through an OpenSSH sshd jump host (${HOST}:${jumpHost.port})`,
      ssh: (command, options = []) => [
        '-F',
        config,
        ...options,
        ...viaJumpHost,
        '-p',
        `${target.port}`,
        `${login}@${HOST}`,
        command,
      ],
      scpUpload: (file, remote) => [
        '-F',
        config,
        ...viaJumpHost,
        '-P',
        `${target.port}`,
        file,
        `${login}@${HOST}:${remote}`,
      ],
    },
    {
      name: 'proxy',
      description: 'ssh -J through the controller, the target named 0.ubuntu.<model-uuid>',
      ssh: (command, options = []) => [
        '-F',
        config,
        ...options,
        ...viaController(),
        `${login}@${targetName()}`,
        command,
      ],
      scpUpload: (file, remote) => [
        '-F',
        config,
        ...viaController(),
        file,
        `${login}@${targetName()}:${remote}`,
      ],
    },
  ];
}

/** `paths` rotated by `round`, so each path takes each position in turn. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
