/**
 * Users and their SSH keys. Adding, listing, disabling and enabling users, and making a new
 * registration string, need a superuser; a user may manage their own SSH keys.
 */
import { JujuSshError, type UserKeyRecord } from '@juju-ssh/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiApp, RouteContext } from '../http/api-app.js';
import { requestUser, requireSuperuser } from '../http/request-user.js';
import {
  AddSshKeyRequest,
  AddUserRequest,
  RegistrationView,
  SshKeyList,
  SshKeyParams,
  SshKeyView as SshKeySchema,
  type SshKeyView,
  UserList,
} from '../protocol/admin-schemas.js';
import { UserParams, UserView } from '../protocol/common-schemas.js';

const UserActionParams = Type.Object({
  user: UserParams.properties.user,
  action: Type.Union([Type.Literal('disable'), Type.Literal('enable')], {
    description: 'disable or enable',
  }),
});

/** Adds the user and SSH key routes. */
export function userRoutes(app: ApiApp, { services }: RouteContext): void {
  const { store, access } = services;

  app.get('/v1/users', { schema: { response: { 200: UserList } } }, async (request) => {
    requireSuperuser(request, 'listing users');
    return store.listUsers();
  });

  app.post(
    '/v1/users',
    { schema: { body: AddUserRequest, response: { 201: RegistrationView } } },
    async (request, reply) => {
      requireSuperuser(request, 'adding a user');
      const user = await store.addUser(request.body.name, { superuser: request.body.superuser });
      const issued = await access.issueRegistration(user.name);
      void reply.status(201);
      return { user, registration: issued.registration, expiresAt: issued.expiresAt.toISOString() };
    },
  );

  app.post(
    '/v1/users/:user/registration',
    { schema: { params: UserParams, response: { 201: RegistrationView } } },
    async (request, reply) => {
      requireSuperuser(request, 'making a registration string');
      const user = await store.findUser(request.params.user);
      if (user === undefined) {
        throw new JujuSshError('not-found', `no user ${request.params.user}; see list-users`);
      }
      const issued = await access.issueRegistration(user.name);
      void reply.status(201);
      return { user, registration: issued.registration, expiresAt: issued.expiresAt.toISOString() };
    },
  );

  app.post(
    '/v1/users/:user/:action',
    { schema: { params: UserActionParams, response: { 200: UserView } } },
    async (request) => {
      const { user, action } = request.params;
      requireSuperuser(request, `${action === 'disable' ? 'disabling' : 'enabling'} a user`);
      return action === 'disable' ? store.disableUser(user) : store.enableUser(user);
    },
  );

  app.get(
    '/v1/users/:user/ssh-keys',
    { schema: { params: UserParams, response: { 200: SshKeyList } } },
    async (request) => {
      const user = keyOwner(request, request.params.user, 'listing');
      return (await store.listUserKeys(user)).map(keyView);
    },
  );

  app.post(
    '/v1/users/:user/ssh-keys',
    { schema: { params: UserParams, body: AddSshKeyRequest, response: { 201: SshKeySchema } } },
    async (request, reply) => {
      const user = keyOwner(request, request.params.user, 'adding');
      const key = await store.addUserKey(user, request.body.publicKey);
      void reply.status(201);
      return keyView(key);
    },
  );

  app.delete(
    '/v1/users/:user/ssh-keys/:key',
    { schema: { params: SshKeyParams, response: { 200: SshKeyList } } },
    async (request) => {
      const user = keyOwner(request, request.params.user, 'removing');
      return (await store.removeUserKey(user, request.params.key)).map(keyView);
    },
  );
}

/** The user whose keys a request names, once it may touch them: its own, or any superuser's. */
function keyOwner(request: FastifyRequest, owner: string, verb: string): string {
  const user = requestUser(request);
  if (user.name !== owner && !user.superuser) {
    throw new JujuSshError(
      'access-denied',
      `${verb} another user's SSH keys needs a controller superuser; you are ${user.name}`,
    );
  }
  return owner;
}

function keyView(key: UserKeyRecord): SshKeyView {
  return { user: key.user, fingerprint: key.fingerprint, type: key.type, comment: key.comment };
}
