/**
 * One session to a target: the inner SSH connection the user runs through a forwarded channel,
 * terminated here with the target's virtual host key. Authenticates the user again, installs an
 * ephemeral key on the machine, opens the upstream hop and bridges session channels to it.
 */

import type { SessionFields } from '@juju-ssh/audit';
import type { RelayedPrincipal, ResolvedTarget } from '@juju-ssh/authz';
import { describeTarget, JujuSshError } from '@juju-ssh/core';
import type { EphemeralKey, InstalledKey, MachineEndpoint } from '@juju-ssh/ephemeral-keys';
import { createEphemeralKey } from '@juju-ssh/ephemeral-keys';
import type { Logger } from 'pino';
import type { AuthContext, Client, Connection, Session } from 'ssh2';
import { ForwardedAgent } from './agent-forwarding.js';
import type { ExitReport } from './channel-exit.js';
import { ConnectionNotices } from './connection-notices.js';
import { resolveForwarding } from './forwarding-policy.js';
import { answerLateRequests } from './late-requests.js';
import { isValidLoginUser } from './login-user.js';
import {
  type ForwardingContext,
  forwardDirectStreamLocal,
  forwardDirectTcpip,
} from './port-forwarding.js';
import { checkPublicKeySignature } from './public-key-auth.js';
import { innerHopKeyDecision } from './relayed-login.js';
import { RemoteForwarding } from './remote-forwarding.js';
import type { JumpServerServices } from './services.js';
import { channelGate } from './session-admission.js';
import { type ByteCounters, bridgeSession } from './session-bridge.js';
import { SessionAccessGuard } from './session-revocation.js';
import { connectUpstream } from './upstream.js';

/** Who asked for this session and where it goes. */
export interface TargetSessionRequest {
  readonly sessionId: string;
  readonly connectionId: string;
  readonly sourceAddress: string;
  /** The controller user authenticated on the outer hop. */
  readonly user: string;
  readonly targetName: string;
  readonly resolved: ResolvedTarget;
  readonly logger: Logger;
  /** Set when JIMM relayed the session: the inner hop accepts only the token's key. */
  readonly relayed?: RelayedPrincipal;
}

/** Serves the inner connection of one session until it closes. */
export function serveTargetSession(
  connection: Connection,
  request: TargetSessionRequest,
  services: JumpServerServices,
): void {
  new TargetSession(connection, request, services).attach();
}

