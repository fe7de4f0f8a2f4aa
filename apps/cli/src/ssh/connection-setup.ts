/**
 * What `ssh`, `scp` and `sftp` do before OpenSSH runs: ask the API where the jump host is and
 * which targets the user means, write the keys to trust into the CLI's known_hosts file, and
 * write the ssh_config file passed with -F.
 */
import { isMachineId, JujuSshError } from '@juju-ssh/core';
import type { ControllerView, ModelView, TargetView } from '@juju-ssh/http-api/protocol';
import type { CliContext, ControllerSession } from '../config/cli-context.js';
import { writePrivateFile } from '../config/private-files.js';
import { type KnownHost, knownHostsName, updateKnownHosts } from './known-hosts-file.js';
import { jumpHopOptions, type OpenSshOption, optionWords } from './openssh-arguments.js';
import { shellCommand } from './run-openssh.js';
import { cliSshConfig, type JumpHost, jumpAlias } from './ssh-config-text.js';

/** The files written and the targets resolved. */
export interface PreparedConnection {
  readonly session: ControllerSession;
  readonly jump: JumpHost;
  readonly configFile: string;
  readonly knownHostsFile: string;
  readonly targets: readonly TargetView[];
}

const SHORT_UNIT = /^[a-z][a-z0-9-]*\/[0-9]+$/;

/** The jump host of a controller, from what its API says. */
export function jumpHostOf(session: ControllerSession, controller: ControllerView): JumpHost {
  return {
    alias: jumpAlias(session.name),
    hostName: new URL(session.entry.url).hostname.replace(/^\[|\]$/g, ''),
    port: controller.sshPort,
    user: session.entry.user,
  };
}

/** The known_hosts line of the jump host. */
export function jumpKnownHost(jump: JumpHost, controller: ControllerView): KnownHost {
  return {
    host: knownHostsName(jump.hostName, jump.port),
    publicLine: controller.jumpHostKey.publicLine,
  };
}

/**
 * Resolves `refs` (app/N, machine ids, target names) in `model` and writes the files.
 * @throws JujuSshError with the API's reason, or naming -m when a short name has no model.
 */
export async function prepareConnection(
  context: CliContext,
  session: ControllerSession,
  model: string | undefined,
  refs: readonly string[],
): Promise<PreparedConnection> {
  const controller = await session.api.get<ControllerView>('/v1/controller');
  const targets: TargetView[] = [];
  for (const ref of refs) {
    if (model === undefined && (SHORT_UNIT.test(ref) || isMachineId(ref))) {
      throw await missingModel(session, ref);
    }
    targets.push(await session.api.get<TargetView>('/v1/resolve', { target: ref, model }));
  }

  const jump = jumpHostOf(session, controller);
  const knownHostsFile = context.paths.knownHostsFile(session.name);
  updateKnownHosts(knownHostsFile, [
    jumpKnownHost(jump, controller),
    ...targets.map((target) => ({ host: target.host, publicLine: target.hostKey.publicLine })),
  ]);
  const configFile = context.paths.sshConfigFile(session.name);
  writePrivateFile(configFile, cliSshConfig({ jump, knownHostsFile }, session.name));
  return { session, jump, configFile, knownHostsFile, targets };
}

/**
 * `-o ProxyCommand=…` carrying the user's keys and logging options to the jump hop, which
 * OpenSSH's ProxyJump leaves out; nothing when the user gave none.
 */
export function proxyCommandOptions(
  prepared: PreparedConnection,
  options: readonly OpenSshOption[],
): string[] {
  const forJump = jumpHopOptions(options);
  if (forJump.length === 0) return [];
  // ssh expands % tokens in ProxyCommand, so a literal % in a path is written %%.
  const words = ['ssh', '-F', prepared.configFile, ...optionWords(forJump)].map((word) =>
    word.replaceAll('%', '%%'),
  );
  const command = shellCommand([...words, '-W', '%h:%p', prepared.jump.alias]);
  return ['-o', `ProxyCommand=${command}`];
}

async function missingModel(session: ControllerSession, ref: string): Promise<JujuSshError> {
  const what = SHORT_UNIT.test(ref) ? 'a unit' : 'a machine';
  let hint = 'juju-ssh list-models shows yours';
  try {
    const models = await session.api.get<ModelView[]>('/v1/models');
    if (models.length > 0) hint = `your models: ${models.map((m) => m.name).join(', ')}`;
  } catch {
    // The hint is a courtesy; the refusal stands without it.
  }
  return new JujuSshError(
    'invalid-argument',
    `${ref} names ${what}; say which model with -m MODEL or JUJU_SSH_MODEL (${hint})`,
  );
}
