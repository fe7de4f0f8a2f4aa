#!/usr/bin/env node
/**
 * Entry point of `jimm-tunnel`. Runs the command line and turns a failure into one
 * `error: <message>` line on stderr and exit status 1, never a stack trace.
 */
import 'reflect-metadata';
import { isJujuSshError } from '@juju-ssh/core';
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `error: ${isJujuSshError(error) ? message : `unexpected failure: ${message}`}\n`,
  );
  process.exitCode = 1;
}
