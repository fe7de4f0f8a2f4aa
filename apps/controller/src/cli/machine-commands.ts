/**
 * Machines and units of a model: add a machine with the address and real host key the
 * controller will pin, change them, place units on machines, and list both.
 */

import { print, table } from '@juju-ssh/command-output';
import {
  fingerprint,
  formatHostPort,
  JujuSshError,
  type MachineRecord,
  parseHostPort,
  parsePublicKeyLine,
  quoteUntrusted,
  type UnitRecord,
} from '@juju-ssh/core';
import type { Command } from 'commander';
import { formatOf, withCommonOptions, withController } from './command-context.js';
import { requireModel } from './model-lookup.js';

interface MachineOptionValues {
  readonly model: string;
  readonly address?: string;
  readonly hostKey?: string;
}

const SSH_PORT = 22;
const UNIT_NAME = /^([^/]+)\/([0-9]+)$/;

/** Adds the machine and unit commands. */
export function addMachineCommands(program: Command): void {
  withCommonOptions(program.command('add-machine <id>'))
    .description('add a machine: where its sshd listens and its real host key')
    .requiredOption('-m, --model <model>', 'the model (name or UUID)')
    .requiredOption('--address <host[:port]>', 'its sshd, as in 10.0.0.5, [::1]:22 (port 22)')
    .requiredOption('--host-key <key-line>', "its sshd's host key as an OpenSSH public line")
    .action((id: string, options: MachineOptionValues, command: Command) =>
      withController(command, (controller) => {
        const store = controller.get('store');
        const model = requireModel(store, options.model);
        const machine = store.addMachine({
          modelUuid: model.uuid,
          id,
          ...address(options.address ?? ''),
          hostKey: options.hostKey ?? '',
        });
        printMachine(command, machine, 'added');
      }),
    );

  withCommonOptions(program.command('update-machine <id>'))
    .description("change a machine's address or the host key it must show")
    .requiredOption('-m, --model <model>', 'the model (name or UUID)')
    .option('--address <host[:port]>', 'its sshd, as in 10.0.0.5, [::1]:22 (port 22)')
    .option('--host-key <key-line>', "its sshd's new host key as an OpenSSH public line")
    .action((id: string, options: MachineOptionValues, command: Command) =>
      withController(command, (controller) => {
        if (options.address === undefined && options.hostKey === undefined) {
          throw new JujuSshError(
            'invalid-argument',
            'nothing to change: give --address or --host-key',
          );
        }
        const store = controller.get('store');
        const model = requireModel(store, options.model);
        const machine = store.updateMachine(model.uuid, id, {
          ...(options.address === undefined ? {} : address(options.address)),
          hostKey: options.hostKey,
        });
        printMachine(command, machine, 'updated');
      }),
    );

  withCommonOptions(program.command('list-machines'))
    .description("list a model's machines")
    .requiredOption('-m, --model <model>', 'the model (name or UUID)')
    .action((options: MachineOptionValues, command: Command) =>
      withController(command, (controller) => {
        const store = controller.get('store');
        const machines = store.listMachines(requireModel(store, options.model).uuid);
        print(formatOf(command), {
          data: machines.map(machineJson),
          text: table(
            ['machine', 'address', 'host key'],
            machines.map((m) => [m.id, machineAddress(m), hostKeyFingerprint(m)]),
          ),
        });
      }),
    );

  addUnitCommands(program);
}

function addUnitCommands(program: Command): void {
  withCommonOptions(program.command('add-unit <unit>'))
    .description('place a unit (APPLICATION/N) on a machine of the model')
    .requiredOption('-m, --model <model>', 'the model (name or UUID)')
    .requiredOption('--machine <id>', 'the machine the unit runs on')
    .action((unit: string, options: { model: string; machine: string }, command: Command) =>
      withController(command, (controller) => {
        const store = controller.get('store');
        const model = requireModel(store, options.model);
        const added = store.addUnit({
          modelUuid: model.uuid,
          ...unitName(unit),
          machineId: options.machine,
        });
        print(formatOf(command), {
          data: added,
          text: `added unit ${added.application}/${added.number} on machine ${added.machineId}`,
        });
      }),
    );

  withCommonOptions(program.command('list-units'))
    .description("list a model's units and their machines")
    .requiredOption('-m, --model <model>', 'the model (name or UUID)')
    .action((options: { model: string }, command: Command) =>
      withController(command, (controller) => {
        const store = controller.get('store');
        const units = store.listUnits(requireModel(store, options.model).uuid);
        print(formatOf(command), {
          data: units,
          text: table(
            ['unit', 'machine'],
            units.map((u) => [unitLabel(u), u.machineId]),
          ),
        });
      }),
    );
}

/** A machine address flag as the store takes it; port 22 unless given. */
function address(text: string): { address: string; port: number } {
  const { host, port } = parseHostPort(text, { defaultPort: SSH_PORT });
  return { address: host, port };
}

function machineAddress(machine: MachineRecord): string {
  return formatHostPort({ host: machine.address, port: machine.port });
}

function unitName(text: string): { application: string; number: number } {
  const match = UNIT_NAME.exec(text);
  if (match === null) {
    throw new JujuSshError(
      'invalid-argument',
      `bad unit name ${quoteUntrusted(text)}: expected APPLICATION/NUMBER, as in postgresql/0`,
    );
  }
  return { application: match[1] ?? '', number: Number(match[2]) };
}

function unitLabel(unit: UnitRecord): string {
  return `${unit.application}/${unit.number}`;
}

function hostKeyFingerprint(machine: MachineRecord): string {
  return fingerprint(parsePublicKeyLine(machine.hostKey).blob);
}

function machineJson(machine: MachineRecord): Record<string, unknown> {
  return { ...machine, hostKeyFingerprint: hostKeyFingerprint(machine) };
}

function printMachine(command: Command, machine: MachineRecord, done: string): void {
  print(formatOf(command), {
    data: machineJson(machine),
    text:
      `${done} machine ${machine.id} at ${machineAddress(machine)} ` +
      `(host key ${hostKeyFingerprint(machine)})`,
  });
}
