/**
 * Reading the arguments given to `juju-ssh ssh|scp|sftp`: the CLI's own `-m MODEL` and
 * `--controller NAME`, the OpenSSH options passed through untouched, and the operands (a target
 * and a command, or scp's paths). Options follow each program's grammar, so `-i key` keeps its
 * value and `-vvv` stays one cluster.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';

/** Which single-letter options take a value, per program. */
export interface OptionGrammar {
  readonly program: 'ssh' | 'scp' | 'sftp';
  readonly withValue: string;
  readonly flags: string;
}

export const SSH_GRAMMAR: OptionGrammar = {
  program: 'ssh',
  withValue: 'BbcDEeFIiJLlOoPpQRSWw',
  flags: '46AaCfGgKkMNnqsTtVvXxYy',
};
export const SCP_GRAMMAR: OptionGrammar = {
  program: 'scp',
  withValue: 'cDFiJloPSX',
  flags: '346ABCOpqRrsTv',
};
export const SFTP_GRAMMAR: OptionGrammar = {
  program: 'sftp',
  withValue: 'BbcDFiJloPRSsX',
  flags: '46AaCfNpqrv',
};

/** One option passed through: `-v`, or `-i` and its value. */
export interface OpenSshOption {
  readonly flag: string;
  readonly value?: string;
}

/** The arguments, sorted. */
export interface OpenSshArguments {
  readonly model?: string;
  readonly controller?: string;
  /** Options for the program, in order. */
  readonly options: readonly OpenSshOption[];
  /** What follows the options: the target (and command), or scp's paths. */
  readonly operands: readonly string[];
}

/** Options the CLI handles itself, or that would undo what it sets up. */
const REFUSED: Record<string, string> = {
  F:
    'juju-ssh passes its own ssh_config with -F; put your options in ~/.ssh/config, ' +
    'which it includes',
  J: 'juju-ssh sets the jump host itself',
};

/**
 * Sorts `args` (everything after the subcommand) by `grammar`.
 * @throws JujuSshError `invalid-argument` for an unknown option, a missing value, or -F/-J.
 */
export function readOpenSshArguments(
  args: readonly string[],
  grammar: OptionGrammar,
): OpenSshArguments {
  const options: OpenSshOption[] = [];
  let model: string | undefined;
  let controller: string | undefined;
  let index = 0;

  const takeValue = (name: string, inline: string): string => {
    if (inline.length > 0) return inline;
    index += 1;
    const value = args[index];
    if (value === undefined) throw bad(`option ${name} needs a value`);
    return value;
  };

  for (; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      index += 1;
      break;
    }
    if (arg === '--model' || arg.startsWith('--model=')) {
      model = takeValue('--model', arg.slice('--model='.length));
      continue;
    }
    if (arg === '--controller' || arg.startsWith('--controller=')) {
      controller = takeValue('--controller', arg.slice('--controller='.length));
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) throw bad(`unknown option ${quoteUntrusted(arg)}`);

    // A cluster such as -vvv, -4v or -ikey: flags, then at most one option with its value.
    for (let at = 1; at < arg.length; at += 1) {
      const letter = arg[at] ?? '';
      if (letter === 'm') {
        model = takeValue('-m', arg.slice(at + 1));
        break;
      }
      const refusal = REFUSED[letter];
      if (refusal !== undefined)
        throw bad(`-${letter} is not passed to ${grammar.program}: ${refusal}`);
      if (grammar.flags.includes(letter)) {
        options.push({ flag: `-${letter}` });
        continue;
      }
      if (grammar.withValue.includes(letter)) {
        options.push({ flag: `-${letter}`, value: takeValue(`-${letter}`, arg.slice(at + 1)) });
        break;
      }
      throw bad(`${grammar.program} has no option -${quoteUntrusted(letter).slice(1, -1)}`);
    }
  }
  return { model, controller, options, operands: args.slice(index) };
}

/** OpenSSH `-o` keywords that matter for the jump hop too: keys, agents, timeouts, logging. */
const JUMP_KEYWORDS = new Set([
  'addkeystoagent',
  'addressfamily',
  'batchmode',
  'certificatefile',
  'connecttimeout',
  'identitiesonly',
  'identityagent',
  'identityfile',
  'loglevel',
  'pkcs11provider',
  'pubkeyacceptedalgorithms',
  'securitykeyprovider',
  'serveralivecountmax',
  'serveraliveinterval',
]);

/**
 * The options that must reach the jump hop as well, which OpenSSH's ProxyJump would not pass:
 * -i, -v, -4, -6, and -o settings for keys, agents, timeouts and logging.
 */
export function jumpHopOptions(options: readonly OpenSshOption[]): OpenSshOption[] {
  return options.filter(({ flag, value }) => {
    if (['-v', '-4', '-6', '-q', '-i'].includes(flag)) return true;
    if (flag !== '-o' || value === undefined) return false;
    const keyword = value.split(/[\s=]/, 1)[0]?.toLowerCase() ?? '';
    return JUMP_KEYWORDS.has(keyword);
  });
}

/** Options as the words of a command line. */
export function optionWords(options: readonly OpenSshOption[]): string[] {
  return options.flatMap(({ flag, value }) => (value === undefined ? [flag] : [flag, value]));
}

function bad(message: string): JujuSshError {
  return new JujuSshError('invalid-argument', message);
}
