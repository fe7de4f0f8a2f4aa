/**
 * The API's listen address when nothing sets it: the SSH listener's host, port 17070. When the
 * SSH listener asks for any free port (port 0, as tests and demos do), so does the API, so
 * controllers started side by side on one host never collide on 17070.
 */
import type { HostPort } from '@juju-ssh/core';

const API_PORT = 17070;

/** Replaces a defaulted `api-address` with one that follows `ssh-address`. */
export function followSshAddress(
  settings: Record<string, unknown>,
  origins: Record<string, string>,
): void {
  if (origins['api-address'] !== 'default') return;
  const ssh = settings['ssh-address'];
  if (!isHostPort(ssh)) return;
  const port = ssh.port === 0 ? 0 : API_PORT;
  settings['api-address'] = { host: ssh.host, port } satisfies HostPort;
  origins['api-address'] = 'default (follows ssh-address)';
}

function isHostPort(value: unknown): value is HostPort {
  return (
    typeof value === 'object' &&
    value !== null &&
    'host' in value &&
    typeof value.host === 'string' &&
    'port' in value &&
    typeof value.port === 'number'
  );
}
