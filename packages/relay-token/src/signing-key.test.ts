import { describe, expect, it } from 'vitest';
import { generateSigningKey, signingKeyFromJwk } from './signing-key.js';

describe('signing keys', () => {
  it('read back from the stored JWK with the same key id', async () => {
    const { key, jwkText } = await generateSigningKey();
    const loaded = await signingKeyFromJwk(jwkText, 'key.jwk');
    expect(loaded.kid).toBe(key.kid);
    expect(loaded.publicJwk).toEqual(key.publicJwk);
    expect(loaded.publicJwk).not.toHaveProperty('d');
  });

  it('refuse a file that is not a private Ed25519 JWK, naming it', async () => {
    await expect(signingKeyFromJwk('{', 'key.jwk')).rejects.toThrow(
      'signing key key.jwk is not JSON',
    );
    const { key } = await generateSigningKey();
    await expect(signingKeyFromJwk(JSON.stringify(key.publicJwk), 'key.jwk')).rejects.toThrow(
      'signing key key.jwk lacks its private part',
    );
  });
});
