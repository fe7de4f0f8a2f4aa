/**
 * Models and grants, for superusers: add a model, and give or take a user's admin access to
 * one. Reading models is in the access routes, for every user.
 */
import type { ApiApp, RouteContext } from '../http/api-app.js';
import { requireSuperuser } from '../http/request-user.js';
import { AddModelRequest, GrantParams, GrantView } from '../protocol/admin-schemas.js';
import { ModelView } from '../protocol/common-schemas.js';

/** Adds the model and grant routes. */
export function modelRoutes(app: ApiApp, { services, directory }: RouteContext): void {
  const { store } = services;

  app.post(
    '/v1/models',
    { schema: { body: AddModelRequest, response: { 201: ModelView } } },
    async (request, reply) => {
      requireSuperuser(request, 'adding a model');
      const model = await store.addModel(request.body.name, request.body.uuid);
      void reply.status(201);
      return model;
    },
  );

  for (const verb of ['grant', 'revoke'] as const) {
    const method = verb === 'grant' ? 'PUT' : 'DELETE';
    app.route({
      method,
      url: '/v1/models/:model/grants/:user/:access',
      schema: { params: GrantParams, response: { 200: GrantView } },
      handler: async (request) => {
        const admin = requireSuperuser(
          request,
          `${verb === 'grant' ? 'granting' : 'revoking'} access`,
        );
        const { model: ref, user, access } = request.params;
        const model = await directory.modelFor(admin, ref);
        await store[verb](user, model.uuid, access);
        return { user, access, model: model.name, modelUuid: model.uuid };
      },
    });
  }
}
