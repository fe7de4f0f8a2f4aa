import type { MachineRecord } from '@juju-ssh/core';
import { describe, expect, it } from 'vitest';
import { generateKey, openTempStore, refusal } from './testing/fixtures.js';

function storeWithProd() {
  const opened = openTempStore();
  const model = opened.store.addModel('prod');
  const hostKey = generateKey(opened.dir, 'root@machine-0');
  const machine: MachineRecord = {
    modelUuid: model.uuid,
    id: '0',
    address: '10.0.0.5',
    port: 22,
    hostKey: hostKey.publicLine,
  };
  return { ...opened, model, machine };
}

describe('machines', () => {
  it('adds a machine and stores its host key as "type base64", without the comment', () => {
    const { store, machine } = storeWithProd();

    const added = store.addMachine(machine);

    const normalised = machine.hostKey.replace(/ root@machine-0$/, '');
    expect(normalised.split(' ')).toHaveLength(2);
    expect(added).toEqual({ ...machine, hostKey: normalised });
    expect(store.findMachine(machine.modelUuid, '0')).toEqual(added);
  });

  it('accepts nested machines, IPv6 and host-name addresses, and other ports', () => {
    const { store, machine } = storeWithProd();

    store.addMachine({ ...machine, id: '0/lxd/1', address: 'fd00::5', port: 2222 });
    store.addMachine({ ...machine, id: '1/kvm/0/lxd/3', address: 'node-1.maas' });

    expect(store.findMachine(machine.modelUuid, '0/lxd/1')?.address).toBe('fd00::5');
    expect(store.findMachine(machine.modelUuid, '0/lxd/1')?.port).toBe(2222);
    expect(store.findMachine(machine.modelUuid, '1/kvm/0/lxd/3')?.address).toBe('node-1.maas');
  });

  it('lists machines in machine-id order', () => {
    const { store, machine } = storeWithProd();
    for (const id of ['10', '2', '0/lxd/10', '0', '0/lxd/2', '1']) {
      store.addMachine({ ...machine, id });
    }

    expect(store.listMachines(machine.modelUuid).map((m) => m.id)).toEqual([
      '0',
      '0/lxd/2',
      '0/lxd/10',
      '1',
      '2',
      '10',
    ]);
  });

  it('keeps the machines of different models apart', () => {
    const { store, machine } = storeWithProd();
    const other = store.addModel('staging');
    store.addMachine(machine);

    expect(store.findMachine(other.uuid, '0')).toBeUndefined();
    expect(store.listMachines(other.uuid)).toEqual([]);
  });

  it('refuses a second machine with the same id in a model', () => {
    const { store, machine } = storeWithProd();
    store.addMachine(machine);

    expect(() => store.addMachine({ ...machine, address: '10.0.0.6' })).toThrowError(
      refusal('already-exists', 'model prod already has machine 0'),
    );
    expect(store.findMachine(machine.modelUuid, '0')?.address).toBe('10.0.0.5');
  });

  it('refuses a machine in a model that does not exist', () => {
    const { store, machine } = storeWithProd();
    const missing = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';

    expect(() => store.addMachine({ ...machine, modelUuid: missing })).toThrowError(
      refusal('not-found', `no model with UUID ${missing}; list models with list-models`),
    );
    expect(() => store.listMachines(missing)).toThrowError(refusal('not-found', /no model/));
  });

  it.each([
    [{ id: '0-lxd-1' }, /^bad machine id "?0-lxd-1"?: .*written like 0\/lxd\/1$/],
    [{ id: '01' }, /^bad machine id/],
    [{ id: '0/docker/1' }, /^bad machine id/],
    [{ address: '' }, /^bad machine address/],
    [{ address: '10.0.0.5; rm -rf /' }, /^bad machine address/],
    [{ address: '-host' }, /^bad machine address/],
    [{ port: 0 }, 'bad SSH port 0: expected 1 to 65535'],
    [{ port: 65536 }, 'bad SSH port 65536: expected 1 to 65535'],
    [{ port: 22.5 }, /^bad SSH port 22.5/],
  ])('refuses the machine %j', (change, message) => {
    const { store, machine } = storeWithProd();

    expect(() => store.addMachine({ ...machine, ...change })).toThrowError(
      refusal('invalid-argument', message),
    );
    expect(store.listMachines(machine.modelUuid)).toEqual([]);
  });

  it('refuses a host key that is not an OpenSSH public key line', () => {
    const { store, machine } = storeWithProd();

    expect(() => store.addMachine({ ...machine, hostKey: 'ssh-ed25519 AAAA' })).toThrowError(
      refusal('invalid-key', 'key data is truncated or has a bad length field'),
    );
  });

  it('updates the address, port and host key, and only what was given', () => {
    const { store, machine, dir } = storeWithProd();
    const added = store.addMachine(machine);
    const newKey = generateKey(dir, 'rebuilt', 'ecdsa');

    const moved = store.updateMachine(machine.modelUuid, '0', { address: '10.0.0.9' });
    expect(moved).toEqual({ ...added, address: '10.0.0.9' });

    const rekeyed = store.updateMachine(machine.modelUuid, '0', {
      port: 2022,
      hostKey: newKey.publicLine,
    });
    expect(rekeyed).toEqual({
      ...added,
      address: '10.0.0.9',
      port: 2022,
      hostKey: newKey.publicLine.replace(/ rebuilt$/, ''),
    });
    expect(store.findMachine(machine.modelUuid, '0')).toEqual(rekeyed);
  });

  it('refuses a bad change and leaves the machine as it was', () => {
    const { store, machine } = storeWithProd();
    const added = store.addMachine(machine);

    expect(() => store.updateMachine(machine.modelUuid, '0', { port: -1 })).toThrowError(
      refusal('invalid-argument', /^bad SSH port/),
    );
    expect(() =>
      store.updateMachine(machine.modelUuid, '0', { hostKey: 'ssh-rsa not*base64' }),
    ).toThrowError(
      refusal('invalid-key', 'invalid SSH public key: the key data is not valid base64'),
    );
    expect(store.findMachine(machine.modelUuid, '0')).toEqual(added);
  });

  it('refuses to update a machine the model does not have', () => {
    const { store, machine } = storeWithProd();

    expect(() => store.updateMachine(machine.modelUuid, '3', { port: 2022 })).toThrowError(
      refusal('not-found', 'model prod has no machine 3'),
    );
  });
});
