import { machineHostKeyIdentity } from '@juju-ssh/host-keys';
import { describe, expect, it } from 'vitest';
import {
  type ApiFixture,
  addProdModel,
  PROD_UUID,
  startApiFixture,
} from './testing/api-fixture.js';

const OTHER_UUID = '1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b';

/** prod (granted to alice), secret (granted to nobody), and alice's credential. */
async function fleet(): Promise<{ f: ApiFixture; alice: string }> {
  const f = await startApiFixture();
  const alice = await f.user('alice');
  addProdModel(f.store, f.jumpHostKey.publicLine);
  f.store.addModel('secret', OTHER_UUID);
  f.store.grant('alice', PROD_UUID, 'admin');
  return { f, alice };
}

describe('resolving targets', () => {
  it('turns app/N, a machine id and a target name into the same kind of answer', async () => {
    const { f, alice } = await fleet();
    const machineKey = f.virtualHostKeys.forIdentity(machineHostKeyIdentity(PROD_UUID, '1'));

    const unit = await f.call('GET', '/v1/resolve?model=prod&target=postgresql/1', {
      credential: alice,
    });
    expect(unit).toEqual({
      status: 200,
      body: {
        name: 'postgresql/1',
        kind: 'unit',
        target: `1.postgresql.${PROD_UUID}`,
        host: `1.postgresql.${PROD_UUID}.juju.local`,
        model: { name: 'prod', uuid: PROD_UUID },
        machine: '1',
        hostKey: { publicLine: machineKey.publicLine, fingerprint: machineKey.fingerprint },
      },
    });

    const machine = await f.call('GET', `/v1/resolve?model=${PROD_UUID}&target=1`, {
      credential: alice,
    });
    expect(machine.body).toMatchObject({ name: '1', kind: 'machine', target: `1.${PROD_UUID}` });
    expect((machine.body as { hostKey: unknown }).hostKey).toEqual(
      (unit.body as { hostKey: unknown }).hostKey,
    );

    const named = await f.call('GET', `/v1/resolve?target=1.postgresql.${PROD_UUID}.juju.local`, {
      credential: alice,
    });
    expect(named.body).toEqual(unit.body);
  });

  it('lists the units there are when the one named is not', async () => {
    const { f, alice } = await fleet();

    const missing = await f.call('GET', '/v1/resolve?model=prod&target=postgresql/3', {
      credential: alice,
    });
    expect(missing).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        code: 'not-found',
        message: 'no unit postgresql/3 in model prod; units are: postgresql/0, /1',
      },
    });
    const app = await f.call('GET', '/v1/resolve?model=prod&target=mysql/0', { credential: alice });
    expect((app.body as { message: string }).message).toBe(
      'no unit mysql/0 in model prod; it has no mysql units; its applications are: ' +
        'postgresql, ubuntu',
    );
    const machine = await f.call('GET', '/v1/resolve?model=prod&target=0/lxd/4', {
      credential: alice,
    });
    expect((machine.body as { message: string }).message).toBe(
      'no machine 0/lxd/4 in model prod; machines are: 0, 1',
    );
  });

  it('says the same about a model the user may not reach as about one that does not exist', async () => {
    const { f, alice } = await fleet();

    const secret = await f.call('GET', '/v1/resolve?model=secret&target=0', { credential: alice });
    const absent = await f.call('GET', '/v1/resolve?model=nothing&target=0', {
      credential: alice,
    });
    expect(secret.status).toBe(404);
    expect((secret.body as { message: string }).message).toBe(
      'no model "secret" that you may reach; the models you may reach are: prod',
    );
    expect(absent.body).toEqual({
      ...(secret.body as object),
      message: 'no model "nothing" that you may reach; the models you may reach are: prod',
    });

    const byName = `0.${OTHER_UUID}`;
    const byUuid = `0.${'2b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b'}`;
    const hidden = await f.call('GET', `/v1/targets/${byName}/host-key`, { credential: alice });
    const none = await f.call('GET', `/v1/targets/${byUuid}/host-key`, { credential: alice });
    expect(hidden.status).toBe(403);
    expect(none.status).toBe(403);
    expect((hidden.body as { message: string }).message).toBe(
      (none.body as { message: string }).message.replace('2b2c3d4e', '1b2c3d4e'),
    );
  });

  it('refuses a name that is neither a unit, a machine id nor a target name', async () => {
    const { f, alice } = await fleet();

    const bad = await f.call('GET', '/v1/resolve?model=prod&target=Postgres', {
      credential: alice,
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'bad-target' });
    const noModel = await f.call('GET', '/v1/resolve?target=postgresql/0', { credential: alice });
    expect(noModel).toMatchObject({
      status: 400,
      body: { message: 'postgresql/0 names a unit but no model; name the model too' },
    });
  });
});

describe('listing what a user may reach', () => {
  it('shows models granted to the user, and every model to a superuser', async () => {
    const { f, alice } = await fleet();
    const root = await f.user('root', { superuser: true });

    expect((await f.call('GET', '/v1/models', { credential: alice })).body).toEqual([
      { name: 'prod', uuid: PROD_UUID },
    ]);
    const all = (await f.call('GET', '/v1/models', { credential: root })).body as unknown[];
    expect(all).toHaveLength(2);
  });

  it("lists a model's machines, units and targets with host keys", async () => {
    const { f, alice } = await fleet();

    const machines = await f.call('GET', '/v1/models/prod/machines', { credential: alice });
    expect(machines.body).toEqual([
      expect.objectContaining({ id: '0', target: `0.${PROD_UUID}`, address: '10.0.0.1', port: 22 }),
      expect.objectContaining({
        id: '1',
        port: 2222,
        hostKeyFingerprint: f.jumpHostKey.fingerprint,
      }),
    ]);
    const units = await f.call('GET', '/v1/models/prod/units', { credential: alice });
    expect((units.body as { unit: string }[]).map((u) => u.unit)).toEqual([
      'postgresql/0',
      'postgresql/1',
      'ubuntu/0',
    ]);
    const targets = (await f.call('GET', '/v1/models/prod/targets', { credential: alice }))
      .body as { name: string; host: string }[];
    expect(targets.map((t) => t.name)).toEqual([
      '0',
      '1',
      'postgresql/0',
      'postgresql/1',
      'ubuntu/0',
    ]);
    expect(targets[2]?.host).toBe(`0.postgresql.${PROD_UUID}.juju.local`);

    const hidden = await f.call('GET', '/v1/models/secret/targets', { credential: alice });
    expect(hidden.status).toBe(404);
  });

  it('gives no virtual host key once the grant is revoked', async () => {
    const { f, alice } = await fleet();
    const url = `/v1/targets/0.postgresql.${PROD_UUID}/host-key`;
    expect((await f.call('GET', url, { credential: alice })).status).toBe(200);

    f.store.revoke('alice', PROD_UUID, 'admin');
    const refused = await f.call('GET', url, { credential: alice });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ message: expect.stringMatching(/admin access to model/) });
  });
});
