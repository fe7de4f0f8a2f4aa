import type { UnitRecord } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { generateKey, openTempStore, refusal } from './testing/fixtures.js';

function storeWithMachine() {
  const opened = openTempStore();
  const model = opened.store.addModel('prod');
  opened.store.addMachine({
    modelUuid: model.uuid,
    id: '0/lxd/1',
    address: '10.0.0.5',
    port: 22,
    hostKey: generateKey(opened.dir, 'host').publicLine,
  });
  const unit: UnitRecord = {
    modelUuid: model.uuid,
    application: 'postgresql',
    number: 0,
    machineId: '0/lxd/1',
  };
  return { ...opened, model, unit };
}

describe('units', () => {
  it('adds a unit placed on a machine and finds it again', () => {
    const { store, unit } = storeWithMachine();

    expect(store.addUnit(unit)).toEqual(unit);
    expect(store.findUnit(unit.modelUuid, 'postgresql', 0)).toEqual(unit);
    expect(store.findUnit(unit.modelUuid, 'postgresql', 1)).toBeUndefined();
    expect(store.findUnit(unit.modelUuid, 'mysql', 0)).toBeUndefined();
  });

  it('lists units by application and number', () => {
    const { store, unit } = storeWithMachine();
    store.addUnit({ ...unit, application: 'ubuntu-lite', number: 2 });
    store.addUnit({ ...unit, number: 10 });
    store.addUnit({ ...unit, number: 2 });
    store.addUnit({ ...unit, application: 'etcd', number: 0 });

    expect(store.listUnits(unit.modelUuid).map((u) => `${u.application}/${u.number}`)).toEqual([
      'etcd/0',
      'postgresql/2',
      'postgresql/10',
      'ubuntu-lite/2',
    ]);
  });

  it('refuses a unit on a machine the model does not have', () => {
    const { store, unit } = storeWithMachine();

    expect(() => store.addUnit({ ...unit, machineId: '3' })).toThrowError(
      refusal(
        'not-found',
        'model prod has no machine 3; add the machine before placing units on it',
      ),
    );
    expect(store.listUnits(unit.modelUuid)).toEqual([]);
  });

  it('refuses a unit in a model that does not exist', () => {
    const { store, unit } = storeWithMachine();
    const missing = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';

    expect(() => store.addUnit({ ...unit, modelUuid: missing })).toThrowError(
      refusal('not-found', /^no model with UUID/),
    );
    expect(() => store.listUnits(missing)).toThrowError(refusal('not-found', /^no model/));
  });

  it('refuses a second unit with the same application and number', () => {
    const { store, unit } = storeWithMachine();
    store.addUnit(unit);

    expect(() => store.addUnit(unit)).toThrowError(
      refusal('already-exists', 'model prod already has unit postgresql/0'),
    );
  });

  it.each([
    [{ application: 'PostgreSQL' }, /^bad application name "?PostgreSQL"?/],
    [{ application: 'pg-1' }, /^bad application name/],
    [{ application: 'pg--sql' }, /^bad application name/],
    [{ number: -1 }, 'bad unit number -1: expected a whole number from 0 to 999999999'],
    [{ number: 1.5 }, /^bad unit number 1.5/],
    [{ number: 1_000_000_000 }, /^bad unit number 1000000000/],
  ])('refuses the unit %j', (change, message) => {
    const { store, unit } = storeWithMachine();

    expect(() => store.addUnit({ ...unit, ...change })).toThrowError(
      refusal('invalid-argument', message),
    );
  });
});
