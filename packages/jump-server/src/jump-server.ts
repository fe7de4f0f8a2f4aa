/**
 * The jump server: listens for users' SSH connections, enforces connection limits before any
 * SSH work is done, and hands each connection to an outer-connection handler. Closing it stops
 * new connections and lets running sessions finish up to a deadline.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';
import { newId } from './ids.js';
import { resolveLimits } from './limits.js';
import { OuterConnection } from './outer-connection.js';
import type { JumpServerOptions, JumpServerServices } from './services.js';
import { PREFERRED_CIPHERS } from './upstream.js';

/** Where the server listens, once it does. */
export interface ListeningAddress {
  readonly host: string;
  readonly port: number;
}

interface Tracked {
  readonly socket: Socket;
  authenticated: boolean;
  connection?: Connection;
}

/** The controller's SSH front door. */
export class JumpServer {
  private readonly services: JumpServerServices;
  private readonly ssh: ssh2.Server;
  private readonly listener: NetServer;
  private readonly tracked = new Map<string, Tracked>();
  private readonly pending = new WeakMap<Socket, string>();
  private readonly work = new Set<Promise<unknown>>();

  constructor(options: JumpServerOptions) {
    this.services = {
      ...options,
      limits: resolveLimits(options.limits),
      track: (work) => {
        const settled = work.catch(() => {});
        this.work.add(settled);
        void settled.then(() => this.work.delete(settled));
      },
    };
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
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen({ host, port }, () => {
        this.listener.off('error', reject);
        const address = this.listener.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('the listening socket has no TCP address'));
          return;
        }
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /**
   * Stops accepting connections, waits up to `graceMs` for connections to end on their own,
   * then disconnects the rest and waits for their ephemeral keys to be removed.
   */
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
    while (this.work.size > 0) await Promise.all([...this.work]);
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

    const connectionId = newId();
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
    new OuterConnection(connection, connectionId, sourceAddress, this.services, {
      onAuthenticated: () => {
        entry.authenticated = true;
      },
    }).attach();
  }
}
