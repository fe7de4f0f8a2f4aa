/**
 * A settings file: a flat YAML map of settings. Reading it keeps the line of every key so that
 * an error can point at it; unknown keys and nested values are refused by name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import { isMap, isScalar, LineCounter, parseDocument, stringify } from 'yaml';
import type { SettingsCatalog } from './setting-spec.js';

/** One value found in the file, with where it was found. */
export interface FileValue {
  readonly value: unknown;
  /** `<path>:<line>` of its key. */
  readonly origin: string;
}

/** The values a settings file holds, by setting name. */
export type SettingsFileValues = ReadonlyMap<string, FileValue>;

/** What reading a file needs of a catalog: which names it knows. */
type KnownSettings = Pick<SettingsCatalog<string>, 'specs'>;

/**
 * Parses the text of a settings file.
 * @param path named in every error and origin
 * @throws JujuSshError `config` for bad YAML, a non-map document, unknown keys or nested values.
 */
export function parseSettingsFile(
  text: string,
  path: string,
  catalog: KnownSettings,
): SettingsFileValues {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined) =>
    `${path}:${offset === undefined ? 1 : lineCounter.linePos(offset).line}`;

  const [syntax] = document.errors;
  if (syntax !== undefined) {
    throw new JujuSshError('config', `${at(syntax.pos[0])}: not valid YAML: ${syntax.message}`);
  }

  const values = new Map<string, FileValue>();
  const contents = document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return values;
  if (!isMap(contents)) {
    throw new JujuSshError('config', `${at(contents.range[0])}: expected a map of settings`);
  }

  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? pair.key : undefined;
    const origin = at(key?.range?.[0]);
    const name = key === undefined ? '' : String(key.value);
    if (!Object.hasOwn(catalog.specs, name)) {
      throw new JujuSshError('config', `${origin}: unknown setting ${quoteUntrusted(name)}`);
    }
    if (!isScalar(pair.value)) {
      throw new JujuSshError(
        'config',
        `${origin}: ${name} must be a single value, not a list or map`,
      );
    }
    values.set(name, { value: pair.value.value, origin });
  }
  return values;
}

/**
 * Reads and parses a settings file.
 * @throws JujuSshError `config` when it cannot be read or parsed.
 */
export function readSettingsFile(path: string, catalog: KnownSettings): SettingsFileValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('config', `cannot read settings file ${path}: ${reason}`);
  }
  return parseSettingsFile(text, path, catalog);
}

/**
 * Writes a new settings file (mode 0600) holding `values`, under the catalog's header.
 * @throws when the file already exists.
 */
export function writeSettingsFile(
  path: string,
  catalog: Pick<SettingsCatalog<string>, 'fileHeader'>,
  values: Readonly<Record<string, unknown>>,
): void {
  writeFileSync(path, catalog.fileHeader + stringify(values), { mode: 0o600, flag: 'wx' });
}
