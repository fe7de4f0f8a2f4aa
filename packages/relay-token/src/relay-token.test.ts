import { randomUUID } from 'node:crypto';
import { parsePublicKeyLine } from '@juju-ssh/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseJwks } from './jwks-file.js';
import { RelayTokenIssuer } from './relay-token-issuer.js';
import { RelayTokenVerifier } from './relay-token-verifier.js';
import { MemoryReplayCache } from './replay-cache.js';
import { generateSigningKey, publicJwks, type SigningKey } from './signing-key.js';

const KEY_LINE =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB+yypT/tavs1Ck8zfg5i/Q/dFnvm6J42jUstbHx+IZX alice';
const publicKey = parsePublicKeyLine(KEY_LINE).blob;
const modelUuid = randomUUID();

async function setUp(options: { now?: () => Date; lifetimeSeconds?: number } = {}) {
  const { key } = await generateSigningKey();
  const issuer = new RelayTokenIssuer({
    signingKey: key,
    issuer: 'jimm-test',
    lifetimeSeconds: options.lifetimeSeconds ?? 120,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const verifier = new RelayTokenVerifier({
    audience: 'ctl-a',
    jwks: async () => publicJwks([key]),
    replayCache: new MemoryReplayCache(),
  });
  const mint = async (controllerId = 'ctl-a') =>
    (await issuer.mint({ controllerId, user: 'alice', modelUuid, publicKey })).token;
  return { key, issuer, verifier, mint };
}

/** Signs arbitrary claims with `key`, for tokens JIMM would never mint. */
function sign(key: SigningKey, claims: Record<string, unknown>, lifetime = 60): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setAudience('ctl-a')
    .setSubject('alice')
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

describe('relay tokens', () => {
  it('carry the user, the model, the key and a unique id from JIMM to the controller', async () => {
    const { issuer, mint, verifier } = await setUp();
    const minted = await issuer.mint({
      controllerId: 'ctl-a',
      user: 'alice',
      modelUuid,
      publicKey,
    });
    const verified = await verifier.verify(minted.token);
    expect(verified.tokenId).toBe(minted.tokenId);
    expect(verified.expiresAt).toEqual(minted.expiresAt);
    expect(verified.user).toBe('alice');
    expect(verified.modelUuids).toEqual([modelUuid]);
    expect(verified.publicKey.equals(publicKey)).toBe(true);
    expect(verified.issuer).toBe('jimm-test');
    const lifetime = verified.expiresAt.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(60_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    const second = await verifier.verify(await mint());
    expect(second.tokenId).not.toBe(verified.tokenId);
  });

  it('refuses a token used twice', async () => {
    const { mint, verifier } = await setUp();
    const token = await mint();
    await verifier.verify(token);
    await expect(verifier.verify(token)).rejects.toThrow(
      /relay token refused: token \w+ was already used/,
    );
  });

  it('refuses an expired token', async () => {
    const { mint, verifier } = await setUp({ now: () => new Date(Date.now() - 10 * 60_000) });
    await expect(verifier.verify(await mint())).rejects.toThrow(
      'relay token refused: it has expired',
    );
  });

  it('refuses a token meant for another controller, naming it', async () => {
    const { mint, verifier } = await setUp();
    await expect(verifier.verify(await mint('ctl-b'))).rejects.toThrow(
      'relay token refused: it is meant for controller "ctl-b", not ctl-a',
    );
  });

  it('refuses a token signed by a key outside the trusted set', async () => {
    const { verifier } = await setUp();
    const other = await setUp();
    await expect(verifier.verify(await other.mint())).rejects.toThrow(
      'relay token refused: it was signed with a key that is not in the trusted JIMM key set',
    );
  });

  it('refuses a token whose signature does not verify', async () => {
    const { mint, verifier } = await setUp();
    const [header, payload, signature = ''] = (await mint()).split('.');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expect(verifier.verify(`${header}.${payload}.${flipped}`)).rejects.toThrow(
      'relay token refused: its signature does not verify against the trusted JIMM keys',
    );
  });

  it('refuses a token that lives longer than a controller allows', async () => {
    const { key, verifier } = await setUp();
    const claims = { access: { [`model-${modelUuid}`]: 'admin' }, ssh_public_key: KEY_LINE };
    await expect(verifier.verify(await sign(key, claims, 3600))).rejects.toThrow(
      /relay token refused: it is valid for 3600s; this controller accepts at most 600s/,
    );
  });

  it('refuses a token without admin on any model, or without a key', async () => {
    const { key, verifier } = await setUp();
    const reader = { access: { [`model-${modelUuid}`]: 'read' }, ssh_public_key: KEY_LINE };
    await expect(verifier.verify(await sign(key, reader))).rejects.toThrow(
      'relay token refused: its access claim grants admin on no model',
    );
    const keyless = { access: { [`model-${modelUuid}`]: 'admin' } };
    await expect(verifier.verify(await sign(key, keyless))).rejects.toThrow(
      'relay token refused: it names no SSH key (ssh_public_key)',
    );
  });

  it('refuses every token when no JIMM is trusted', async () => {
    const { mint } = await setUp();
    const verifier = new RelayTokenVerifier({
      audience: 'ctl-a',
      jwks: async () => undefined,
      replayCache: new MemoryReplayCache(),
    });
    await expect(verifier.verify(await mint())).rejects.toThrow(/trusts no JIMM/);
  });

  it('refuses a lifetime JIMM should not mint', async () => {
    await expect(setUp({ lifetimeSeconds: 3600 })).rejects.toThrow(/out of range/);
  });
});

describe('JIMM key sets', () => {
  it('accept the public set JIMM publishes and refuse one holding a private key', async () => {
    const { key, jwkText } = await generateSigningKey();
    const text = JSON.stringify(publicJwks([key]));
    expect(parseJwks(text, 'jwks.json').keys).toHaveLength(1);
    expect(() => parseJwks(`{"keys":[${jwkText}]}`, 'jwks.json')).toThrow(
      'JIMM key set jwks.json key 1 holds a private key; give controllers the public JWKS only',
    );
    expect(() => parseJwks('{"keys":[]}', 'jwks.json')).toThrow(/has no "keys" array/);
    expect(() => parseJwks('nope', 'jwks.json')).toThrow('JIMM key set jwks.json is not JSON');
  });
});

describe('MemoryReplayCache', () => {
  it('forgets an id once its token has expired', () => {
    let now = 1000;
    const cache = new MemoryReplayCache(() => now);
    expect(cache.firstUse('a', new Date(2000))).toBe(true);
    expect(cache.firstUse('a', new Date(2000))).toBe(false);
    now = 2500;
    expect(cache.firstUse('b', new Date(3000))).toBe(true);
    expect(cache.size).toBe(1);
  });
});
