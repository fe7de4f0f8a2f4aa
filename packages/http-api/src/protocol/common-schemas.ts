/**
 * Schemas shared by many routes: names, references and the error body. The server validates
 * requests against them; the CLI reads the same types for what it sends and receives.
 */
import { type Static, Type } from 'typebox';

/** A user name as the store accepts it. */
export const UserName = Type.String({
  pattern: '^[a-z][a-z0-9.-]{0,63}$',
  description: '1 to 64 lowercase letters, digits, "." and "-", starting with a letter',
});

/** A model, named by its name or UUID. */
export const ModelRef = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'a model name or UUID',
});

/** A Juju machine id: `0`, `0/lxd/1` (or `0-lxd-1` as in target names). */
export const MachineId = Type.String({
  pattern: '^(0|[1-9][0-9]{0,8})([/-](lxd|kvm)[/-](0|[1-9][0-9]{0,8}))*$',
  description: 'a machine id such as 0 or 0/lxd/1',
});

/** The one model access level there is. */
export const ModelAccessLevel = Type.Literal('admin', { description: 'admin' });

/** A public key line and its fingerprint. */
export const PublicKeyView = Type.Object({
  publicLine: Type.String(),
  fingerprint: Type.String(),
});

/** Every refusal: a stable code and a message a person can act on. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});

/** A user record as the API shows it. */
export const UserView = Type.Object({
  name: Type.String(),
  superuser: Type.Boolean(),
  disabled: Type.Boolean(),
});

/** A model as the API shows it. */
export const ModelView = Type.Object({ name: Type.String(), uuid: Type.String() });

/** The path parameter of routes under one model. */
export const ModelParams = Type.Object({ model: ModelRef });

/** The path parameter of routes under one user. */
export const UserParams = Type.Object({ user: UserName });

export type PublicKeyView = Static<typeof PublicKeyView>;
export type ErrorBody = Static<typeof ErrorBody>;
export type UserView = Static<typeof UserView>;
export type ModelView = Static<typeof ModelView>;
