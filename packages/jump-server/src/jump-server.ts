/**
 * The jump server: listens for users' SSH connections, enforces connection limits (in all, per
 * source address, still logging in) before any SSH work is done, and hands each connection to
 * an outer-connection handler. Closing it stops new connections and lets running sessions
 * finish up to a deadline.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Connection } from 'ssh2';
import ssh2 from 'ssh2';
import { newId } from './ids.js';
import { LimitReporter } from './limit-reporter.js';
import { resolveLimits } from './limits.js';
import { OuterConnection } from './outer-connection.js';
import type { JumpServerOptions, JumpServerServices } from './services.js';
import { SessionAdmission } from './session-admission.js';
import { SourceRateLimiter } from './source-rate-limit.js';
import { type ListeningAddress, listenTcp } from './tcp-listen.js';
import { PREFERRED_CIPHERS } from './upstream.js';

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
  private readonly reporter: LimitReporter;
  private readonly sourceRate: SourceRateLimiter;

  constructor(options: JumpServerOptions) {
    const limits = resolveLimits(options.limits);
    this.reporter = new LimitReporter(options.logger);
    this.sourceRate = new SourceRateLimiter({
      perMinute: limits.maxNewConnectionsPerSourcePerMinute,
    });
    this.services = {
      ...options,
      limits,
      track: (work) => {
        const settled = work.catch(() => {});
        this.work.add(settled);
        void settled.then(() => this.work.delete(settled));
      },
      admission: new SessionAdmission(limits, this.reporter),
    };
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

  /**
   * Stops accepting connections, waits up to `graceMs` for running sessions to end on their
   * own (ending connections that hold none), then disconnects the rest, and resolves once every
   * session has ended and its ephemeral key has been removed (or `settleMs` has passed).
   */
  async close(options: { graceMs?: number; settleMs?: number } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    const deadline = Date.now() + (options.graceMs ?? 0);
    while (this.tracked.size > 0 && Date.now() < deadline) {
      this.endIdleConnections();
      await sleep(100);
    }
    for (const entry of this.tracked.values()) {
      entry.connection?.end();
      entry.socket.destroy();
    }
    await closed;
    await this.settle(options.settleMs ?? 30_000);
    this.reporter.flush();
  }

  /** Ends connections that are still logging in, or that hold no channel. */
  private endIdleConnections(): void {
    for (const [connectionId, entry] of this.tracked) {
      if (entry.authenticated && this.services.admission.channelsOf(connectionId) > 0) continue;
      entry.connection?.end();
      entry.socket.destroy();
    }
  }

  /** Waits for tracked work (sessions ending, keys being removed), at most `limitMs`. */
  private async settle(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.work.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.services.logger.warn(
          { pending: this.work.size },
          'sessions did not finish ending in time; their keys expire on their own',
        );
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, left);
      });
      await Promise.race([Promise.all([...this.work]), timeout]);
      clearTimeout(timer);
    }
  }

  /** Connections open now, and how many of them have not logged in yet. */
  get connections(): { readonly open: number; readonly unauthenticated: number } {
    const unauthenticated = [...this.tracked.values()].filter((t) => !t.authenticated).length;
    return { open: this.tracked.size, unauthenticated };
  }

  private onSocket(socket: Socket): void {
    const { limits } = this.services;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    const refusal = this.admissionRefusal(socket.remoteAddress ?? '');
    if (refusal !== undefined) {
      this.reporter.hit(refusal.limit, refusal.value, refusal.message, refusal.fields);
      socket.destroy();
      return;
    }

    const connectionId = newId();
    const entry: Tracked = { socket, authenticated: false };
    this.tracked.set(connectionId, entry);
    this.pending.set(socket, connectionId);
    const grace = setTimeout(() => {
      if (entry.authenticated) return;
      this.reporter.hit(
        'login-grace-time',
        limits.loginGraceTimeMs / 1000,
        'login grace time expired; disconnecting',
        { connectionId, sourceAddress: socket.remoteAddress },
      );
      socket.destroy();
    }, limits.loginGraceTimeMs);
    socket.once('close', () => {
      clearTimeout(grace);
      this.tracked.delete(connectionId);
      this.services.admission.forgetConnection(connectionId);
    });
    this.ssh.injectSocket(socket);
  }

  /** Which limit, if any, refuses a new connection from `sourceAddress`. */
  private admissionRefusal(sourceAddress: string) {
    const { limits } = this.services;
    const { open, unauthenticated } = this.connections;
    if (open >= limits.maxConnections) {
      return {
        limit: 'max-connections',
        value: limits.maxConnections,
        message: 'connection limit reached; refusing a new connection',
        fields: { sourceAddress },
      } as const;
    }
    if (unauthenticated >= limits.maxUnauthenticated) {
      return {
        limit: 'max-unauthenticated',
        value: limits.maxUnauthenticated,
        message: 'too many connections still logging in; refusing a new one',
        fields: { sourceAddress },
      } as const;
    }
    if (!this.sourceRate.tryAcquire(sourceAddress)) {
      return {
        limit: 'max-new-connections-per-source',
        value: limits.maxNewConnectionsPerSourcePerMinute,
        message: 'source address opened too many connections this minute; refusing',
        fields: { sourceAddress },
      } as const;
    }
    return undefined;
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
