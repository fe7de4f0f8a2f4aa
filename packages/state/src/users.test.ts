import { isJujuSshError } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { openTempStore, refusal } from './testing/fixtures.js';

describe('users', () => {
  it('adds an enabled ordinary user by default and a superuser when asked', () => {
    const { store } = openTempStore();

    expect(store.addUser('alice')).toEqual({ name: 'alice', superuser: false, disabled: false });
    expect(store.addUser('root.admin-2', { superuser: true })).toEqual({
      name: 'root.admin-2',
      superuser: true,
      disabled: false,
    });
    expect(store.findUser('alice')).toEqual({ name: 'alice', superuser: false, disabled: false });
    expect(store.listUsers().map((user) => user.name)).toEqual(['alice', 'root.admin-2']);
  });

  it('refuses a second user of the same name', () => {
    const { store } = openTempStore();
    store.addUser('alice');

    expect(() => store.addUser('alice')).toThrowError(
      refusal('already-exists', 'user alice already exists'),
    );
  });

  it.each([
    ['', 'empty'],
    ['Alice', 'uppercase'],
    ['1alice', 'starting with a digit'],
    ['-alice', 'starting with a hyphen'],
    ['al ice', 'with a space'],
    ['al_ice', 'with an underscore'],
    [`a${'b'.repeat(64)}`, '65 characters long'],
  ])('refuses the user name %j (%s)', (name) => {
    const { store } = openTempStore();

    expect(() => store.addUser(name)).toThrowError(refusal('invalid-argument', /^bad user name/));
    expect(store.listUsers()).toEqual([]);
  });

  it('accepts a 64-character user name', () => {
    const { store } = openTempStore();
    const name = `a${'b'.repeat(63)}`;

    expect(store.addUser(name).name).toBe(name);
  });

  it('refuses the reserved name external-auth', () => {
    const { store } = openTempStore();

    expect(() => store.addUser('external-auth', { superuser: true })).toThrowError(
      refusal('invalid-argument', /external-auth is reserved/),
    );
    expect(store.findUser('external-auth')).toBeUndefined();
  });

  it('disables and enables a user, keeping their other attributes', () => {
    const { store } = openTempStore();
    store.addUser('alice', { superuser: true });

    expect(store.disableUser('alice')).toEqual({ name: 'alice', superuser: true, disabled: true });
    expect(store.findUser('alice')?.disabled).toBe(true);
    expect(store.enableUser('alice')).toEqual({ name: 'alice', superuser: true, disabled: false });
    expect(store.findUser('alice')?.disabled).toBe(false);
  });

  it('says how to add a user when disabling or enabling one that does not exist', () => {
    const { store } = openTempStore();

    for (const change of [() => store.disableUser('bob'), () => store.enableUser('bob')]) {
      expect(change).toThrowError(refusal('not-found', 'no user bob; add one with add-user'));
    }
  });

  it('quotes an untidy name in its error message', () => {
    const { store } = openTempStore();

    try {
      store.disableUser('bob\u001b[2J');
      expect.unreachable();
    } catch (err) {
      expect(isJujuSshError(err, 'not-found')).toBe(true);
      expect((err as Error).message).toBe('no user "bob?[2J"; add one with add-user');
    }
  });

  it('finds no user for an unknown name', () => {
    const { store } = openTempStore();

    expect(store.findUser('nobody')).toBeUndefined();
  });
});
