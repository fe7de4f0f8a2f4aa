/**
 * The bytes and the ending of a running session: output both ways with backpressure (stream
 * piping), the machine's EOF passed on once its output is delivered, then the exit status or
 * signal, then close, in the order a plain sshd uses.
 */
import type { ClientChannel, ServerChannel } from 'ssh2';
import { drained, type ExitReport, sendExit } from './channel-exit.js';
import { ended } from './channel-relay.js';
import { holdCloseUntil } from './close-gate.js';
import { watchExit } from './exit-watch.js';
import type { SessionBridgeContext } from './session-bridge.js';

/** Exit status a plain ssh client uses for a failure of the connection itself. */
export const CONNECTION_FAILURE_STATUS = 255;

/** How long a user's close of a running command waits before the machine is told of it. */
const CLOSE_GRACE_MS = 2000;

/** Joins the user's session channel and the machine's until the machine's channel closes. */
export function pipeSession(
  inner: ServerChannel,
  remote: ClientChannel,
  context: SessionBridgeContext,
): void {
  const { counters } = context;
  const exitWatch = watchExit(remote);
  let exit: ExitReport | undefined = exitWatch.report();

  inner.on('data', (chunk: Buffer) => {
    counters.fromClient += chunk.length;
  });
  remote.on('data', (chunk: Buffer) => {
    counters.toClient += chunk.length;
  });
  remote.stderr.on('data', (chunk: Buffer) => {
    counters.toClient += chunk.length;
  });
  remote.pipe(inner, { end: false });
  remote.stderr.pipe(inner.stderr, { end: false });
  inner.pipe(remote);

  let eofSent = false;
  let exitSent = false;
  let release = () => {};
  const exitPassed = new Promise<void>((resolve) => {
    release = resolve;
  });
  const flushed = () => Promise.all([drained(inner), drained(inner.stderr)]);
  const sendEof = () => {
    if (eofSent) return;
    eofSent = true;
    inner.eof();
  };
  /** Sends the exit, once: after the output before it, and after EOF, as sshd orders them. */
  const passExit = () => {
    if (exitSent) return;
    exitSent = true;
    sendEof();
    sendExit(inner, exit ?? { kind: 'status', code: CONNECTION_FAILURE_STATUS });
    release();
    context.onExit(exit);
  };
  const outputEnded = Promise.all([ended(remote), ended(remote.stderr)]);
  const remoteClosed = new Promise<void>((resolve) => remote.once('close', () => resolve()));

  // A user's close waits for the exit status, as a plain sshd answers a close only once the
  // command ended. If the command outlives the grace time, the machine is told of the close.
  holdCloseUntil(inner, exitPassed, () => {
    const timer = setTimeout(() => remote.close(), CLOSE_GRACE_MS);
    void exitPassed.then(() => clearTimeout(timer));
  });

  // Pass the status on as soon as the output before it is delivered, not at the close.
  void exitWatch.arrived.then(async (report) => {
    exit = report;
    await Promise.race([outputEnded, remoteClosed]);
    await flushed();
    passExit();
  });

  // The machine may close its output and keep reading input (half-close): pass its EOF on.
  void outputEnded.then(flushed).then(sendEof);

  void remoteClosed.then(async () => {
    await outputEnded;
    exit = exit ?? exitWatch.report();
    if (exit === undefined && !eofSent) {
      inner.stderr.write('juju-ssh: the connection to the machine ended without an exit status\n');
    }
    await flushed();
    passExit();
    inner.close();
  });
  inner.once('close', () => remote.close());
}
