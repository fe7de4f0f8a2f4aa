/**
 * `completion bash|zsh`: a shell completion script for the commands and their options, made
 * from the command definitions so it never falls behind them.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import type { Command } from 'commander';

/** Adds `completion`. */
export function addCompletionCommand(program: Command): void {
  program
    .command('completion [shell]')
    .description('print a completion script: eval "$(juju-ssh completion bash)" (or zsh)')
    .action((shell: string | undefined) => {
      const chosen = shell ?? 'bash';
      if (chosen !== 'bash' && chosen !== 'zsh') {
        throw new JujuSshError(
          'invalid-argument',
          `no completion for shell ${quoteUntrusted(chosen)}; choose bash or zsh`,
        );
      }
      process.stdout.write(completionScript(program, chosen));
    });
}

/** The completion script for `program`'s commands. */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const commands = program.commands.map((command) => command.name());
  const cases = program.commands.map((command) => {
    const flags = command.options.flatMap((option) =>
      [option.short, option.long].filter((flag): flag is string => flag !== undefined),
    );
    return `    ${command.name()}) words="${[...flags, '--help'].join(' ')}" ;;`;
  });
  const lines = [
    '# juju-ssh completion',
    ...(shell === 'zsh' ? ['autoload -U +X bashcompinit && bashcompinit'] : []),
    '_juju_ssh() {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    '  local cur="${COMP_WORDS[COMP_CWORD]}" words=""',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=($(compgen -W "${commands.join(' ')}" -- "$cur"))`,
    '    return',
    '  fi',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    '  esac',
    '  case "$cur" in',
    '    -*) COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;',
    '  esac',
    '}',
    'complete -o default -F _juju_ssh juju-ssh',
    '',
  ];
  return lines.join('\n');
}
