import { isModelUuid } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { openTempStore, refusal } from './testing/fixtures.js';

const UUID = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';

describe('models', () => {
  it('adds a model with a fresh lowercase UUID when none is given', () => {
    const { store } = openTempStore();

    const model = store.addModel('prod');

    expect(model.name).toBe('prod');
    expect(isModelUuid(model.uuid)).toBe(true);
    expect(store.addModel('staging').uuid).not.toBe(model.uuid);
  });

  it('finds a model by UUID or by name', () => {
    const { store } = openTempStore();
    const model = store.addModel('prod', UUID);

    expect(store.findModel(UUID)).toEqual(model);
    expect(store.findModel('prod')).toEqual(model);
    expect(store.findModelByUuid(UUID)).toEqual(model);
    expect(store.findModelByUuid('prod')).toBeUndefined();
    expect(store.findModel('staging')).toBeUndefined();
  });

  it('lists models by name', () => {
    const { store } = openTempStore();
    store.addModel('zeta');
    store.addModel('0-first');
    store.addModel('alpha');

    expect(store.listModels().map((model) => model.name)).toEqual(['0-first', 'alpha', 'zeta']);
  });

  it('refuses a second model of the same name', () => {
    const { store } = openTempStore();
    store.addModel('prod', UUID);

    expect(() => store.addModel('prod')).toThrowError(
      refusal('already-exists', `model prod already exists (UUID ${UUID}); choose another name`),
    );
  });

  it('refuses a second model with the same UUID', () => {
    const { store } = openTempStore();
    store.addModel('prod', UUID);

    expect(() => store.addModel('other', UUID)).toThrowError(
      refusal('already-exists', `a model with UUID ${UUID} already exists (model prod)`),
    );
    expect(store.listModels()).toHaveLength(1);
  });

  it.each([
    '8F0C1D2E-3A4B-4C5D-8E6F-7A8B9C0DE21A',
    '8f0c1d2e3a4b4c5d8e6f7a8b9c0de21a',
    '8f0c1d2e-3a4b-4c5d-7e6f-7a8b9c0de21a',
    'not-a-uuid',
  ])('refuses the model UUID %j', (uuid) => {
    const { store } = openTempStore();

    expect(() => store.addModel('prod', uuid)).toThrowError(
      refusal('invalid-argument', /^bad model UUID .*: expected a lowercase RFC 4122 UUID$/),
    );
  });

  it.each(['', 'Prod', '-prod', 'prod.db', 'pr od', `a${'b'.repeat(63)}`])(
    'refuses the model name %j',
    (name) => {
      const { store } = openTempStore();

      expect(() => store.addModel(name)).toThrowError(
        refusal('invalid-argument', /^bad model name/),
      );
    },
  );

  it('accepts a 63-character model name that starts with a digit', () => {
    const { store } = openTempStore();
    const name = `0${'b'.repeat(62)}`;

    expect(store.addModel(name).name).toBe(name);
  });

  it('refuses a model name shaped like a UUID, which would make look-ups ambiguous', () => {
    const { store } = openTempStore();

    expect(() => store.addModel(UUID)).toThrowError(
      refusal('invalid-argument', `a model name may not be a UUID (${UUID})`),
    );
  });
});
