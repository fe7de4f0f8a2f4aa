/**
 * What a user may reach: their models, each model's machines, units and targets, resolving
 * `app/N` or a machine id to a target, and a target's virtual host key.
 */
import { Type } from 'typebox';
import type { ApiApp, RouteContext } from '../http/api-app.js';
import { requestUser } from '../http/request-user.js';
import {
  MachineList,
  ModelList,
  ResolveQuery,
  TargetList,
  TargetView,
  UnitList,
} from '../protocol/access-schemas.js';
import { ModelParams } from '../protocol/common-schemas.js';

const TargetParams = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 253, description: 'a target name' }),
});

/** Adds the routes any user may call. */
export function accessRoutes(app: ApiApp, { directory }: RouteContext): void {
  app.get('/v1/models', { schema: { response: { 200: ModelList } } }, async (request) =>
    directory.reachableModels(requestUser(request)),
  );

  app.get(
    '/v1/models/:model/machines',
    { schema: { params: ModelParams, response: { 200: MachineList } } },
    async (request) => directory.machines(requestUser(request), request.params.model),
  );

  app.get(
    '/v1/models/:model/units',
    { schema: { params: ModelParams, response: { 200: UnitList } } },
    async (request) => directory.units(requestUser(request), request.params.model),
  );

  app.get(
    '/v1/models/:model/targets',
    { schema: { params: ModelParams, response: { 200: TargetList } } },
    async (request) => directory.targets(requestUser(request), request.params.model),
  );

  app.get(
    '/v1/resolve',
    { schema: { querystring: ResolveQuery, response: { 200: TargetView } } },
    async (request) =>
      directory.resolve(requestUser(request), request.query.target, request.query.model),
  );

  app.get(
    '/v1/targets/:target/host-key',
    { schema: { params: TargetParams, response: { 200: TargetView } } },
    async (request) => directory.resolve(requestUser(request), request.params.target),
  );
}
