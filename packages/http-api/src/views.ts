/**
 * How records appear in API answers: machines and units with their target names, and host
 * keys as fingerprints. Addresses are shown to the users who may reach the model.
 */
import {
  fingerprint,
  formatTargetName,
  type MachineRecord,
  parsePublicKeyLine,
  type Target,
  type UnitRecord,
} from '@juju-ssh/core';
import type { MachineView, UnitView } from './protocol/access-schemas.js';

/** The target of a unit record. */
export function unitTarget(unit: UnitRecord): Target {
  return {
    kind: 'unit',
    modelUuid: unit.modelUuid,
    application: unit.application,
    unitNumber: unit.number,
  };
}

/** A machine as the API shows it. */
export function machineView(machine: MachineRecord): MachineView {
  const target = formatTargetName({
    kind: 'machine',
    modelUuid: machine.modelUuid,
    machineId: machine.id,
  });
  return {
    id: machine.id,
    target,
    address: machine.address,
    port: machine.port,
    hostKeyFingerprint: hostKeyFingerprint(machine.hostKey),
  };
}

/** A unit as the API shows it. */
export function unitView(unit: UnitRecord): UnitView {
  return {
    unit: `${unit.application}/${unit.number}`,
    application: unit.application,
    number: unit.number,
    machine: unit.machineId,
    target: formatTargetName(unitTarget(unit)),
  };
}

function hostKeyFingerprint(line: string): string {
  return fingerprint(parsePublicKeyLine(line).blob);
}
