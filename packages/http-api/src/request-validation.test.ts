import { describe, expect, it } from 'vitest';
import { startApiFixture } from './testing/api-fixture.js';

/** Calls as a superuser and returns status and message. */
async function refusal(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  body?: unknown,
): Promise<{ status: number; message: string }> {
  const f = await startApiFixture();
  const credential = await f.user('root', { superuser: true });
  f.store.addModel('prod');
  const result = await f.call(method, url, { credential, body });
  return { status: result.status, message: (result.body as { message: string }).message };
}

describe('bad requests', () => {
  it('name a missing field', async () => {
    expect(await refusal('POST', '/v1/users', {})).toEqual({
      status: 400,
      message: 'body is missing the field name',
    });
  });

  it('name an unknown field instead of dropping it', async () => {
    expect(await refusal('POST', '/v1/users', { name: 'bob', admin: true })).toEqual({
      status: 400,
      message: 'body has an unknown field "admin"',
    });
  });

  it('say what form a field must take', async () => {
    expect(await refusal('POST', '/v1/users', { name: 'Bob!' })).toEqual({
      status: 400,
      message:
        'body.name is not valid: expected 1 to 64 lowercase letters, digits, "." and "-", ' +
        'starting with a letter',
    });
    expect(
      await refusal('POST', '/v1/models/prod/machines', {
        id: '0',
        address: '10.0.0.1',
        port: 70000,
        hostKey: 'ssh-ed25519 AAAA',
      }),
    ).toEqual({ status: 400, message: 'body.port is not valid: expected a port from 1 to 65535' });
    expect(await refusal('POST', '/v1/users', { name: 'bob', superuser: 'yes' })).toEqual({
      status: 400,
      message: 'body.superuser must be of type boolean',
    });
  });

  it('name a bad path or query parameter', async () => {
    expect(await refusal('PUT', '/v1/models/prod/grants/bob/owner')).toEqual({
      status: 400,
      message: 'params.access is not valid: expected admin',
    });
    expect(await refusal('GET', '/v1/resolve?model=prod')).toEqual({
      status: 400,
      message: 'query is missing the field target',
    });
  });

  it('ask for at least one change to a machine', async () => {
    expect(await refusal('PATCH', '/v1/models/prod/machines/0', {})).toEqual({
      status: 400,
      message: 'body is not valid: expected at least one of address, port and hostKey',
    });
  });

  it('refuse a body that is not JSON, or not an object', async () => {
    const f = await startApiFixture();
    const credential = await f.user('root', { superuser: true });
    const headers = { authorization: `Bearer ${credential}` };

    const text = await f.server.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'name=bob',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toBe(
      'send the request body as JSON, with Content-Type: application/json',
    );

    const broken = await f.server.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('bad-request');

    const list = await f.call('POST', '/v1/users', { credential, body: ['bob'] });
    expect(list).toMatchObject({
      status: 400,
      body: { message: 'the request body must be a JSON object' },
    });
  });

  it('report refusals of the store with their reason', async () => {
    const f = await startApiFixture();
    const credential = await f.user('root', { superuser: true });

    const twice = await f.call('POST', '/v1/users', { credential, body: { name: 'root' } });
    expect(twice).toMatchObject({
      status: 409,
      body: { code: 'already-exists', message: 'user root already exists' },
    });
    const key = await f.call('POST', '/v1/users/root/ssh-keys', {
      credential,
      body: { publicKey: 'ssh-ed25519 not-base64' },
    });
    expect(key.status).toBe(400);
    expect(key.body).toMatchObject({ code: 'invalid-key' });
  });
});
