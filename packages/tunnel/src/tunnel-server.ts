/**
 * JIMM's SSH front door: listens for users, enforces connection limits before any SSH work is
 * done, and hands each connection to a tunnel connection. Closing it stops new connections and
 * lets running relays finish up to a deadline.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  type ListeningAddress,
  listenTcp,
  PREFERRED_CIPHERS,
  resolveLimits,
} from '@juju-ssh/jump-server';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';
import { newSessionId } from './ids.js';
import type { TunnelServerOptions, TunnelServices } from './services.js';
import { TunnelConnection } from './tunnel-connection.js';

interface Tracked {
  readonly socket: Socket;
  authenticated: boolean;
  connection?: Connection;
}

/** The JIMM tunnel server. */
export class TunnelServer {
  private readonly services: TunnelServices;
  private readonly ssh: ssh2.Server;
  private readonly listener: NetServer;
  private readonly tracked = new Map<string, Tracked>();
  private readonly pending = new WeakMap<Socket, string>();

  constructor(options: TunnelServerOptions) {
    this.services = { ...options, limits: resolveLimits(options.limits) };
    const { limits } = this.services;
    this.ssh = new ssh2.Server(
      {
        hostKeys: [options.jumpHostKey.privateKey],
        algorithms: { cipher: [...PREFERRED_CIPHERS] as never },
        keepaliveInterval: limits.keepaliveIntervalMs,
        keepaliveCountMax: limits.keepaliveCountMax,
      },
      (connection, info) => this.onConnection(connection, info.ip),
    );
    this.listener = createServer((socket) => this.onSocket(socket));
  }

  /** Starts listening; port 0 picks a free port, which the result reports. */
  listen(host: string, port: number): Promise<ListeningAddress> {
    return listenTcp(this.listener, host, port);
  }

  /** Stops accepting, waits up to `graceMs` for connections to end, then ends the rest. */
  async close(options: { graceMs?: number } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const entry of this.tracked.values()) {
      if (!entry.authenticated) entry.socket.destroy();
    }
    const deadline = Date.now() + (options.graceMs ?? 0);
    while (this.tracked.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const entry of this.tracked.values()) {
      entry.connection?.end();
      entry.socket.destroy();
    }
    await closed;
  }

  private onSocket(socket: Socket): void {
    const { limits, logger } = this.services;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const unauthenticated = [...this.tracked.values()].filter((t) => !t.authenticated).length;
    if (this.tracked.size >= limits.maxConnections) {
      logger.warn({ limit: limits.maxConnections }, 'connection limit reached; refusing');
      socket.destroy();
      return;
    }
    if (unauthenticated >= limits.maxUnauthenticated) {
      logger.warn({ limit: limits.maxUnauthenticated }, 'too many unauthenticated connections');
      socket.destroy();
      return;
    }

    const connectionId = newSessionId();
    const entry: Tracked = { socket, authenticated: false };
    this.tracked.set(connectionId, entry);
    this.pending.set(socket, connectionId);
    const grace = setTimeout(() => {
      if (entry.authenticated) return;
      logger.info({ connectionId }, 'login grace time expired; disconnecting');
      socket.destroy();
    }, limits.loginGraceTimeMs);
    socket.once('close', () => {
      clearTimeout(grace);
      this.tracked.delete(connectionId);
    });
    this.ssh.injectSocket(socket);
  }

  private onConnection(connection: Connection, sourceAddress: string): void {
    const socket = (connection as unknown as { _sock?: Socket })._sock;
    const connectionId = socket === undefined ? undefined : this.pending.get(socket);
    const entry = connectionId === undefined ? undefined : this.tracked.get(connectionId);
    if (connectionId === undefined || entry === undefined) {
      connection.on('error', () => {});
      connection.end();
      return;
    }
    entry.connection = connection;
    this.services.audit.record({
      time: new Date().toISOString(),
      event: 'connection-accepted',
      connectionId,
      sourceAddress,
    });
    new TunnelConnection(connection, connectionId, sourceAddress, this.services, {
      onAuthenticated: () => {
        entry.authenticated = true;
      },
    }).attach();
  }
}
