/**
 * JIMM's token signing key: an Ed25519 JSON Web Key made once and kept as a secret file, and
 * the public JWKS document derived from it that controllers are given to trust JIMM.
 */
import { JujuSshError } from '@juju-ssh/core';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
} from 'jose';

/** A private signing key ready to sign, with its public half as a JWK. */
export interface SigningKey {
  /** The key id (RFC 7638 thumbprint) put in every token header. */
  readonly kid: string;
  readonly algorithm: 'EdDSA';
  readonly privateKey: CryptoKey;
  /** The public JWK, with `kid`, `alg` and `use` set. */
  readonly publicJwk: JWK;
}

/** Makes a new Ed25519 signing key; returns it and the private JWK text to store (0600). */
export async function generateSigningKey(): Promise<{ key: SigningKey; jwkText: string }> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  const jwkText = `${JSON.stringify({ ...jwk, kid: await calculateJwkThumbprint(jwk) }, null, 2)}\n`;
  return { key: await signingKeyFromJwk(jwkText, 'a new key'), jwkText };
}

/**
 * Reads a private Ed25519 JWK as {@link generateSigningKey} wrote it.
 * @param source where the text came from, named in every refusal
 * @throws JujuSshError `invalid-key` when the text is not such a key.
 */
export async function signingKeyFromJwk(text: string, source: string): Promise<SigningKey> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw badKey(source, 'is not JSON');
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw badKey(source, 'is not an Ed25519 JSON Web Key (kty OKP, crv Ed25519)');
  }
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw badKey(source, 'lacks its private part');
  }
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  let privateKey: CryptoKey;
  try {
    const imported = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
    if (imported instanceof Uint8Array) throw new Error('not an asymmetric key');
    privateKey = imported;
  } catch (error) {
    throw badKey(source, `cannot be imported: ${error instanceof Error ? error.message : error}`);
  }
  return {
    kid,
    algorithm: 'EdDSA',
    privateKey,
    publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' },
  };
}

/** The JWKS document (public keys only) that controllers load to trust these keys. */
export function publicJwks(keys: readonly SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}

function badKey(source: string, reason: string): JujuSshError {
  return new JujuSshError('invalid-key', `signing key ${source} ${reason}`);
}
