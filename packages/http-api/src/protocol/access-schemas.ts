/**
 * Schemas of the routes every user has: logging in, the controller's jump host, and the models,
 * machines, units and targets the user may reach, with their virtual host keys.
 */
import { type Static, Type } from 'typebox';
import { ModelRef, ModelView, PublicKeyView } from './common-schemas.js';

/** `POST /v1/login`: a one-time registration string to exchange for a credential. */
export const LoginRequest = Type.Object(
  {
    registration: Type.String({
      pattern: '^jsr1_[A-Za-z0-9_-]{43}$',
      description: 'the registration string add-user printed (jsr1_ and 43 more characters)',
    }),
    label: Type.Optional(
      Type.String({
        pattern: '^[\\x20-\\x7e]{1,100}$',
        description: '1 to 100 printable ASCII characters naming this credential',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Where users connect with SSH, and the key the jump host shows. */
export const ControllerView = Type.Object({
  controllerId: Type.String(),
  /** The SSH jump server's port; its host is the one the API was reached at. */
  sshPort: Type.Integer(),
  jumpHostKey: PublicKeyView,
});

/** The answer to a login: the credential to keep, and whom it belongs to. */
export const LoginResponse = Type.Object({
  user: Type.String(),
  credential: Type.String(),
  controller: ControllerView,
});

/** A target a user may reach, with the host key the controller presents for it. */
export const TargetView = Type.Object({
  /** `postgresql/0` for a unit, `0/lxd/1` for a machine. */
  name: Type.String(),
  kind: Type.Union([Type.Literal('machine'), Type.Literal('unit')]),
  /** The target name: `0.postgresql.<model-uuid>`. */
  target: Type.String(),
  /** The host to give ssh: the target name and the `juju.local` suffix. */
  host: Type.String(),
  model: ModelView,
  machine: Type.String(),
  hostKey: PublicKeyView,
});

/** `GET /v1/resolve`: a unit (`app/N`), a machine id or a target name, in a model. */
export const ResolveQuery = Type.Object(
  {
    target: Type.String({
      minLength: 1,
      maxLength: 253,
      description: 'app/N, a machine id, or a target name',
    }),
    model: Type.Optional(ModelRef),
  },
  { additionalProperties: false },
);

/** A machine of a model as users see it. */
export const MachineView = Type.Object({
  id: Type.String(),
  target: Type.String(),
  address: Type.String(),
  port: Type.Integer(),
  hostKeyFingerprint: Type.String(),
});

/** A unit of a model as users see it. */
export const UnitView = Type.Object({
  unit: Type.String(),
  application: Type.String(),
  number: Type.Integer(),
  machine: Type.String(),
  target: Type.String(),
});

export const TargetList = Type.Array(TargetView);
export const MachineList = Type.Array(MachineView);
export const UnitList = Type.Array(UnitView);
export const ModelList = Type.Array(ModelView);

export type LoginRequest = Static<typeof LoginRequest>;
export type LoginResponse = Static<typeof LoginResponse>;
export type ControllerView = Static<typeof ControllerView>;
export type TargetView = Static<typeof TargetView>;
export type ResolveQuery = Static<typeof ResolveQuery>;
export type MachineView = Static<typeof MachineView>;
export type UnitView = Static<typeof UnitView>;
