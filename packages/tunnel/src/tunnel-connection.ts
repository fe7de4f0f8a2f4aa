/**
 * One user's connection to JIMM: authenticated by a key registered at JIMM, then each
 * forwarded channel is authorized against JIMM's grants, routed to the controller hosting the
 * target's model and relayed there unread. A refused target is told to the user on the inner
 * hop, as a controller would tell it.
 */
import { isJujuSshError, parseTargetName, quoteUntrusted } from '@juju-ssh/core';
import {
  checkPublicKeySignature,
  explainJumpHost,
  refuseInsideChannel,
  userFacingMessage,
} from '@juju-ssh/jump-server';
import type { Logger } from 'pino';
import type {
  AcceptConnection,
  AuthContext,
  Connection,
  RejectConnection,
  ServerChannel,
  TcpipRequestInfo,
} from 'ssh2';
import { newSessionId } from './ids.js';
import { relayTarget } from './relay-session.js';
import type { TunnelServices } from './services.js';

/** How the connection reports its progress to the server that owns it. */
export interface TunnelConnectionEvents {
  onAuthenticated(): void;
}

/** The user as JIMM authenticated them, and the key they signed with. */
export interface TunnelUser {
  readonly name: string;
  readonly publicKey: Buffer;
}

/** Serves one user connection until it closes. */
export class TunnelConnection {
  private user: TunnelUser | undefined;
  private authFailures = 0;
  private readonly logger: Logger;

  constructor(
    private readonly connection: Connection,
    private readonly connectionId: string,
    private readonly sourceAddress: string,
    private readonly services: TunnelServices,
    private readonly events: TunnelConnectionEvents,
  ) {
    this.logger = services.logger.child({ connectionId, sourceAddress });
  }

  /** Starts handling the connection's events. */
  attach(): void {
    const { connection } = this;
    connection.on('authentication', (ctx) => this.authenticate(ctx));
    connection.on('ready', () => this.onReady());
    connection.on('tcpip', (accept, reject, info) => void this.openTarget(accept, reject, info));
    connection.on('session', (accept) => explainJumpHost(accept, 'the JIMM jump host'));
    connection.on('request', (_accept, reject) => reject?.());
    connection.on('error', (error) =>
      this.logger.debug({ err: error.message }, 'connection error'),
    );
  }

  private authenticate(ctx: AuthContext): void {
    if (ctx.method === 'none') {
      ctx.reject(['publickey']);
      return;
    }
    if (ctx.method !== 'publickey') {
      this.refuse(ctx, `${ctx.method} authentication is not accepted; use a registered SSH key`);
      return;
    }
    this.services.policy.authenticateKey(ctx.username, ctx.key.data).then(
      (decision) => {
        if (!decision.allowed) return this.refuse(ctx, decision.reason);
        const check = checkPublicKeySignature(ctx);
        if (check.kind === 'bad-signature') return this.refuse(ctx, 'the signature did not verify');
        if (check.kind === 'verified') {
          this.user = { name: decision.user.name, publicKey: Buffer.from(ctx.key.data) };
        }
        ctx.accept();
      },
      (error: unknown) => this.refuse(ctx, `the access check failed: ${String(error)}`),
    );
  }

  private refuse(ctx: AuthContext, reason: string): void {
    const user = ctx.username.slice(0, 64);
    this.services.audit.record({
      ...this.base(),
      event: 'auth-failed',
      user,
      method: ctx.method,
      reason,
    });
    this.logger.info({ user, method: ctx.method, reason }, 'login refused');
    ctx.reject(['publickey']);
    if (++this.authFailures >= this.services.limits.maxAuthTries) {
      this.logger.warn({ user }, 'too many failed logins; disconnecting');
      this.connection.end();
    }
  }

  private onReady(): void {
    this.events.onAuthenticated();
    const user = this.user?.name ?? '';
    this.services.audit.record({
      ...this.base(),
      event: 'auth-succeeded',
      user,
      method: 'publickey',
    });
    this.logger.info({ user }, 'user authenticated');
  }

  private async openTarget(
    accept: AcceptConnection<ServerChannel>,
    reject: RejectConnection,
    info: TcpipRequestInfo,
  ): Promise<void> {
    const { user } = this;
    if (user === undefined) return reject();
    const targetName = info.destIP;
    const sessionId = newSessionId();
    const logger = this.logger.child({ sessionId, user: user.name, target: targetName });
    try {
      const target = parseTargetName(targetName);
      await relayTarget({
        ...this.base(),
        sessionId,
        user,
        target,
        targetName,
        targetPort: info.destPort,
        originAddress: info.srcIP,
        originPort: info.srcPort,
        accept,
        logger,
        services: this.services,
      });
    } catch (error) {
      this.refuseTarget(user.name, targetName, error, accept, logger);
    }
  }

  private refuseTarget(
    user: string,
    targetName: string,
    error: unknown,
    accept: AcceptConnection<ServerChannel>,
    logger: Logger,
  ): void {
    const reason = userFacingMessage(error);
    if (!isJujuSshError(error)) logger.error({ err: error }, 'relay failed');
    this.services.audit.record({
      ...this.base(),
      event: 'target-refused',
      user,
      targetName: quoteUntrusted(targetName, 300),
      reason,
    });
    logger.info({ reason }, 'target refused');
    const channel = accept();
    channel.on('error', () => {});
    refuseInsideChannel(channel, reason);
  }

  private base() {
    return {
      time: new Date().toISOString(),
      connectionId: this.connectionId,
      sourceAddress: this.sourceAddress,
    };
  }
}
