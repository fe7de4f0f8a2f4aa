/**
 * What a front door answers when someone asks it for a shell or a command instead of using it
 * as a jump host: a short note on stderr saying how to connect through it, and exit status 1.
 */
import type { AcceptConnection, ServerChannel, Session } from 'ssh2';

/** Serves a session on the front door itself; `name` is how the note calls the door. */
export function explainJumpHost(accept: AcceptConnection<Session>, name: string): void {
  const session = accept();
  const explain = (acceptChannel: AcceptConnection<ServerChannel>) => {
    const channel = acceptChannel();
    if (channel === undefined) return;
    channel.stderr.write(
      `This is ${name}; it runs no shell or commands. Connect through it:\r\n` +
        '  ssh -J USER@HOST:PORT LOGIN@<unit>.<application>.<model-uuid>\r\n',
    );
    channel.exit(1);
    channel.end();
  };
  session.on('pty', (ok) => ok?.());
  session.on('env', (ok) => ok?.());
  session.on('shell', (ok) => explain(ok));
  session.on('exec', (ok) => explain(ok));
  session.on('subsystem', (_ok, refuse) => refuse?.());
}
