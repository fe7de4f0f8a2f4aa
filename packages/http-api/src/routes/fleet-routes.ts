/**
 * Machines and units, for superusers: add a machine with the address and real host key the
 * controller pins, change them, place units, and fetch the system key line machines need.
 */
import { JujuSshError } from '@juju-ssh/core';
import type { ApiApp, RouteContext } from '../http/api-app.js';
import { requireSuperuser } from '../http/request-user.js';
import { MachineView, UnitView } from '../protocol/access-schemas.js';
import {
  AddMachineRequest,
  AddUnitRequest,
  MachineParams,
  SystemKeyQuery,
  SystemKeyView,
  UpdateMachineRequest,
} from '../protocol/admin-schemas.js';
import { ModelParams } from '../protocol/common-schemas.js';
import { machineView, unitView } from '../views.js';

const SSH_PORT = 22;

/** Adds the machine, unit and system key routes. */
export function fleetRoutes(app: ApiApp, { services, directory }: RouteContext): void {
  const { store } = services;

  app.post(
    '/v1/models/:model/machines',
    { schema: { params: ModelParams, body: AddMachineRequest, response: { 201: MachineView } } },
    async (request, reply) => {
      const admin = requireSuperuser(request, 'adding a machine');
      const model = await directory.modelFor(admin, request.params.model);
      const { id, address, port, hostKey } = request.body;
      const machine = await store.addMachine({
        modelUuid: model.uuid,
        id: id.replaceAll('-', '/'),
        address,
        port: port ?? SSH_PORT,
        hostKey,
      });
      void reply.status(201);
      return machineView(machine);
    },
  );

  app.patch(
    '/v1/models/:model/machines/:machine',
    {
      schema: { params: MachineParams, body: UpdateMachineRequest, response: { 200: MachineView } },
    },
    async (request) => {
      const admin = requireSuperuser(request, 'changing a machine');
      const model = await directory.modelFor(admin, request.params.model);
      const id = request.params.machine.replaceAll('-', '/');
      return machineView(await store.updateMachine(model.uuid, id, request.body));
    },
  );

  app.post(
    '/v1/models/:model/units',
    { schema: { params: ModelParams, body: AddUnitRequest, response: { 201: UnitView } } },
    async (request, reply) => {
      const admin = requireSuperuser(request, 'adding a unit');
      const model = await directory.modelFor(admin, request.params.model);
      const [application = '', number = ''] = request.body.unit.split('/');
      const unit = await store.addUnit({
        modelUuid: model.uuid,
        application,
        number: Number(number),
        machineId: request.body.machine.replaceAll('-', '/'),
      });
      void reply.status(201);
      return unitView(unit);
    },
  );

  app.get(
    '/v1/system-key',
    { schema: { querystring: SystemKeyQuery, response: { 200: SystemKeyView } } },
    async (request) => {
      requireSuperuser(request, 'reading the system key line');
      if (services.systemKeyLine === undefined) {
        throw new JujuSshError('not-found', 'this controller does not offer a system key line');
      }
      return { authorizedKeysLine: services.systemKeyLine(request.query.authorizedKeysFile) };
    },
  );
}
