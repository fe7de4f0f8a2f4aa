/**
 * Where the CLI keeps its files: the platform's configuration directory ($XDG_CONFIG_HOME,
 * else ~/.config; Application Support on macOS; %APPDATA% on Windows), under `juju-ssh`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The files the CLI owns. */
export interface ConfigPaths {
  readonly dir: string;
  /** controllers.yaml: each controller's URL, pinned certificate, user and credential. */
  readonly controllersFile: string;
  /** The known_hosts file for one controller's jump host and targets. */
  knownHostsFile(controller: string): string;
  /** The ssh_config file the CLI passes to ssh with -F for one controller. */
  sshConfigFile(controller: string): string;
}

/** The CLI's configuration directory for this environment and platform. */
export function configDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && xdg !== '') return resolve(xdg, 'juju-ssh');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'juju-ssh');
  if (platform === 'win32' && env.APPDATA !== undefined && env.APPDATA !== '') {
    return join(env.APPDATA, 'juju-ssh');
  }
  return join(home, '.config', 'juju-ssh');
}

/** The paths of the files inside `dir`. */
export function configPaths(dir: string): ConfigPaths {
  return {
    dir,
    controllersFile: join(dir, 'controllers.yaml'),
    knownHostsFile: (controller) => join(dir, `known_hosts.${controller}`),
    sshConfigFile: (controller) => join(dir, `ssh_config.${controller}`),
  };
}
