/**
 * Who sent a request: every route but login needs `Authorization: Bearer <credential>`, which
 * API access turns into an enabled user. Admin routes then ask for a superuser.
 */
import { isJujuSshError, JujuSshError, type UserRecord } from '@juju-ssh/core';
import type { FastifyRequest } from 'fastify';
import type { ApiAccess } from '../auth/api-access.js';
import { UnauthenticatedError } from './error-replies.js';

const users = new WeakMap<FastifyRequest, UserRecord>();
const BEARER = /^Bearer ([\x21-\x7e]+)$/;

/** The hook that authenticates a request, unless its route says it is public. */
export function authenticateRequests(access: ApiAccess) {
  return async (request: FastifyRequest): Promise<void> => {
    const config: unknown = request.routeOptions.config;
    if (typeof config === 'object' && config !== null && 'public' in config) return;

    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    if (match === null || match[1] === undefined) {
      throw new UnauthenticatedError(
        'this request needs a credential (Authorization: Bearer …); log in with juju-ssh login',
      );
    }
    try {
      users.set(request, await access.authenticate(match[1]));
    } catch (error) {
      if (isJujuSshError(error, 'access-denied')) throw new UnauthenticatedError(error.message);
      throw error;
    }
  };
}

/** The user an authenticated request came from. */
export function requestUser(request: FastifyRequest): UserRecord {
  const user = users.get(request);
  if (user === undefined) {
    // Only reachable from a public route that asks for a user: a programming error.
    throw new Error(`no authenticated user for ${request.method} ${request.url}`);
  }
  return user;
}

/**
 * The request's user, who must be a controller superuser.
 * @throws JujuSshError `access-denied` naming what is needed.
 */
export function requireSuperuser(request: FastifyRequest, action: string): UserRecord {
  const user = requestUser(request);
  if (!user.superuser) {
    throw new JujuSshError(
      'access-denied',
      `${action} needs a controller superuser, and ${user.name} is not one`,
    );
  }
  return user;
}
