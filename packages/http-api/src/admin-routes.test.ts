import { generateEd25519HostKey } from '@juju-ssh/host-keys';
import { describe, expect, it } from 'vitest';
import { PROD_UUID, startApiFixture } from './testing/api-fixture.js';

describe('admin routes', () => {
  it('let a superuser add a user who then logs in with the registration string', async () => {
    const f = await startApiFixture();
    const root = await f.user('root', { superuser: true });

    const added = await f.call('POST', '/v1/users', { credential: root, body: { name: 'bob' } });
    expect(added.status).toBe(201);
    const { registration, user } = added.body as { registration: string; user: unknown };
    expect(user).toEqual({ name: 'bob', superuser: false, disabled: false });
    const login = await f.call('POST', '/v1/login', { body: { registration } });
    expect(login.status).toBe(200);

    const fresh = await f.call('POST', '/v1/users/bob/registration', { credential: root });
    expect(fresh.status).toBe(201);
    expect((fresh.body as { registration: string }).registration).not.toBe(registration);
    const missing = await f.call('POST', '/v1/users/nobody/registration', { credential: root });
    expect(missing).toMatchObject({
      status: 404,
      body: { message: 'no user nobody; see list-users' },
    });
  });

  it('let a superuser build a model: machines, units, grants, and disable a user', async () => {
    const f = await startApiFixture();
    const root = await f.user('root', { superuser: true });
    const alice = await f.user('alice');
    const hostKey = generateEd25519HostKey().publicLine;
    const as = { credential: root };

    const model = await f.call('POST', '/v1/models', {
      ...as,
      body: { name: 'prod', uuid: PROD_UUID },
    });
    expect(model).toEqual({ status: 201, body: { name: 'prod', uuid: PROD_UUID } });
    const machine = await f.call('POST', '/v1/models/prod/machines', {
      ...as,
      body: { id: '0-lxd-1', address: '10.0.0.9', hostKey },
    });
    expect(machine.status).toBe(201);
    expect(machine.body).toMatchObject({ id: '0/lxd/1', port: 22, target: `0-lxd-1.${PROD_UUID}` });
    const moved = await f.call('PATCH', '/v1/models/prod/machines/0%2Flxd%2F1', {
      ...as,
      body: { port: 2200 },
    });
    expect(moved.body).toMatchObject({ id: '0/lxd/1', address: '10.0.0.9', port: 2200 });
    const unit = await f.call('POST', '/v1/models/prod/units', {
      ...as,
      body: { unit: 'postgresql/0', machine: '0/lxd/1' },
    });
    expect(unit).toMatchObject({ status: 201, body: { unit: 'postgresql/0', machine: '0/lxd/1' } });

    const grant = await f.call('PUT', '/v1/models/prod/grants/alice/admin', as);
    expect(grant.body).toEqual({
      user: 'alice',
      access: 'admin',
      model: 'prod',
      modelUuid: PROD_UUID,
    });
    const seen = await f.call('GET', '/v1/models', { credential: alice });
    expect(seen.body).toEqual([{ name: 'prod', uuid: PROD_UUID }]);
    await f.call('DELETE', '/v1/models/prod/grants/alice/admin', as);
    expect((await f.call('GET', '/v1/models', { credential: alice })).body).toEqual([]);

    const disabled = await f.call('POST', '/v1/users/alice/disable', as);
    expect(disabled.body).toEqual({ name: 'alice', superuser: false, disabled: true });
    expect((await f.call('GET', '/v1/models', { credential: alice })).status).toBe(401);
    await f.call('POST', '/v1/users/alice/enable', as);
    expect((await f.call('GET', '/v1/models', { credential: alice })).status).toBe(200);

    const users = await f.call('GET', '/v1/users', as);
    expect((users.body as { name: string }[]).map((u) => u.name)).toEqual(['alice', 'root']);
    const line = await f.call('GET', '/v1/system-key?authorizedKeysFile=/srv/keys', as);
    expect(line.body).toEqual({ authorizedKeysLine: 'restrict,command="edit /srv/keys" key' });
  });

  it('refuse every admin action to a user who is not a superuser, before looking anything up', async () => {
    const f = await startApiFixture();
    const alice = await f.user('alice');
    const as = { credential: alice };
    const hostKey = generateEd25519HostKey().publicLine;

    const attempts = [
      await f.call('GET', '/v1/users', as),
      await f.call('POST', '/v1/users', { ...as, body: { name: 'mallory', superuser: true } }),
      await f.call('POST', '/v1/users/root/disable', as),
      await f.call('POST', '/v1/models', { ...as, body: { name: 'mine' } }),
      await f.call('PUT', '/v1/models/no-such-model/grants/alice/admin', as),
      await f.call('POST', '/v1/models/no-such-model/machines', {
        ...as,
        body: { id: '0', address: '10.0.0.1', hostKey },
      }),
      await f.call('GET', '/v1/system-key', as),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect((attempt.body as { message: string }).message).toMatch(
        /needs a controller superuser, and alice is not one$/,
      );
    }
    expect(f.store.listUsers().map((u) => u.name)).toEqual(['alice']);
  });

  it('let users manage their own SSH keys but not anyone else’s', async () => {
    const f = await startApiFixture();
    const alice = await f.user('alice');
    await f.user('bob');
    const key = generateEd25519HostKey();
    const line = `${key.publicLine} alice@laptop`;

    const added = await f.call('POST', '/v1/users/alice/ssh-keys', {
      credential: alice,
      body: { publicKey: line },
    });
    expect(added).toEqual({
      status: 201,
      body: {
        user: 'alice',
        fingerprint: key.fingerprint,
        type: 'ssh-ed25519',
        comment: 'alice@laptop',
      },
    });
    const listed = await f.call('GET', '/v1/users/alice/ssh-keys', { credential: alice });
    expect(listed.body).toEqual([added.body]);
    const theirs = await f.call('POST', '/v1/users/bob/ssh-keys', {
      credential: alice,
      body: { publicKey: generateEd25519HostKey().publicLine },
    });
    expect(theirs).toMatchObject({
      status: 403,
      body: {
        message: "adding another user's SSH keys needs a controller superuser; you are alice",
      },
    });

    const url = `/v1/users/alice/ssh-keys/${encodeURIComponent(key.fingerprint)}`;
    const removed = await f.call('DELETE', url, { credential: alice });
    expect(removed.body).toEqual([added.body]);
    expect(f.store.listUserKeys('alice')).toEqual([]);
  });
});
