/**
 * The ephemeral key of one session on its machine: written to the ledger before it is
 * installed, so that a crash in between is swept at the next start, then installed; at the
 * session's end removed and struck from the ledger.
 */
import type { MachineRecord } from '@juju-ssh/core';
import type { EphemeralKey, InstalledKey } from '@juju-ssh/ephemeral-keys';
import type { Logger } from 'pino';
import type { JumpServerServices } from './services.js';

/** Which session the key is for and where it goes. */
export interface SessionKeyPlace {
  readonly sessionId: string;
  readonly modelUuid: string;
  readonly machine: MachineRecord;
  readonly loginUser: string;
  /** The machine, as messages name it. */
  readonly description: string;
}

type KeyServices = Pick<
  JumpServerServices,
  'controllerId' | 'ephemeralKeys' | 'ephemeralKeyTtlSeconds' | 'ledger'
>;

/** Installs one session's key once, and takes it away again at the end. */
export class SessionKey {
  private installed: Promise<InstalledKey> | undefined;

  constructor(
    private readonly services: KeyServices,
    private readonly place: SessionKeyPlace,
  ) {}

  /** Records and installs `key`; settles when the machine accepts it or it failed. */
  install(key: EphemeralKey): Promise<InstalledKey> {
    this.installed ??= this.recordAndInstall(key);
    return this.installed;
  }

  /** Removes the key if one was installed; a failure is logged, as the key expires anyway. */
  async release(logger: Logger): Promise<void> {
    if (this.installed === undefined) return;
    try {
      const key = await this.installed;
      await key.remove();
      await this.services.ledger.forgetEphemeralKey(this.place.sessionId);
    } catch (error) {
      logger.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        'could not remove the ephemeral key; it expires on its own and the next start sweeps it',
      );
    }
  }

  private async recordAndInstall(key: EphemeralKey): Promise<InstalledKey> {
    const { services, place } = this;
    await services.ledger.recordEphemeralKey({
      controllerId: services.controllerId,
      sessionId: place.sessionId,
      modelUuid: place.modelUuid,
      machineId: place.machine.id,
      loginUser: place.loginUser,
      expiresAt: new Date(Date.now() + services.ephemeralKeyTtlSeconds * 1000),
    });
    const endpoint = {
      address: place.machine.address,
      port: place.machine.port,
      hostKey: place.machine.hostKey,
      description: place.description,
    };
    return services.ephemeralKeys.install(endpoint, place.loginUser, place.sessionId, key);
  }
}
