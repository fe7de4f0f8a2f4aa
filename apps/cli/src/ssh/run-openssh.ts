/**
 * Runs the system's OpenSSH (`ssh`, `scp`, `sftp`) in the foreground with the terminal handed
 * over, and reports its exit status: the remote command's, or 255 for ssh's own failures.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { JujuSshError } from '@juju-ssh/core';

/** Runs `program args…`; resolves with the status the CLI should exit with. */
export function runOpenSsh(program: string, args: readonly string[]): Promise<number> {
  // The terminal's Ctrl-C reaches the child too; the CLI waits for the child to decide.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  const restore = () => {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
  };

  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'inherit' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      restore();
      if (error.code === 'ENOENT') {
        reject(
          new JujuSshError(
            'config',
            `${program} was not found on PATH; install the OpenSSH client (openssh-client)`,
          ),
        );
      } else {
        reject(new JujuSshError('upstream-failed', `cannot run ${program}: ${error.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      restore();
      if (code !== null) resolve(code);
      else resolve(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}

/** `words` as one POSIX shell command line, each word single-quoted where needed. */
export function shellCommand(words: readonly string[]): string {
  return words
    .map((word) =>
      /^[A-Za-z0-9_./%:=@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`,
    )
    .join(' ');
}
