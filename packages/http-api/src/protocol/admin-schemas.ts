/**
 * Schemas of the admin routes: users and their SSH keys, models and grants, machines and units,
 * and the system key line machines need. All but a user's own keys need a superuser.
 */
import { type Static, Type } from 'typebox';
import { MachineId, ModelAccessLevel, UserName, UserView } from './common-schemas.js';

const HOST = Type.String({
  minLength: 1,
  maxLength: 253,
  description: 'an IP address or host name, without brackets or port',
});
const PORT = Type.Integer({ minimum: 1, maximum: 65535, description: 'a port from 1 to 65535' });
const KEY_LINE = Type.String({
  minLength: 1,
  maxLength: 16_384,
  description: 'an OpenSSH public key line',
});

/** `POST /v1/users`. */
export const AddUserRequest = Type.Object(
  { name: UserName, superuser: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** A user and the one-time registration string they log in with. */
export const RegistrationView = Type.Object({
  user: UserView,
  registration: Type.String(),
  expiresAt: Type.String(),
});

/** `POST /v1/users/:user/ssh-keys`. */
export const AddSshKeyRequest = Type.Object(
  { publicKey: KEY_LINE },
  { additionalProperties: false },
);

/** A registered SSH key. */
export const SshKeyView = Type.Object({
  user: Type.String(),
  fingerprint: Type.String(),
  type: Type.String(),
  comment: Type.String(),
});

/** `DELETE /v1/users/:user/ssh-keys/:key`: a fingerprint or a comment. */
export const SshKeyParams = Type.Object({
  user: UserName,
  key: Type.String({ minLength: 1, maxLength: 1000, description: 'a fingerprint or comment' }),
});

/** `POST /v1/models`. */
export const AddModelRequest = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: '1 to 63 lowercase letters, digits and hyphens, as in prod or web-1',
    }),
    uuid: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
        description: 'a lowercase RFC 4122 UUID',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `PUT` and `DELETE /v1/models/:model/grants/:user/:access`. */
export const GrantParams = Type.Object({
  model: Type.String({ minLength: 1, maxLength: 100, description: 'a model name or UUID' }),
  user: UserName,
  access: ModelAccessLevel,
});

/** What a grant or revoke did. */
export const GrantView = Type.Object({
  user: Type.String(),
  access: Type.String(),
  model: Type.String(),
  modelUuid: Type.String(),
});

/** `POST /v1/models/:model/machines`. */
export const AddMachineRequest = Type.Object(
  { id: MachineId, address: HOST, port: Type.Optional(PORT), hostKey: KEY_LINE },
  { additionalProperties: false },
);

/** `PATCH /v1/models/:model/machines/:machine`. */
export const UpdateMachineRequest = Type.Object(
  { address: Type.Optional(HOST), port: Type.Optional(PORT), hostKey: Type.Optional(KEY_LINE) },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'at least one of address, port and hostKey',
  },
);

/** `/v1/models/:model/machines/:machine`. */
export const MachineParams = Type.Object({
  model: Type.String({ minLength: 1, maxLength: 100, description: 'a model name or UUID' }),
  machine: MachineId,
});

/** `POST /v1/models/:model/units`. */
export const AddUnitRequest = Type.Object(
  {
    unit: Type.String({
      pattern: '^[a-z][a-z0-9-]*/(0|[1-9][0-9]{0,8})$',
      description: 'APPLICATION/NUMBER, as in postgresql/0',
    }),
    machine: MachineId,
  },
  { additionalProperties: false },
);

/** `GET /v1/system-key`. */
export const SystemKeyQuery = Type.Object(
  {
    authorizedKeysFile: Type.Optional(
      Type.String({
        pattern: '^[^\\s"\\\\]{1,4096}$',
        description: 'an absolute path or ~/ path without spaces or quotes',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The authorized_keys line machines need for the system key. */
export const SystemKeyView = Type.Object({ authorizedKeysLine: Type.String() });

export const UserList = Type.Array(UserView);
export const SshKeyList = Type.Array(SshKeyView);

export type AddUserRequest = Static<typeof AddUserRequest>;
export type RegistrationView = Static<typeof RegistrationView>;
export type SshKeyView = Static<typeof SshKeyView>;
export type GrantView = Static<typeof GrantView>;
export type AddMachineRequest = Static<typeof AddMachineRequest>;
export type UpdateMachineRequest = Static<typeof UpdateMachineRequest>;
export type AddUnitRequest = Static<typeof AddUnitRequest>;
export type SystemKeyView = Static<typeof SystemKeyView>;
