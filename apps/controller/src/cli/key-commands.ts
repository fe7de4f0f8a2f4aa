/**
 * The public keys an operator hands out: the system-key line each machine's authorized_keys
 * needs, and the host keys users pin (the jump host key, or a target's virtual host key).
 */

import { print } from '@juju-ssh/command-output';
import { describeTarget, JujuSshError, parseTargetName, type Target } from '@juju-ssh/core';
import { systemKeyLine } from '@juju-ssh/ephemeral-keys';
import { type HostKey, machineHostKeyIdentity } from '@juju-ssh/host-keys';
import type { Command } from 'commander';
import type { Controller } from '../composition-root.js';
import { formatOf, withCommonOptions, withController } from './command-context.js';

/** Adds `system-key` and `host-key`. */
export function addKeyCommands(program: Command): void {
  withCommonOptions(program.command('system-key'))
    .description("print the authorized_keys line each machine's login users need")
    .option(
      '--authorized-keys-file <path>',
      'the authorized_keys file the forced command edits (default: ~/.ssh/authorized_keys)',
    )
    .action((options: { authorizedKeysFile?: string }, command: Command) =>
      withController(command, (controller) => {
        const line = systemKeyLine(controller.get('systemKey').publicLine, {
          controllerId: controller.get('settings')['controller-id'],
          authorizedKeysFile: options.authorizedKeysFile,
        });
        print(formatOf(command), { data: { authorizedKeysLine: line }, text: line });
      }),
    );

  withCommonOptions(program.command('host-key [target]'))
    .description("print the jump host key, or a target's virtual host key, as a public line")
    .action((target: string | undefined, _options: unknown, command: Command) =>
      withController(command, (controller) => {
        const key =
          target === undefined
            ? controller.get('jumpHostKey')
            : virtualHostKeyOf(controller, parseTargetName(target));
        print(formatOf(command), {
          data: {
            target: target ?? null,
            publicLine: key.publicLine,
            fingerprint: key.fingerprint,
          },
          text: key.publicLine,
        });
      }),
    );
}

/** The virtual host key of the machine a target is, or that its unit runs on. */
function virtualHostKeyOf(controller: Controller, target: Target): HostKey {
  const store = controller.get('store');
  if (store.findModelByUuid(target.modelUuid) === undefined) {
    throw new JujuSshError('not-found', `no model with UUID ${target.modelUuid}; see list-models`);
  }

  let machineId: string;
  if (target.kind === 'unit') {
    const unit = store.findUnit(target.modelUuid, target.application, target.unitNumber);
    if (unit === undefined) throw unknown(target);
    machineId = unit.machineId;
  } else {
    if (store.findMachine(target.modelUuid, target.machineId) === undefined) throw unknown(target);
    machineId = target.machineId;
  }
  return controller
    .get('virtualHostKeys')
    .forIdentity(machineHostKeyIdentity(target.modelUuid, machineId));
}

function unknown(target: Target): JujuSshError {
  return new JujuSshError(
    'not-found',
    `model ${target.modelUuid} has no ${describeTarget(target)}`,
  );
}
