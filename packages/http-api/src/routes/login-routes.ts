/**
 * Logging in and finding the controller: the exchange of a registration string for a
 * credential (the only route without one), the jump host's key and port, and who am I.
 */
import { isJujuSshError } from '@juju-ssh/core';
import type { ApiServices } from '../api-services.js';
import type { ApiApp, RouteContext } from '../http/api-app.js';
import { UnauthenticatedError } from '../http/error-replies.js';
import { requestUser } from '../http/request-user.js';
import {
  ControllerView as ControllerSchema,
  type ControllerView,
  LoginRequest,
  LoginResponse,
} from '../protocol/access-schemas.js';
import { UserView } from '../protocol/common-schemas.js';

/** Adds the login, controller and whoami routes. */
export function loginRoutes(app: ApiApp, { services }: RouteContext): void {
  // TODO: login attempts are not rate-limited. Registration strings carry 256 random bits, so
  // guessing is hopeless, but a flood of attempts costs a store transaction each.
  app.post(
    '/v1/login',
    { config: { public: true }, schema: { body: LoginRequest, response: { 200: LoginResponse } } },
    async (request) => {
      const label = request.body.label ?? 'registration';
      try {
        const { user, credential } = await services.access.redeemRegistration(
          request.body.registration,
          label,
        );
        return { user, credential, controller: controllerView(services) };
      } catch (error) {
        if (isJujuSshError(error, 'access-denied')) throw new UnauthenticatedError(error.message);
        throw error;
      }
    },
  );

  app.get('/v1/controller', { schema: { response: { 200: ControllerSchema } } }, async () =>
    controllerView(services),
  );

  app.get('/v1/whoami', { schema: { response: { 200: UserView } } }, async (request) =>
    requestUser(request),
  );
}

function controllerView(services: ApiServices): ControllerView {
  const { publicLine, fingerprint } = services.jumpHostKey;
  return {
    controllerId: services.controllerId,
    sshPort: services.sshPort(),
    jumpHostKey: { publicLine, fingerprint },
  };
}