class TargetSession {
  private loginUser: string | undefined;
  private authFailures = 0;
  private upstream: Promise<Client> | undefined;
  private installed: Promise<InstalledKey> | undefined;
  private readonly counters: ByteCounters = { fromClient: 0, toClient: 0 };
  private lastExit: ExitReport | undefined;
  private readonly startedAt = Date.now();
  private started = false;
  private failure: string | undefined;
  private guard: SessionAccessGuard | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly request: TargetSessionRequest,
    private readonly services: JumpServerServices,
  ) {}

  attach(): void {
    const { connection } = this;
    const { user, relayed, resolved, logger } = this.request;
    this.guard = new SessionAccessGuard(
      this.services,
      { user, relayed, target: resolved.target, logger },
      (reason) => {
        this.failure = `access revoked: ${reason}`;
        connection.end();
      },
    );
    connection.on('authentication', (ctx) => this.authenticate(ctx));
    connection.on('ready', () => this.onReady());
    const forwarding = this.forwardingContext();
    const remote = new RemoteForwarding(forwarding);
    answerLateRequests(connection);
    const gate = channelGate(this.services.admission, this.request.sessionId, connection);
    connection.on('session', (accept, reject) =>
      gate(accept, reject, (admitted) => this.bridge(admitted, forwarding)),
    );
    connection.on('tcpip', (accept, reject, info) =>
      gate(accept, reject, (a, r) => forwardDirectTcpip(forwarding, a, r, info)),
    );
    connection.on('openssh.streamlocal', (accept, reject, info) =>
      gate(accept, reject, (a, r) => forwardDirectStreamLocal(forwarding, a, r, info)),
    );
    connection.on('request', (accept, reject, name, info) =>
      remote.onRequest(accept, reject, name, info),
    );
    connection.on('error', (error) => {
      this.request.logger.debug({ err: error.message }, 'inner connection error');
    });
    // Registered now, not at close, so a server that is closing waits for this session's end.
    const closed = new Promise<void>((resolve) => connection.once('close', () => resolve()));
    this.services.track(
      closed.then(() => {
        this.guard?.stop();
        this.services.admission.forgetConnection(this.request.sessionId);
        return this.finish();
      }),
    );
  }

  /** Carries one session channel to the machine. */
  private bridge(accept: () => Session, forwarding: ForwardingContext): void {
    bridgeSession(accept, {
      upstream: () => this.prepare(),
      counters: this.counters,
      agentForwarding: forwarding.policy.agent,
      notices: forwarding.notices,
      onRequest: (req) =>
        this.services.audit.record({
          ...this.base(),
          event: 'channel-opened',
          sessionId: this.request.sessionId,
          channelType: 'session',
          ...req,
        }),
      onExit: (exit) => {
        this.lastExit = exit;
      },
      onChannel: (channel, terminal) => this.guard?.track(channel, terminal),
    });
  }

  /** What port, socket and agent forwarding need from this session. */
  private forwardingContext(): ForwardingContext {
    return {
      connection: this.connection,
      upstream: () => this.prepare(),
      policy: resolveForwarding(this.services.forwarding),
      notices: new ConnectionNotices(),
      logger: this.request.logger,
      onForward: (record) =>
        this.services.audit.record({
          ...this.base(),
          event: 'channel-opened',
          sessionId: this.request.sessionId,
          ...record,
        }),
    };
  }

  private authenticate(ctx: AuthContext): void {
    if (!isValidLoginUser(ctx.username)) {
      this.authFailed(ctx, `login user ${JSON.stringify(ctx.username.slice(0, 40))} is invalid`);
      return;
    }
    if (this.loginUser !== undefined && this.loginUser !== ctx.username) {
      this.authFailed(ctx, 'the login user changed during authentication');
      return;
    }
    this.loginUser = ctx.username;
    if (ctx.method !== 'publickey') {
      if (ctx.method !== 'none') this.authFailed(ctx, `${ctx.method} is not accepted`);
      else ctx.reject(['publickey']);
      return;
    }
    const { user, relayed } = this.request;
    innerHopKeyDecision(this.services, user, relayed, ctx.key.data).then(
      (decision) => {
        if (!decision.allowed) {
          this.authFailed(ctx, `inner hop: ${decision.reason}`);
          return;
        }
        const check = checkPublicKeySignature(ctx);
        if (check.kind === 'bad-signature') {
          this.authFailed(ctx, 'inner hop: the signature did not verify');
          return;
        }
        // The user is known and may reach the target: start the key install now, so it
        // overlaps the rest of the handshake.
        void this.prepare().catch(() => {});
        ctx.accept();
      },
      (error: unknown) => this.authFailed(ctx, `the access check failed: ${String(error)}`),
    );
  }

  private authFailed(ctx: AuthContext, reason: string): void {
    this.services.audit.record({
      ...this.base(),
      event: 'auth-failed',
      user: this.request.user,
      method: ctx.method,
      reason,
    });
    this.request.logger.info({ reason }, 'inner hop authentication refused');
    ctx.reject(['publickey']);
    if (++this.authFailures >= this.services.limits.maxAuthTries) {
      this.request.logger.warn('too many failed logins on the inner hop; disconnecting');
      this.connection.end();
    }
  }

  private onReady(): void {
    this.started = true;
    this.guard?.start();
    this.services.audit.record({ ...this.base(), ...this.fields(), event: 'session-started' });
    this.request.logger.info({ loginUser: this.loginUser }, 'session started');
  }

  /** Runs policies, installs the ephemeral key and opens the upstream hop, once. */
  private prepare(): Promise<Client> {
    if (this.upstream === undefined) {
      this.upstream = this.openUpstream();
      this.upstream.catch((error: unknown) => {
        this.failure = error instanceof Error ? error.message : String(error);
        this.request.logger.warn({ reason: this.failure }, 'upstream failed');
      });
    }
    return this.upstream;
  }

  private async openUpstream(): Promise<Client> {
    const { services, request } = this;
    const refusal = await services.sessionPolicy?.check({
      ...this.fields(),
      sourceAddress: request.sourceAddress,
    });
    if (refusal !== undefined) {
      services.audit.record({
        ...this.base(),
        ...this.fields(),
        event: 'session-refused',
        reason: refusal,
      });
      throw new JujuSshError('access-denied', `session refused by policy: ${refusal}`);
    }

    const key = createEphemeralKey();
    this.installed = this.installKey(key);
    // Its failure surfaces through the upstream hop; removal at the end handles it too.
    this.installed.catch(() => {});
    const client = await connectUpstream({
      machine: request.resolved.machine,
      description: this.machineDescription(),
      loginUser: this.requireLoginUser(),
      privateKey: key.privateKey,
      keyInstalled: this.installed,
      connectTimeoutMs: services.limits.upstreamConnectTimeoutMs,
      keepaliveIntervalMs: services.limits.keepaliveIntervalMs,
      keepaliveCountMax: services.limits.keepaliveCountMax,
      agent: new ForwardedAgent(this.connection),
    });
    client.on('error', (error) => request.logger.info({ err: error.message }, 'upstream error'));
    client.on('close', () => {
      const closed = Promise.reject(
        new JujuSshError(
          'upstream-failed',
          `the connection to ${this.machineDescription()} closed`,
        ),
      );
      closed.catch(() => {});
      this.upstream = closed;
    });
    return client;
  }

  private async installKey(key: EphemeralKey): Promise<InstalledKey> {
    const { services, request } = this;
    const { machine, model } = request.resolved;
    const loginUser = this.requireLoginUser();
    await services.ledger.recordEphemeralKey({
      controllerId: services.controllerId,
      sessionId: request.sessionId,
      modelUuid: model.uuid,
      machineId: machine.id,
      loginUser,
      expiresAt: new Date(Date.now() + services.ephemeralKeyTtlSeconds * 1000),
    });
    const endpoint: MachineEndpoint = {
      address: machine.address,
      port: machine.port,
      hostKey: machine.hostKey,
      description: this.machineDescription(),
    };
    return services.ephemeralKeys.install(endpoint, loginUser, request.sessionId, key);
  }

  private async finish(): Promise<void> {
    const { services, request } = this;
    const upstream = this.upstream?.catch(() => undefined);
    void upstream?.then((client) => client?.end());
    if (this.started) {
      services.audit.record({
        ...this.base(),
        ...this.fields(),
        event: 'session-ended',
        durationMs: Date.now() - this.startedAt,
        bytesFromClient: this.counters.fromClient,
        bytesToClient: this.counters.toClient,
        ...exitFields(this.lastExit),
        endReason: this.failure ?? 'closed',
      });
      request.logger.info(
        { durationMs: Date.now() - this.startedAt, ...this.counters },
        'session ended',
      );
    }
    if (this.installed === undefined) return;
    try {
      const key = await this.installed;
      await key.remove();
      await services.ledger.forgetEphemeralKey(request.sessionId);
    } catch (error) {
      request.logger.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        'could not remove the ephemeral key; it expires on its own and the next start sweeps it',
      );
    }
  }

  private machineDescription(): string {
    const { machine, model } = this.request.resolved;
    return `machine ${machine.id} in model ${model.name}`;
  }

  private requireLoginUser(): string {
    if (this.loginUser === undefined) {
      throw new JujuSshError('invalid-argument', 'no login user was given on the inner hop');
    }
    return this.loginUser;
  }

  private base() {
    return {
      time: new Date().toISOString(),
      connectionId: this.request.connectionId,
      sourceAddress: this.request.sourceAddress,
    };
  }

  private fields(): SessionFields {
    const { resolved, sessionId, user, targetName } = this.request;
    return {
      sessionId,
      user,
      targetName,
      modelUuid: resolved.model.uuid,
      modelName: resolved.model.name,
      targetKind: 'machine',
      machineId: resolved.machine.id,
      ...(resolved.unit === undefined
        ? {}
        : { unit: `${resolved.unit.application}/${resolved.unit.number}` }),
      loginUser: this.loginUser ?? '',
      via: this.request.relayed === undefined ? 'direct' : 'jimm',
    };
  }
}

function exitFields(exit: ExitReport | undefined) {
  if (exit === undefined) return {};
  return exit.kind === 'status' ? { exitStatus: exit.code } : { exitSignal: exit.signal };
}

/** A one-line description of a resolved target for logs. */
export function describeResolved(resolved: ResolvedTarget): string {
  return `${describeTarget(resolved.target)} in model ${resolved.model.name}`;
}
