import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';
import { openTempStore, refusal } from './testing/fixtures.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const NOW = new Date('2030-01-01T00:00:00Z');
const LATER = new Date('2030-01-08T00:00:00Z');

function credential(secret: string, label = 'registration') {
  return { tokenHash: hash(secret), label, createdAt: NOW };
}

describe('registrations', () => {
  it('exchanges a registration once for a credential of its user', () => {
    const { store } = openTempStore();
    store.addUser('alice');
    store.addRegistration('alice', hash('reg-1'), LATER);

    expect(store.redeemRegistration(hash('reg-1'), credential('token-1'), NOW)).toBe('alice');
    expect(store.findApiCredential(hash('token-1'))).toEqual({
      user: 'alice',
      label: 'registration',
      createdAt: NOW,
    });
    expect(() => store.redeemRegistration(hash('reg-1'), credential('token-2'), NOW)).toThrow(
      refusal('access-denied', /unknown or has been used already; ask a controller superuser/),
    );
    expect(store.findApiCredential(hash('token-2'))).toBeUndefined();
  });

  it('refuses and forgets an expired registration, creating no credential', () => {
    const { store } = openTempStore();
    store.addUser('alice');
    store.addRegistration('alice', hash('reg-old'), NOW);

    expect(() => store.redeemRegistration(hash('reg-old'), credential('t'), LATER)).toThrow(
      refusal(
        'access-denied',
        'this registration string expired at 2030-01-01T00:00:00.000Z; ' +
          'ask a controller superuser for a new one',
      ),
    );
    expect(store.findApiCredential(hash('t'))).toBeUndefined();
    expect(() => store.redeemRegistration(hash('reg-old'), credential('t'), NOW)).toThrow(
      refusal('access-denied', /unknown or has been used already/),
    );
  });

  it('refuses a registration for a user who does not exist', () => {
    const { store } = openTempStore();

    expect(() => store.addRegistration('bob', hash('r'), LATER)).toThrow(
      refusal('not-found', 'no user bob; add one with add-user'),
    );
  });

  it('refuses hashes that are not SHA-256 hex and labels with control characters', () => {
    const { store } = openTempStore();
    store.addUser('alice');

    expect(() => store.addRegistration('alice', 'secret', LATER)).toThrow(
      refusal('invalid-argument', 'bad registration hash: expected 64 lowercase hex digits'),
    );
    expect(() => store.addApiCredential('alice', credential('t', 'line\nbreak'))).toThrow(
      refusal('invalid-argument', /^bad credential label/),
    );
    expect(store.findApiCredential('not-a-hash')).toBeUndefined();
  });
});

describe('API credentials', () => {
  it('lists, and revokes with pending registrations, the credentials of one user', () => {
    const { store } = openTempStore();
    store.addUser('alice');
    store.addUser('bob');
    store.addApiCredential('alice', credential('a1', 'api-token'));
    store.addApiCredential('alice', credential('a2', 'laptop'));
    store.addApiCredential('bob', credential('b1'));
    store.addRegistration('alice', hash('pending'), LATER);

    expect(store.listApiCredentials('alice').map((c) => c.label)).toEqual(['api-token', 'laptop']);
    expect(store.revokeApiAccess('alice')).toBe(3);
    expect(store.findApiCredential(hash('a1'))).toBeUndefined();
    expect(store.findApiCredential(hash('b1'))?.user).toBe('bob');
    expect(() => store.redeemRegistration(hash('pending'), credential('x'), NOW)).toThrow(
      refusal('access-denied', /unknown/),
    );
  });

  it('keeps credentials across reopening', () => {
    const { store, path } = openTempStore();
    store.addUser('alice');
    const secret = randomBytes(32).toString('hex');
    store.addApiCredential('alice', credential(secret));
    store.close();

    const again = SqliteStore.open(path);
    try {
      expect(again.findApiCredential(hash(secret))?.user).toBe('alice');
    } finally {
      again.close();
    }
  });

  it('upgrades a store written before the API existed, keeping its users', () => {
    const { store, path } = openTempStore();
    store.addUser('alice');
    store.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE registrations; DROP TABLE api_credentials;');
    raw.pragma('user_version = 1');
    raw.close();

    const upgraded = SqliteStore.open(path);
    try {
      upgraded.addApiCredential('alice', credential('after-upgrade'));
      expect(upgraded.findApiCredential(hash('after-upgrade'))?.user).toBe('alice');
    } finally {
      upgraded.close();
    }
  });
});
