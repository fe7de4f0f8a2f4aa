/**
 * scp's remote paths as `juju-ssh scp` takes them: `[LOGIN@]TARGET:PATH`, where TARGET is
 * `app/N`, a machine id (`0`, `0/lxd/1`) or a target name. Anything else is a local path.
 */

/** A remote path, split. */
export interface RemotePath {
  readonly login?: string;
  readonly target: string;
  readonly path: string;
}

const REMOTE = new RegExp(
  '^(?:([A-Za-z_][A-Za-z0-9_.-]{0,31})@)?(' +
    '[a-z][a-z0-9-]*/[0-9]+' +
    '|[0-9]+(?:/(?:lxd|kvm)/[0-9]+)*' +
    '|[A-Za-z0-9.-]+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' +
    '(?:\\.juju\\.local)?' +
    '):(.*)$',
);

/** The parts of `operand` when it names a remote path; undefined for a local one. */
export function readRemotePath(operand: string): RemotePath | undefined {
  const match = REMOTE.exec(operand);
  if (match === null) return undefined;
  const [, login, target = '', path = ''] = match;
  return login === undefined ? { target, path } : { login, target, path };
}
