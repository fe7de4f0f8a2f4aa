import { randomBytes } from 'node:crypto';
import { ed25519PublicBlob, fingerprint } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { fleet } from './testing/memory-directory.js';

describe('AccessPolicy.authenticateKey', () => {
  it('lets in an enabled user presenting a key registered to them', async () => {
    const { directory, policy } = fleet();
    const key = directory.addKey('alice');

    const decision = await policy.authenticateKey('alice', Buffer.from(key.blob));

    expect(decision).toEqual({ allowed: true, user: directory.users.get('alice'), key });
  });

  it('refuses an unknown user', async () => {
    const { directory, policy } = fleet();
    const key = directory.addKey('alice');

    expect(await policy.authenticateKey('mallory', key.blob)).toEqual({
      allowed: false,
      reason: 'unknown user "mallory"',
    });
  });

  it('refuses a disabled user even with a registered key', async () => {
    const { directory, policy } = fleet();
    const key = directory.addKey('alice');
    directory.addUser('alice', { disabled: true });

    expect(await policy.authenticateKey('alice', key.blob)).toEqual({
      allowed: false,
      reason: 'user alice is disabled',
    });
  });

  it('refuses a key registered to someone else or to nobody', async () => {
    const { directory, policy } = fleet();
    directory.addKey('alice');
    const carols = directory.addKey('carol');
    const strangers = ed25519PublicBlob(randomBytes(32));

    expect(await policy.authenticateKey('alice', carols.blob)).toEqual({
      allowed: false,
      reason: `key ${carols.fingerprint} is not registered to user alice`,
    });
    expect(await policy.authenticateKey('alice', strangers)).toEqual({
      allowed: false,
      reason: `key ${fingerprint(strangers)} is not registered to user alice`,
    });
  });

  it('compares the whole key, not only its fingerprint', async () => {
    const { directory, policy } = fleet();
    const presented = ed25519PublicBlob(randomBytes(32));
    const other = ed25519PublicBlob(randomBytes(32));
    // A record filed under the presented key's fingerprint but holding another key.
    directory.keys.push({
      ...directory.addKey('alice', other),
      fingerprint: fingerprint(presented),
    });

    const decision = await policy.authenticateKey('alice', presented);

    expect(decision.allowed).toBe(false);
  });

  it('quotes an odd user name in its reason', async () => {
    const { policy } = fleet();

    const decision = await policy.authenticateKey(
      'bob\n\u001b[1m',
      ed25519PublicBlob(randomBytes(32)),
    );

    expect(decision).toEqual({ allowed: false, reason: 'unknown user "bob??[1m"' });
  });
});
