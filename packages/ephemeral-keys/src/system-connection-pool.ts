/**
 * Keeps one system connection per machine endpoint and login user, shared by every session
 * that installs or removes keys there, so a session pays for a channel, not a handshake.
 */
import type { MachineEndpoint } from './host-key-check.js';
import {
  type ExecResult,
  SystemConnection,
  SystemConnectionLost,
  type SystemConnectionSettings,
} from './system-connection.js';

/** Reuses system connections, reconnecting when one has dropped. */
export class SystemConnectionPool {
  private readonly connections = new Map<string, SystemConnection>();

  constructor(private readonly settings: SystemConnectionSettings) {}

  /**
   * Runs `command` on the machine as `loginUser`. The forced command's operations are
   * idempotent, so a request that a reused connection lost is sent once more, on a new
   * connection when that one has closed.
   */
  async exec(
    machine: MachineEndpoint,
    loginUser: string,
    command: string,
    input?: string,
  ): Promise<ExecResult> {
    const existing = this.connections.get(poolKey(machine, loginUser));
    const connection = this.connectionFor(machine, loginUser);
    try {
      return await connection.exec(command, input);
    } catch (err) {
      if (!(err instanceof SystemConnectionLost) || existing !== connection) throw err;
      return this.connectionFor(machine, loginUser).exec(command, input);
    }
  }

  /** Ends every pooled connection. */
  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  private connectionFor(machine: MachineEndpoint, loginUser: string): SystemConnection {
    const key = poolKey(machine, loginUser);
    const current = this.connections.get(key);
    if (current && !current.isClosed) return current;

    const created = new SystemConnection(machine, loginUser, this.settings, () => {
      if (this.connections.get(key) === created) this.connections.delete(key);
    });
    this.connections.set(key, created);
    return created;
  }
}

/**
 * Names one login user on one machine as recorded. The recorded host key is part of it: a
 * connection verified against an old record must not serve requests made with a new one.
 */
export function poolKey(machine: MachineEndpoint, loginUser: string): string {
  return JSON.stringify([machine.address, machine.port, loginUser, machine.hostKey]);
}
