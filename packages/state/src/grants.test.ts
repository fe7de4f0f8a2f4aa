import type { ModelAccess } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { openTempStore, refusal } from './testing/fixtures.js';

function storeWithAliceAndProd() {
  const opened = openTempStore();
  opened.store.addUser('alice');
  const model = opened.store.addModel('prod');
  return { ...opened, model };
}

describe('grants', () => {
  it('grants admin on one model only, and granting twice changes nothing', () => {
    const { store, model } = storeWithAliceAndProd();
    const other = store.addModel('staging');

    store.grant('alice', model.uuid, 'admin');
    store.grant('alice', model.uuid, 'admin');

    expect(store.hasGrant('alice', model.uuid, 'admin')).toBe(true);
    expect(store.hasGrant('alice', other.uuid, 'admin')).toBe(false);
  });

  it('revokes a grant', () => {
    const { store, model } = storeWithAliceAndProd();
    store.grant('alice', model.uuid, 'admin');

    store.revoke('alice', model.uuid, 'admin');

    expect(store.hasGrant('alice', model.uuid, 'admin')).toBe(false);
  });

  it('says so when revoking access the user does not hold', () => {
    const { store, model } = storeWithAliceAndProd();

    expect(() => store.revoke('alice', model.uuid, 'admin')).toThrowError(
      refusal('not-found', 'user alice has no admin access to model prod to revoke'),
    );
  });

  it('refuses to grant to or revoke from a user who does not exist', () => {
    const { store, model } = storeWithAliceAndProd();

    expect(() => store.grant('bob', model.uuid, 'admin')).toThrowError(
      refusal('not-found', 'no user bob; add one with add-user'),
    );
    expect(() => store.revoke('bob', model.uuid, 'admin')).toThrowError(
      refusal('not-found', 'no user bob; add one with add-user'),
    );
  });

  it('refuses to grant on a model that does not exist, naming the UUID', () => {
    const { store } = storeWithAliceAndProd();
    const missing = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';

    expect(() => store.grant('alice', missing, 'admin')).toThrowError(
      refusal('not-found', `no model with UUID ${missing}; list models with list-models`),
    );
    expect(store.hasGrant('alice', missing, 'admin')).toBe(false);
  });

  it('refuses an access level it does not know', () => {
    const { store, model } = storeWithAliceAndProd();
    const level = 'write' as ModelAccess;

    expect(() => store.grant('alice', model.uuid, level)).toThrowError(
      refusal('invalid-argument', 'unknown access level write; the levels are admin'),
    );
    expect(() => store.revoke('alice', model.uuid, level)).toThrowError(
      refusal('invalid-argument', /^unknown access level write/),
    );
  });

  it('answers no for users and models it has never heard of', () => {
    const { store, model } = storeWithAliceAndProd();

    expect(store.hasGrant('nobody', model.uuid, 'admin')).toBe(false);
    expect(store.hasGrant('alice', 'nothing', 'admin')).toBe(false);
  });
});
