/**
 * The collaborators a jump server works with, as the composition root hands them over, and the
 * small interfaces it defines for the parts it only needs a slice of.
 */

import type { AuditTrail, SessionPolicyChain } from '@juju-ssh/audit';
import type { AccessPolicy, RelayedPrincipal } from '@juju-ssh/authz';
import type { Awaitable } from '@juju-ssh/core';
import type { EphemeralKeyManager } from '@juju-ssh/ephemeral-keys';
import type { HostKey, VirtualHostKeys } from '@juju-ssh/host-keys';
import type { Logger } from 'pino';
import type { ForwardingPolicy } from './forwarding-policy.js';
import type { JumpServerLimits } from './limits.js';
import type { SessionAdmission } from './session-admission.js';

/** A record that a key may sit on a machine, kept so a restarted controller can sweep it. */
export interface EphemeralKeyEntry {
  readonly controllerId: string;
  readonly sessionId: string;
  readonly modelUuid: string;
  readonly machineId: string;
  readonly loginUser: string;
  readonly expiresAt: Date;
}

/** Where the jump server notes the ephemeral keys it installs until they are removed. */
export interface EphemeralKeyLedger {
  recordEphemeralKey(entry: EphemeralKeyEntry): Awaitable<void>;
  forgetEphemeralKey(sessionId: string): Awaitable<void>;
  listEphemeralKeys(controllerId: string): Awaitable<readonly EphemeralKeyEntry[]>;
}

/** Verifies a relay token and tells who JIMM vouches for. */
export interface RelayTokenCheck {
  /** @throws JujuSshError naming what is wrong with the token. */
  verify(token: string): Promise<RelayedPrincipal>;
}

/** Everything a jump server is built from. */
export interface JumpServerOptions {
  /** Names this controller in ephemeral key comments. */
  readonly controllerId: string;
  readonly jumpHostKey: HostKey;
  readonly virtualHostKeys: VirtualHostKeys;
  readonly policy: AccessPolicy;
  readonly ephemeralKeys: EphemeralKeyManager;
  /** Lifetime written into each ephemeral key's `expiry-time`. */
  readonly ephemeralKeyTtlSeconds: number;
  readonly ledger: EphemeralKeyLedger;
  readonly audit: AuditTrail;
  readonly sessionPolicy?: SessionPolicyChain;
  readonly logger: Logger;
  readonly limits?: Partial<JumpServerLimits>;
  /**
   * Checks the relay tokens JIMM presents as the `external-auth` password. Without it, relayed
   * logins are refused.
   */
  readonly relayTokens?: RelayTokenCheck;
  /** Kinds of forwarding carried to machines; each is allowed unless set to false. */
  readonly forwarding?: Partial<ForwardingPolicy>;
}

/** The options with limits resolved; what each connection handler receives. */
export interface JumpServerServices extends Omit<JumpServerOptions, 'limits'> {
  readonly limits: JumpServerLimits;
  /** Registers work that closing the server must wait for, such as removing a key. */
  readonly track: (work: Promise<unknown>) => void;
  /** Counts channels per connection and sessions per user against their limits. */
  readonly admission: SessionAdmission;
}
