import { describe, expect, it } from 'vitest';
import { startApiFixture } from './testing/api-fixture.js';

describe('login with a registration string', () => {
  it('exchanges the string once for a credential that then works', async () => {
    const f = await startApiFixture();
    f.store.addUser('alice');
    const { registration } = await f.access.issueRegistration('alice');

    const login = await f.call('POST', '/v1/login', { body: { registration, label: 'laptop' } });
    expect(login.status).toBe(200);
    const body = login.body as { user: string; credential: string; controller: unknown };
    expect(body.user).toBe('alice');
    expect(body.credential).toMatch(/^jsc1_[A-Za-z0-9_-]{43}$/);
    expect(body.controller).toEqual({
      controllerId: 'ctl-test',
      sshPort: 17022,
      jumpHostKey: { publicLine: f.jumpHostKey.publicLine, fingerprint: f.jumpHostKey.fingerprint },
    });

    const whoami = await f.call('GET', '/v1/whoami', { credential: body.credential });
    expect(whoami).toEqual({
      status: 200,
      body: { name: 'alice', superuser: false, disabled: false },
    });
    expect(f.store.listApiCredentials('alice').map((c) => c.label)).toEqual(['laptop']);

    const again = await f.call('POST', '/v1/login', { body: { registration } });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/unknown or has been used already/),
    });
  });

  it('refuses an expired registration string', async () => {
    const f = await startApiFixture();
    f.store.addUser('alice');
    const { ApiAccess } = await import('./auth/api-access.js');
    const stale = new ApiAccess(f.store, { now: () => new Date('2020-01-01T00:00:00Z') });
    const { registration } = await stale.issueRegistration('alice');

    const login = await f.call('POST', '/v1/login', { body: { registration } });
    expect(login.status).toBe(401);
    expect(login.body).toMatchObject({ message: expect.stringMatching(/expired at 2020-01-08/) });
  });

  it('refuses requests without a credential, with a bad one, or from a disabled user', async () => {
    const f = await startApiFixture();
    const credential = await f.user('alice');

    const none = await f.call('GET', '/v1/models');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ message: expect.stringMatching(/juju-ssh login/) });

    const forged = await f.call('GET', '/v1/models', { credential: `jsc1_${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ message: expect.stringMatching(/not recognised/) });

    f.store.disableUser('alice');
    const disabled = await f.call('GET', '/v1/models', { credential });
    expect(disabled).toMatchObject({
      status: 401,
      body: { message: 'user alice is disabled; ask a controller superuser to enable it' },
    });
  });

  it('answers unknown routes with 404 only once the caller is known', async () => {
    const f = await startApiFixture();
    const credential = await f.user('alice');

    expect((await f.call('GET', '/v1/nothing-here')).status).toBe(401);
    expect(await f.call('GET', '/v1/nothing-here?x=1', { credential })).toEqual({
      status: 404,
      body: { statusCode: 404, code: 'not-found', message: 'no API route GET /v1/nothing-here' },
    });
  });
});
