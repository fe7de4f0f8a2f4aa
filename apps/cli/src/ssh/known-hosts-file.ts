/**
 * The known_hosts file the CLI owns for one controller: the jump host's key and the virtual
 * host keys of the targets, as fetched over the pinned API. Lines for a host are replaced when
 * it is fetched again; lines for other hosts stay.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { withFileLock } from '../config/file-lock.js';
import { ensurePrivateDir, writePrivateFile } from '../config/private-files.js';

/** A host as known_hosts names it, and the key line to trust for it. */
export interface KnownHost {
  /** `host`, or `[host]:port` off port 22. */
  readonly host: string;
  /** `type base64`. */
  readonly publicLine: string;
}

/** How OpenSSH names `host` on `port` in known_hosts. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** The lines for `entries`. */
export function knownHostsLines(entries: readonly KnownHost[]): string[] {
  return entries.map((entry) => `${entry.host} ${entry.publicLine}`);
}

/** Writes `entries` into the file at `path`, replacing earlier lines for the same hosts. */
export function updateKnownHosts(path: string, entries: readonly KnownHost[]): void {
  const replaced = new Set(entries.map((entry) => entry.host));
  ensurePrivateDir(dirname(path));
  // Runs at once must not drop each other's lines between reading and writing.
  withFileLock(path, () => {
    const kept = readLines(path).filter((line) => !replaced.has(line.split(' ', 1)[0] ?? ''));
    writePrivateFile(path, `${[...kept, ...knownHostsLines(entries)].join('\n')}\n`);
  });
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0);
  } catch {
    // No file yet: nothing to keep.
    return [];
  }
}
