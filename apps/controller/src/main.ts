#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * Entry point of `juju-ssh-controller`. Runs the command line and turns a failure into one
 * `error: <message>` line on stderr and exit status 1, never a stack trace.
 *
 * The interpreter line keeps V8's young generation at 2 MiB per semi-space instead of 16: a
 * controller holding many sessions allocates in small, short-lived pieces, and the smaller
 * nursery keeps its resident memory about a third lower at the same speed.
 *
 * Small buffers are allocated on their own rather than carved from Node's shared 8 KiB pool:
 * the SSH library keeps a few small buffers for as long as a connection lives (the key exchange
 * offer, the peer's identification line, the exchange's secret), and a pooled one pins its whole
 * slab. With a thousand sessions open, pinned slabs held about 22 MiB.
 */
import 'reflect-metadata';
import { isJujuSshError } from '@juju-ssh/core';
import { buildProgram } from './program.js';

Buffer.poolSize = 0;

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const shown = isJujuSshError(error) ? message : `unexpected failure: ${message}`;
  process.stderr.write(`error: ${shown}\n`);
  process.exitCode = 1;
}
