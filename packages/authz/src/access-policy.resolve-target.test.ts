import { describe, expect, it } from 'vitest';
import {
  failureOf,
  fleet,
  machineTarget,
  NOWHERE,
  PROD,
  unitTarget,
} from './testing/memory-directory.js';

describe('AccessPolicy.resolveTarget', () => {
  it('resolves a machine for a user with admin on its model', async () => {
    const { policy, prod, machine } = fleet();
    const target = machineTarget('0/lxd/1');

    expect(await policy.resolveTarget('alice', target)).toEqual({ target, model: prod, machine });
  });

  it('resolves a unit to the machine it is placed on', async () => {
    const { policy, prod, machine, unit } = fleet();
    const target = unitTarget('postgresql', 1);

    expect(await policy.resolveTarget('alice', target)).toEqual({
      target,
      model: prod,
      machine,
      unit,
    });
  });

  it('resolves a container through its unit, keeping the container in the target', async () => {
    const { policy, machine, unit } = fleet();
    const target = unitTarget('postgresql', 1, 'charm');

    const resolved = await policy.resolveTarget('alice', target);

    expect(resolved).toMatchObject({ target: { container: 'charm' }, machine, unit });
  });

  it('lets a superuser in without a grant', async () => {
    const { directory, policy, machine } = fleet();

    const resolved = await policy.resolveTarget('root', machineTarget('0/lxd/1'));

    expect(resolved.machine).toEqual(machine);
    expect(directory.asked).not.toContain(`grant root ${PROD}`);
  });

  it('refuses a user without admin on the model', async () => {
    const { policy } = fleet();

    expect(await failureOf(policy.resolveTarget('carol', machineTarget('0/lxd/1')))).toEqual({
      code: 'access-denied',
      message:
        `you do not have admin access to model ${PROD}; ` +
        'ask a controller superuser to grant it',
    });
  });

  it('tells a user without access the same thing whether or not the model exists', async () => {
    const { directory, policy } = fleet();

    const existing = await failureOf(policy.resolveTarget('carol', machineTarget('0', PROD)));
    const missing = await failureOf(policy.resolveTarget('carol', machineTarget('0', NOWHERE)));

    expect(missing).toEqual({ ...existing, message: existing.message.replace(PROD, NOWHERE) });
    expect(directory.asked.filter((q) => q.startsWith('model'))).toEqual([]);
  });

  it('does not reveal which machines or units exist to a user without access', async () => {
    const { policy } = fleet();

    for (const target of [
      machineTarget('9'),
      unitTarget('mysql', 0),
      unitTarget('postgresql', 1),
    ]) {
      expect((await failureOf(policy.resolveTarget('carol', target))).code).toBe('access-denied');
    }
  });

  it('names the model and machine when the model has no such machine', async () => {
    const { policy } = fleet();

    expect(await failureOf(policy.resolveTarget('alice', machineTarget('3')))).toEqual({
      code: 'not-found',
      message: `model prod (${PROD}) has no machine 3`,
    });
  });

  it('names the model and unit when the model has no such unit', async () => {
    const { policy } = fleet();

    expect(await failureOf(policy.resolveTarget('alice', unitTarget('postgresql', 3)))).toEqual({
      code: 'not-found',
      message: 'model prod has no unit postgresql/3',
    });
  });

  it('says so when a unit is placed on a machine the model has no record of', async () => {
    const { directory, policy } = fleet();
    directory.units.push({ modelUuid: PROD, application: 'etcd', number: 0, machineId: '7' });

    expect(await failureOf(policy.resolveTarget('alice', unitTarget('etcd', 0, 'charm')))).toEqual({
      code: 'not-found',
      message:
        'cannot reach container charm of unit etcd/0: it is placed on machine 7, ' +
        'but model prod has no record of that machine',
    });
  });

  it('tells a superuser plainly that a model does not exist', async () => {
    const { policy } = fleet();

    expect(await failureOf(policy.resolveTarget('root', machineTarget('0', NOWHERE)))).toEqual({
      code: 'not-found',
      message: `this controller has no model ${NOWHERE}`,
    });
  });

  it('refuses a disabled user, also one disabled after reaching an earlier target', async () => {
    const { directory, policy } = fleet();
    await policy.resolveTarget('alice', machineTarget('0/lxd/1'));

    directory.addUser('alice', { disabled: true });

    expect(await failureOf(policy.resolveTarget('alice', machineTarget('0/lxd/1')))).toEqual({
      code: 'access-denied',
      message: 'user alice is disabled; ask a controller superuser to enable it',
    });
    directory.addUser('root', { superuser: true, disabled: true });
    expect((await failureOf(policy.resolveTarget('root', machineTarget('0/lxd/1')))).code).toBe(
      'access-denied',
    );
  });

  it('refuses a user removed after logging in', async () => {
    const { directory, policy } = fleet();
    directory.users.delete('alice');

    expect(await failureOf(policy.resolveTarget('alice', machineTarget('0/lxd/1')))).toEqual({
      code: 'access-denied',
      message: 'user "alice" no longer exists on this controller',
    });
  });

  it('refuses on the next target once a grant is revoked', async () => {
    const { directory, policy } = fleet();
    await policy.resolveTarget('alice', machineTarget('0/lxd/1'));

    directory.grants.delete(`alice ${PROD} admin`);

    expect((await failureOf(policy.resolveTarget('alice', machineTarget('0/lxd/1')))).code).toBe(
      'access-denied',
    );
  });
});
