import { fingerprint, parsePublicKeyLine } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { generateKey, openTempStore, refusal } from './testing/fixtures.js';

describe('user keys', () => {
  it('registers a key made by ssh-keygen, with the fingerprint ssh-keygen reports', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    const key = generateKey(dir, 'alice@laptop');

    const record = store.addUserKey('alice', `  ${key.publicLine}\n`);

    const parsed = parsePublicKeyLine(key.publicLine);
    expect(record).toEqual({
      user: 'alice',
      fingerprint: key.fingerprint,
      type: 'ssh-ed25519',
      blob: parsed.blob,
      comment: 'alice@laptop',
    });
    expect(store.findUserKey('alice', key.fingerprint)).toEqual(record);
    expect(store.listUserKeys('alice')).toEqual([record]);
  });

  it('keeps several keys per user, oldest first, and keeps users apart', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    store.addUser('bob');
    const first = generateKey(dir, 'first');
    const second = generateKey(dir, 'second', 'ecdsa');
    const bobs = generateKey(dir, 'bob');

    store.addUserKey('alice', first.publicLine);
    store.addUserKey('alice', second.publicLine);
    store.addUserKey('bob', bobs.publicLine);

    const alices = store.listUserKeys('alice');
    expect(alices.map((key) => key.fingerprint)).toEqual([first.fingerprint, second.fingerprint]);
    expect(alices[1]?.type).toBe('ecdsa-sha2-nistp256');
    expect(store.findUserKey('alice', bobs.fingerprint)).toBeUndefined();
    expect(store.findUserKey('bob', bobs.fingerprint)?.user).toBe('bob');
  });

  it('refuses a key for a user who does not exist', () => {
    const { store, dir } = openTempStore();

    expect(() => store.addUserKey('bob', generateKey(dir, 'x').publicLine)).toThrowError(
      refusal('not-found', 'no user bob; add one with add-user'),
    );
  });

  it('refuses a line that is not a public key, saying why', () => {
    const { store } = openTempStore();
    store.addUser('alice');

    expect(() => store.addUserKey('alice', 'ssh-dss AAAA')).toThrowError(
      refusal('invalid-key', /unsupported key type "ssh-dss"/),
    );
    expect(store.listUserKeys('alice')).toEqual([]);
  });

  it('refuses the same key twice for one user', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    const key = generateKey(dir, 'one');
    store.addUserKey('alice', key.publicLine);

    const sameKeyOtherComment = key.publicLine.replace(/ one$/, ' two');
    expect(() => store.addUserKey('alice', sameKeyOtherComment)).toThrowError(
      refusal('already-exists', `user alice already has the key ${key.fingerprint}`),
    );
    expect(store.listUserKeys('alice')).toHaveLength(1);
  });

  it('refuses a key already registered to another user, naming that user', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    store.addUser('bob');
    const key = generateKey(dir, 'shared');
    store.addUserKey('alice', key.publicLine);

    expect(() => store.addUserKey('bob', key.publicLine)).toThrowError(
      refusal('already-exists', /already registered to user alice; a key may belong to one user/),
    );
    expect(store.listUserKeys('bob')).toEqual([]);
  });

  it('removes a key by fingerprint and returns it', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    const keep = store.addUserKey('alice', generateKey(dir, 'keep').publicLine);
    const drop = store.addUserKey('alice', generateKey(dir, 'drop').publicLine);

    expect(store.removeUserKey('alice', drop.fingerprint)).toEqual([drop]);
    expect(store.listUserKeys('alice')).toEqual([keep]);
    expect(store.findUserKey('alice', drop.fingerprint)).toBeUndefined();
  });

  it('removes every key of the user whose comment matches exactly', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    store.addUser('bob');
    const old1 = store.addUserKey('alice', generateKey(dir, 'old laptop').publicLine);
    const old2 = store.addUserKey('alice', generateKey(dir, 'old laptop').publicLine);
    const other = store.addUserKey('alice', generateKey(dir, 'old laptop 2').publicLine);
    const bobs = store.addUserKey('bob', generateKey(dir, 'old laptop').publicLine);

    expect(store.removeUserKey('alice', 'old laptop')).toEqual([old1, old2]);
    expect(store.listUserKeys('alice')).toEqual([other]);
    expect(store.listUserKeys('bob')).toEqual([bobs]);
  });

  it("does not remove another user's key named by fingerprint", () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    store.addUser('bob');
    const bobs = store.addUserKey('bob', generateKey(dir, 'b').publicLine);

    expect(() => store.removeUserKey('alice', bobs.fingerprint)).toThrowError(
      refusal(
        'not-found',
        `user alice has no key with fingerprint or comment ${bobs.fingerprint}; ` +
          'list them with list-ssh-keys alice',
      ),
    );
    expect(store.listUserKeys('bob')).toEqual([bobs]);
  });

  it('refuses to remove by an empty name, which would match keys without a comment', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    const bare = generateKey(dir, 'x').publicLine.replace(/ x$/, '');
    store.addUserKey('alice', bare);

    expect(() => store.removeUserKey('alice', '')).toThrowError(
      refusal('invalid-argument', 'name the key by its fingerprint or comment'),
    );
    expect(store.listUserKeys('alice')).toHaveLength(1);
  });

  it('refuses to list or remove keys of a user who does not exist', () => {
    const { store } = openTempStore();

    expect(() => store.listUserKeys('bob')).toThrowError(refusal('not-found', /^no user bob/));
    expect(() => store.removeUserKey('bob', 'x')).toThrowError(refusal('not-found', /^no user/));
  });

  it('finds nothing for a fingerprint that is not registered', () => {
    const { store, dir } = openTempStore();
    store.addUser('alice');
    const key = parsePublicKeyLine(generateKey(dir, 'x').publicLine);

    expect(store.findUserKey('alice', fingerprint(key.blob))).toBeUndefined();
    expect(store.findUserKey('nobody', fingerprint(key.blob))).toBeUndefined();
  });
});
