/**
 * controllers.yaml: the controllers this user has logged in to, with each one's API URL, the
 * certificate pinned at login, the user name and the API credential, and which is current.
 * The file holds credentials, so it is written owner-only and read only if it still is.
 */
import { readFileSync, statSync } from 'node:fs';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { parse, stringify } from 'yaml';
import { writePrivateFile } from './private-files.js';

/** One controller as the CLI remembers it. */
export interface ControllerEntry {
  /** The API's base URL, `https://host:port`. */
  readonly url: string;
  /** The pinned certificate's fingerprint, as given at login. */
  readonly fingerprint: string;
  /** The pinned certificate, PEM: the only certificate the CLI trusts for this controller. */
  readonly certificate: string;
  readonly user: string;
  readonly credential: string;
}

/** The whole file. */
export interface ControllersFile {
  readonly current?: string;
  readonly controllers: Readonly<Record<string, ControllerEntry>>;
}

const EMPTY: ControllersFile = { controllers: {} };

/**
 * Reads controllers.yaml; a missing file is an empty one.
 * @throws JujuSshError `config` when the file is readable by others or malformed.
 */
export function readControllersFile(path: string): ControllersFile {
  let text: string;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new JujuSshError(
        'config',
        `${path} holds API credentials but has mode 0${mode.toString(8)}; restrict it with: ` +
          `chmod 600 ${path}`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof JujuSshError) throw error;
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return EMPTY;
    throw new JujuSshError('config', `cannot read ${path}: ${String(error)}`);
  }
  return validate(parseYaml(text, path), path);
}

/** Writes controllers.yaml (mode 0600). */
export function writeControllersFile(path: string, file: ControllersFile): void {
  const header = '# juju-ssh controllers: written by `juju-ssh login`; holds credentials.\n';
  writePrivateFile(path, header + stringify(file));
}

function parseYaml(text: string, path: string): unknown {
  try {
    return parse(text) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new JujuSshError('config', `${path} is not valid YAML (${reason}); log in again`);
  }
}

function validate(raw: unknown, path: string): ControllersFile {
  const bad = (what: string) =>
    new JujuSshError('config', `${path}: ${what}; fix it or remove it and log in again`);
  if (typeof raw !== 'object' || raw === null) throw bad('expected a mapping');
  const { current, controllers } = raw as { current?: unknown; controllers?: unknown };
  if (current !== undefined && typeof current !== 'string') throw bad('current must be a name');
  if (controllers === undefined) return { current, controllers: {} };
  if (typeof controllers !== 'object' || controllers === null) {
    throw bad('controllers must be a mapping');
  }
  const entries: Record<string, ControllerEntry> = {};
  for (const [name, value] of Object.entries(controllers)) {
    entries[name] = entry(value, () => bad(`controller ${quoteUntrusted(name)} is incomplete`));
  }
  return { current, controllers: entries };
}

function entry(value: unknown, bad: () => JujuSshError): ControllerEntry {
  if (typeof value !== 'object' || value === null) throw bad();
  const fields = ['url', 'fingerprint', 'certificate', 'user', 'credential'] as const;
  const record = value as Record<string, unknown>;
  for (const field of fields) {
    if (typeof record[field] !== 'string') throw bad();
  }
  return record as unknown as ControllerEntry;
}
