#!/usr/bin/env node
/**
 * Entry point of `juju-ssh`. A failure of the CLI itself is one `error: <message>` line on
 * stderr and exit status 1; `ssh`, `scp` and `sftp` exit with OpenSSH's own status.
 */
import { isJujuSshError } from '@juju-ssh/core';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const shown = isJujuSshError(error) ? message : `unexpected failure: ${message}`;
  process.stderr.write(`error: ${shown}\n`);
  process.exitCode = 1;
}
