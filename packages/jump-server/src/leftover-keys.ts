/**
 * Sweeping ephemeral keys a crashed controller left on machines. The ledger says which
 * (machine, login user) pairs may hold one; each is swept once, and its entries forgotten.
 */
import type { AccessDirectory } from '@juju-ssh/authz';
import type { EphemeralKeyManager } from '@juju-ssh/ephemeral-keys';
import type { EphemeralKeyEntry, EphemeralKeyLedger } from './services.js';

/** What a sweep needs. */
export interface SweepOptions {
  readonly controllerId: string;
  readonly ledger: EphemeralKeyLedger;
  readonly directory: Pick<AccessDirectory, 'findMachine' | 'findModelByUuid'>;
  readonly ephemeralKeys: EphemeralKeyManager;
  /** Told about each pair that could not be swept; its entries stay for the next start. */
  readonly onFailure?: (entry: EphemeralKeyEntry, error: unknown) => void;
}

/** How a sweep went: lines removed, and (machine, login user) pairs that failed. */
export interface SweepResult {
  readonly swept: number;
  readonly failed: number;
}

/** Sweeps every pair the ledger names for this controller. */
export async function sweepLeftoverKeys(options: SweepOptions): Promise<SweepResult> {
  const entries = await options.ledger.listEphemeralKeys(options.controllerId);
  const groups = new Map<string, EphemeralKeyEntry[]>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.modelUuid, entry.machineId, entry.loginUser]);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }

  let swept = 0;
  let failed = 0;
  for (const group of groups.values()) {
    const [first] = group;
    if (first === undefined) continue;
    try {
      swept += await sweepOne(options, first);
      for (const entry of group) await options.ledger.forgetEphemeralKey(entry.sessionId);
    } catch (error) {
      failed += 1;
      options.onFailure?.(first, error);
    }
  }
  return { swept, failed };
}

async function sweepOne(options: SweepOptions, entry: EphemeralKeyEntry): Promise<number> {
  const machine = await options.directory.findMachine(entry.modelUuid, entry.machineId);
  // A machine removed since has nothing left to sweep: its record, and the key's, are gone.
  if (machine === undefined) return 0;
  const model = await options.directory.findModelByUuid(entry.modelUuid);
  return options.ephemeralKeys.sweep(
    {
      address: machine.address,
      port: machine.port,
      hostKey: machine.hostKey,
      description: `machine ${machine.id} in model ${model?.name ?? machine.modelUuid}`,
    },
    entry.loginUser,
  );
}
