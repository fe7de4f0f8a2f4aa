/**
 * The collaborators JIMM's tunnel works with, as the composition root hands them over, and the
 * small interfaces it defines for the parts it needs only a slice of.
 */
import type { AuditTrail } from '@juju-ssh/audit';
import type { AccessPolicy } from '@juju-ssh/authz';
import type { ControllerRecord } from '@juju-ssh/controller-registry';
import type { Awaitable } from '@juju-ssh/core';
import type { HostKey } from '@juju-ssh/host-keys';
import type { JumpServerLimits } from '@juju-ssh/jump-server';
import type { MintedRelayToken, RelayTokenRequest } from '@juju-ssh/relay-token';
import type { Logger } from 'pino';

/** Where JIMM finds the controller that hosts a model. */
export interface ControllerDirectory {
  controllerForModel(modelUuid: string): Awaitable<ControllerRecord | undefined>;
}

/** Mints the token JIMM presents to a controller as the relay user's password. */
export interface RelayTokenMinter {
  mint(request: RelayTokenRequest): Promise<MintedRelayToken>;
}

/** Which way relayed bytes were going. */
export type RelayDirection = 'to-controller' | 'to-client';

/**
 * Sees every chunk the tunnel relays. For debugging and for tests that prove JIMM carries only
 * ciphertext; never set in production.
 */
export type RelayTap = (sessionId: string, direction: RelayDirection, chunk: Buffer) => void;

/** Everything a tunnel server is built from. */
export interface TunnelServerOptions {
  /** JIMM's own jump host key, presented to users. */
  readonly jumpHostKey: HostKey;
  /** JIMM's users, keys, models and grants. */
  readonly policy: AccessPolicy;
  readonly controllers: ControllerDirectory;
  readonly tokens: RelayTokenMinter;
  readonly audit: AuditTrail;
  readonly logger: Logger;
  /** Connection limits; `upstreamConnectTimeoutMs` bounds reaching a controller. */
  readonly limits?: Partial<JumpServerLimits>;
  readonly relayTap?: RelayTap;
}

/** The options with limits resolved; what each connection handler receives. */
export interface TunnelServices extends Omit<TunnelServerOptions, 'limits'> {
  readonly limits: JumpServerLimits;
}
