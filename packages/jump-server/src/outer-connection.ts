/**
 * The outer hop: a user's connection to the jump server. Authenticates by public key only,
 * accepts forwarded channels to targets the user may reach, and terminates each one's inner
 * SSH connection with the target's virtual host key.
 */
import type { RelayedPrincipal, ResolvedTarget } from '@juju-ssh/authz';
import { isJujuSshError, parseTargetName, quoteUntrusted } from '@juju-ssh/core';
import { machineHostKeyIdentity } from '@juju-ssh/host-keys';
import type { Logger } from 'pino';
import ssh2, {
  type AcceptConnection,
  type AuthContext,
  type AuthenticationType,
  type Connection,
  type RejectConnection,
  type ServerChannel,
  type TcpipRequestInfo,
} from 'ssh2';
import { rejectChannel } from './channel-open-failure.js';
import { newId } from './ids.js';
import { explainJumpHost } from './jump-host-note.js';
import { checkPublicKeySignature } from './public-key-auth.js';
import { RELAY_USER, verifyRelayLogin } from './relayed-login.js';
import type { JumpServerServices } from './services.js';
import { refuseInsideChannel } from './target-refusal.js';
import { serveTargetSession } from './target-session.js';
import { PREFERRED_CIPHERS } from './upstream.js';
import { userFacingMessage } from './user-facing-message.js';

/** How the outer connection reports its progress to the server that owns it. */
export interface OuterConnectionEvents {
  onAuthenticated(): void;
}

/** Serves one outer connection until it closes. */
export class OuterConnection {
  private user: string | undefined;
  /** Set when JIMM relayed this connection: who its token vouches for. */
  private relayed: RelayedPrincipal | undefined;
  private authFailures = 0;
  private readonly logger: Logger;

  constructor(
    private readonly connection: Connection,
    private readonly connectionId: string,
    private readonly sourceAddress: string,
    private readonly services: JumpServerServices,
    private readonly events: OuterConnectionEvents,
  ) {
    this.logger = services.logger.child({ connectionId, sourceAddress });
  }

  attach(): void {
    const { connection } = this;
    connection.on('authentication', (ctx) => this.authenticate(ctx));
    connection.on('ready', () => this.onReady());
    connection.on('tcpip', (accept, reject, info) => {
      const admission = this.services.admission.admitOpen(this.connectionId, this.user, {
        accept,
        reject,
      });
      if (admission.admitted) {
        void this.openTarget(admission.open.accept, admission.open.reject, info);
      } else if (admission.open === undefined) {
        rejectChannel(connection, reject, admission.error.message);
      } else {
        this.refuseTarget(this.user ?? '', info.destIP, admission.error, admission.open.accept);
      }
    });
    connection.on('session', (accept, reject) => {
      const admission = this.services.admission.admitOpen(this.connectionId, undefined, {
        accept,
        reject,
      });
      if (admission.admitted) explainJumpHost(admission.open.accept, 'a jump host');
      else rejectChannel(connection, reject, admission.error.message);
    });
    connection.on('request', (_accept, reject) => reject?.());
    connection.on('error', (error) =>
      this.logger.debug({ err: error.message }, 'connection error'),
    );
  }

  private authenticate(ctx: AuthContext): void {
    if (ctx.username === RELAY_USER) {
      this.authenticateRelay(ctx);
      return;
    }
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
        if (check.kind === 'verified') this.user = decision.user.name;
        ctx.accept();
      },
      (error: unknown) => this.refuse(ctx, `the access check failed: ${String(error)}`),
    );
  }

  /** JIMM's relay user: a relay token as password, nothing else. */
  private authenticateRelay(ctx: AuthContext): void {
    if (ctx.method === 'none') {
      ctx.reject(['password']);
      return;
    }
    if (ctx.method !== 'password') {
      this.refuse(ctx, `${RELAY_USER} logs in only with a JIMM relay token`, ['password']);
      return;
    }
    void verifyRelayLogin(this.services, ctx.password).then((login) => {
      if (!login.allowed) return this.refuse(ctx, login.reason, ['password']);
      this.relayed = login.principal;
      this.user = login.principal.user;
      ctx.accept();
    });
  }

  private refuse(
    ctx: AuthContext,
    reason: string,
    methods: AuthenticationType[] = ['publickey'],
  ): void {
    this.services.audit.record({
      ...this.base(),
      event: 'auth-failed',
      user: ctx.username.slice(0, 64),
      method: ctx.method,
      reason,
    });
    this.logger.info(
      { user: ctx.username.slice(0, 64), method: ctx.method, reason },
      'login refused',
    );
    ctx.reject(methods);
    // Like sshd's MaxAuthTries: failures are counted, the "none" probe is not.
    if (++this.authFailures >= this.services.limits.maxAuthTries) {
      this.logger.warn(
        { user: ctx.username.slice(0, 64) },
        'too many failed logins; disconnecting',
      );
      this.connection.end();
    }
  }

  private onReady(): void {
    this.events.onAuthenticated();
    this.services.audit.record({
      ...this.base(),
      event: 'auth-succeeded',
      user: this.user ?? '',
      method: this.relayed === undefined ? 'publickey' : 'jimm-relay-token',
    });
    this.logger.info(
      { user: this.user, ...(this.relayed && { via: 'jimm', tokenId: this.relayed.tokenId }) },
      'user authenticated',
    );
  }

  private async openTarget(
    accept: AcceptConnection<ServerChannel>,
    reject: RejectConnection,
    info: TcpipRequestInfo,
  ): Promise<void> {
    const user = this.user;
    const targetName = info.destIP;
    if (user === undefined) return reject();
    let resolved: ResolvedTarget;
    try {
      const target = parseTargetName(targetName);
      resolved =
        this.relayed === undefined
          ? await this.services.policy.resolveTarget(user, target)
          : await this.services.policy.resolveRelayedTarget(this.relayed, target);
    } catch (error) {
      this.refuseTarget(user, targetName, error, accept);
      return;
    }
    const stream = accept();
    const sessionId = newId();
    const logger = this.logger.child({ sessionId, user, target: targetName });
    stream.on('error', (error: Error) => logger.debug({ err: error.message }, 'channel error'));
    const hostKey = this.services.virtualHostKeys.forIdentity(
      machineHostKeyIdentity(resolved.model.uuid, resolved.machine.id),
    );
    const request = {
      sessionId,
      connectionId: this.connectionId,
      sourceAddress: this.sourceAddress,
      user,
      targetName,
      resolved,
      logger,
      ...(this.relayed === undefined ? {} : { relayed: this.relayed }),
    };
    const inner = new ssh2.Server(
      {
        hostKeys: [hostKey.privateKey],
        algorithms: { cipher: [...PREFERRED_CIPHERS] as never },
        keepaliveInterval: this.services.limits.keepaliveIntervalMs,
        keepaliveCountMax: this.services.limits.keepaliveCountMax,
      },
      (connection: Connection) => serveTargetSession(connection, request, this.services),
    );
    inner.injectSocket(stream as never);
  }

  /** Records why a target was refused and tells the user's client. */
  private refuseTarget(
    user: string,
    targetName: string,
    error: unknown,
    accept: AcceptConnection<ServerChannel>,
  ): void {
    const reason = userFacingMessage(error);
    if (!isJujuSshError(error)) this.logger.error({ err: error }, 'target check failed');
    this.services.audit.record({
      ...this.base(),
      event: 'target-refused',
      user,
      targetName: quoteUntrusted(targetName, 300),
      reason,
    });
    this.logger.info({ user, target: quoteUntrusted(targetName), reason }, 'target refused');
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
