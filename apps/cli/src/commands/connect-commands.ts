/**
 * `ssh`, `scp` and `sftp`: resolve the targets over the API, trust only the keys it gives,
 * and run the system's OpenSSH through the controller with StrictHostKeyChecking=yes. The
 * exit status is OpenSSH's: the remote command's, or 255 when ssh itself failed.
 */
import { JujuSshError } from '@juju-ssh/core';
import type { Command } from 'commander';
import type { CliContext } from '../config/cli-context.js';
import { prepareConnection, proxyCommandOptions } from '../ssh/connection-setup.js';
import {
  type OptionGrammar,
  optionWords,
  readOpenSshArguments,
  SCP_GRAMMAR,
  SFTP_GRAMMAR,
  SSH_GRAMMAR,
} from '../ssh/openssh-arguments.js';
import { runOpenSsh } from '../ssh/run-openssh.js';
import { readRemotePath } from '../ssh/scp-paths.js';

const STRICT = ['-o', 'StrictHostKeyChecking=yes'];
const LOGIN = /^([A-Za-z_][A-Za-z0-9_.-]{0,31})@(.+)$/;

/** Adds the three commands that run OpenSSH. */
export function addConnectCommands(program: Command, context: CliContext): void {
  passThrough(program, 'ssh', '[-m MODEL] [ssh options] TARGET [-- COMMAND…]')
    .description('open a shell or run a command on a unit or machine (TARGET: app/N, id, name)')
    .action(async (args: string[], options: CommonFlags) => {
      const parsed = parse(args, options, SSH_GRAMMAR);
      const [targetArg, ...rest] = parsed.operands;
      if (targetArg === undefined) throw noTarget('ssh');
      const command = rest[0] === '--' ? rest.slice(1) : rest;
      const { login, ref } = splitLogin(targetArg);
      const session = context.controller(parsed.controller);
      const prepared = await prepareConnection(context, session, context.model(parsed.model), [
        ref,
      ]);
      const host = prepared.targets[0]?.host ?? '';
      exitWith(
        await runOpenSsh('ssh', [
          '-F',
          prepared.configFile,
          ...STRICT,
          ...proxyCommandOptions(prepared, parsed.options),
          ...optionWords(parsed.options),
          ...(login === undefined ? [] : ['-l', login]),
          '--',
          host,
          ...command,
        ]),
      );
    });

  passThrough(program, 'scp', '[-m MODEL] [scp options] SRC… DST')
    .description('copy files to or from units and machines; remote paths are TARGET:PATH')
    .action(async (args: string[], options: CommonFlags) => {
      const parsed = parse(args, options, SCP_GRAMMAR);
      if (parsed.operands.length < 2) {
        throw new JujuSshError(
          'invalid-argument',
          'scp needs at least one source and a destination',
        );
      }
      const remote = parsed.operands.map(readRemotePath);
      const refs = remote.flatMap((path) => (path === undefined ? [] : [path.target]));
      if (refs.length === 0) {
        throw new JujuSshError(
          'invalid-argument',
          'none of the paths is remote; write remote paths as TARGET:PATH, as in ' +
            'postgresql/0:/tmp/x',
        );
      }
      const session = context.controller(parsed.controller);
      const prepared = await prepareConnection(context, session, context.model(parsed.model), refs);
      let next = 0;
      const operands = parsed.operands.map((operand, index) => {
        const path = remote[index];
        if (path === undefined) return operand;
        const host = prepared.targets[next++]?.host ?? '';
        return `${path.login === undefined ? '' : `${path.login}@`}${host}:${path.path}`;
      });
      exitWith(
        await runOpenSsh('scp', [
          '-F',
          prepared.configFile,
          ...STRICT,
          ...proxyCommandOptions(prepared, parsed.options),
          ...optionWords(parsed.options),
          '--',
          ...operands,
        ]),
      );
    });

  passThrough(program, 'sftp', '[-m MODEL] [sftp options] TARGET')
    .description('start an sftp session with a unit or machine')
    .action(async (args: string[], options: CommonFlags) => {
      const parsed = parse(args, options, SFTP_GRAMMAR);
      const [targetArg, ...rest] = parsed.operands;
      if (targetArg === undefined) throw noTarget('sftp');
      if (rest.length > 0) {
        throw new JujuSshError('invalid-argument', 'sftp takes one target; use scp to copy files');
      }
      const { login, ref } = splitLogin(targetArg);
      const session = context.controller(parsed.controller);
      const prepared = await prepareConnection(context, session, context.model(parsed.model), [
        ref,
      ]);
      const host = prepared.targets[0]?.host ?? '';
      exitWith(
        await runOpenSsh('sftp', [
          '-F',
          prepared.configFile,
          ...STRICT,
          ...proxyCommandOptions(prepared, parsed.options),
          ...optionWords(parsed.options),
          '--',
          login === undefined ? host : `${login}@${host}`,
        ]),
      );
    });
}

interface CommonFlags {
  readonly model?: string;
  readonly controller?: string;
}

/** A command whose arguments after the first unknown option go to OpenSSH as they are. */
function passThrough(program: Command, name: string, usage: string): Command {
  return program
    .command(name)
    .usage(usage)
    .argument('[args...]')
    .option('-m, --model <model>', 'the model of app/N or a machine id (env JUJU_SSH_MODEL)')
    .option('--controller <name>', 'the controller (env JUJU_SSH_CONTROLLER)')
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions();
}

function parse(args: readonly string[], flags: CommonFlags, grammar: OptionGrammar) {
  const parsed = readOpenSshArguments(args, grammar);
  return {
    ...parsed,
    model: parsed.model ?? flags.model,
    controller: parsed.controller ?? flags.controller,
  };
}

function splitLogin(arg: string): { login?: string; ref: string } {
  const match = LOGIN.exec(arg);
  return match === null ? { ref: arg } : { login: match[1], ref: match[2] ?? '' };
}

function noTarget(program: string): JujuSshError {
  return new JujuSshError(
    'invalid-argument',
    `${program} needs a TARGET: app/N or a machine id (with -m MODEL), or a target name`,
  );
}

/** Ends the process with OpenSSH's status once stdout has drained. */
function exitWith(status: number): void {
  process.exitCode = status;
}
