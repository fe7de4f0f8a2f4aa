/**
 * The JWKS a controller trusts JIMM by: a JSON Web Key Set file of public keys, checked when it
 * is installed and read again on every relayed login, so replacing it needs no restart.
 */
import { readFile } from 'node:fs/promises';
import { JujuSshError } from '@juju-ssh/core';
import type { JSONWebKeySet, JWK } from 'jose';

/** Gives the keys to trust now, or undefined when no JIMM is trusted. */
export type JwksSource = () => Promise<JSONWebKeySet | undefined>;

const MAX_KEYS = 32;

/**
 * Checks a JWKS document: a `keys` array of public Ed25519 (OKP) or RSA signing keys, none
 * holding private parts, each with a `kid`.
 * @param source where the text came from, named in every refusal
 * @throws JujuSshError `config` saying what is wrong.
 */
export function parseJwks(text: string, source: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad(source, 'is not JSON');
  }
  const keys = isObject(parsed) ? parsed.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw bad(source, 'has no "keys" array of JSON Web Keys');
  }
  if (keys.length > MAX_KEYS) throw bad(source, `holds more than ${MAX_KEYS} keys`);
  return { keys: keys.map((key, index) => checkKey(key, `${source} key ${index + 1}`)) };
}

/** A source that reads `path` on every call; a missing file means no JIMM is trusted. */
export function jwksFileSource(path: string): JwksSource {
  return async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isObject(error) && error.code === 'ENOENT') return undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new JujuSshError('config', `cannot read the trusted JIMM keys ${path}: ${reason}`);
    }
    return parseJwks(text, path);
  };
}

function checkKey(key: unknown, where: string): JWK {
  if (!isObject(key)) throw bad(where, 'is not an object');
  if ('d' in key || 'p' in key || 'q' in key) {
    throw bad(where, 'holds a private key; give controllers the public JWKS only');
  }
  if (typeof key.kid !== 'string' || key.kid.length === 0) throw bad(where, 'has no "kid"');
  if (key.use !== undefined && key.use !== 'sig') throw bad(where, 'is not a signing key');
  const okp = key.kty === 'OKP' && key.crv === 'Ed25519' && typeof key.x === 'string';
  const rsa = key.kty === 'RSA' && typeof key.n === 'string' && typeof key.e === 'string';
  if (!okp && !rsa) throw bad(where, 'is neither an Ed25519 (OKP) nor an RSA public key');
  return key as JWK;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function bad(source: string, reason: string): JujuSshError {
  return new JujuSshError('config', `JIMM key set ${source} ${reason}`);
}
