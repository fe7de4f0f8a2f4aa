/**
 * The target-name grammar: the host part of `login@<target>` names a machine, a unit or a
 * Kubernetes container in a model. Parsing is strict and every refusal says what was wrong.
 */
import { JujuSshError, quoteUntrusted } from './errors.js';

/** A machine, addressed by its Juju id (`0`, `0/lxd/1`). */
export interface MachineTarget {
  readonly kind: 'machine';
  readonly modelUuid: string;
  readonly machineId: string;
}

/** A unit, optionally narrowed to one container of a Kubernetes pod. */
export interface UnitTarget {
  readonly kind: 'unit';
  readonly modelUuid: string;
  readonly application: string;
  readonly unitNumber: number;
  readonly container?: string;
}

export type Target = MachineTarget | UnitTarget;

/** The optional domain suffix the CLI writes after the model UUID. */
export const TARGET_DOMAIN = 'juju.local';

const MAX_NAME_LENGTH = 253;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const APPLICATION = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const UNIT_NUMBER = /^(?:0|[1-9][0-9]{0,8})$/;
const MACHINE_ID = /^(?:0|[1-9][0-9]{0,8})(?:-(?:lxd|kvm)-(?:0|[1-9][0-9]{0,8}))*$/;
const CONTAINER = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NAME_CHARACTERS = /^[A-Za-z0-9.-]+$/;

function refuse(message: string): never {
  throw new JujuSshError('bad-target', message);
}

/** True when `value` is a lowercase RFC 4122 UUID, the only form a model UUID takes. */
export function isModelUuid(value: string): boolean {
  return UUID.test(value);
}

/** True when `value` follows Juju's rules for application names. */
export function isApplicationName(value: string): boolean {
  return APPLICATION.test(value);
}

/**
 * Parses a target name, most specific form first: container, unit, machine.
 * @throws JujuSshError with code `bad-target` naming what was wrong.
 */
export function parseTargetName(name: string): Target {
  if (name.length === 0) refuse('target name is empty; expected <unit>.<application>.<model-uuid>');
  if (name.length > MAX_NAME_LENGTH) {
    refuse(`target name is ${name.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
  }
  if (!NAME_CHARACTERS.test(name)) {
    refuse(`target name ${quoteUntrusted(name)} may hold only ASCII letters, digits, "." and "-"`);
  }

  const labels = name.split('.');
  if (labels.some((label) => label.length === 0)) {
    refuse(`target name ${quoteUntrusted(name)} has an empty label`);
  }
  if (labels.length > 2 && labels.slice(-2).join('.') === TARGET_DOMAIN) labels.splice(-2);

  const modelUuid = labels.pop() ?? '';
  if (!isModelUuid(modelUuid)) {
    refuse(`bad model UUID ${quoteUntrusted(modelUuid)}: expected a lowercase RFC 4122 UUID`);
  }

  switch (labels.length) {
    case 3:
      return parseUnit(modelUuid, labels[2], labels[1], labels[0]);
    case 2:
      return parseUnit(modelUuid, labels[1], labels[0]);
    case 1:
      return parseMachine(modelUuid, labels[0]);
    case 0:
      return refuse(`target name ${quoteUntrusted(name)} names a model but no machine or unit`);
    default:
      return refuse(
        `target name ${quoteUntrusted(name)} has too many labels; expected ` +
          '[<container>.]<unit>.<application>.<model-uuid> or <machine>.<model-uuid>',
      );
  }
}

function parseUnit(
  modelUuid: string,
  application = '',
  unitNumber = '',
  container?: string,
): UnitTarget {
  if (!APPLICATION.test(application)) {
    refuse(
      `bad application name ${quoteUntrusted(application)}: use lowercase letters, digits and ` +
        'single hyphens, starting with a letter',
    );
  }
  if (!UNIT_NUMBER.test(unitNumber)) {
    refuse(`bad unit number ${quoteUntrusted(unitNumber)} for application ${application}`);
  }
  if (container !== undefined && !CONTAINER.test(container)) {
    refuse(`bad container name ${quoteUntrusted(container)}: expected a DNS label`);
  }
  const target = { kind: 'unit', modelUuid, application, unitNumber: Number(unitNumber) } as const;
  return container === undefined ? target : { ...target, container };
}

function parseMachine(modelUuid: string, label = ''): MachineTarget {
  if (!MACHINE_ID.test(label)) {
    refuse(
      `bad machine id ${quoteUntrusted(label)}: expected a number, with nested machines ` +
        'written like 0-lxd-1',
    );
  }
  return { kind: 'machine', modelUuid, machineId: label.replaceAll('-', '/') };
}

/** True when `value` is a valid Juju machine id (`0`, `0/lxd/1`). */
export function isMachineId(value: string): boolean {
  return MACHINE_ID.test(value.replaceAll('/', '-'));
}

/** The canonical target name, without the domain suffix. */
export function formatTargetName(target: Target): string {
  if (target.kind === 'machine') {
    return `${target.machineId.replaceAll('/', '-')}.${target.modelUuid}`;
  }
  const unit = `${target.unitNumber}.${target.application}.${target.modelUuid}`;
  return target.container === undefined ? unit : `${target.container}.${unit}`;
}

/** A short human description: `machine 0/lxd/1` or `unit postgresql/1`. */
export function describeTarget(target: Target): string {
  if (target.kind === 'machine') return `machine ${target.machineId}`;
  const unit = `unit ${target.application}/${target.unitNumber}`;
  return target.container === undefined ? unit : `container ${target.container} of ${unit}`;
}
