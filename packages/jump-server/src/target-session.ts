/**
 * One session to a target: the inner SSH connection the user runs through a forwarded channel,
 * terminated here with the target's virtual host key. Authenticates the user again, installs an
 * ephemeral key on the machine, opens the upstream hop and bridges session channels to it.
 */

import type { SessionFields } from '@juju-ssh/audit';
import type { RelayedPrincipal, ResolvedTarget } from '@juju-ssh/authz';
import { describeTarget, JujuSshError } from '@juju-ssh/core';
import { createEphemeralKey } from '@juju-ssh/ephemeral-keys';
import type { Logger } from 'pino';
import type { Client, Connection, Session } from 'ssh2';
import { ForwardedAgent } from './agent-forwarding.js';
import type { ExitReport } from './channel-exit.js';
import { ConnectionNotices } from './connection-notices.js';
import { resolveForwarding } from './forwarding-policy.js';
import { InnerHopLogin } from './inner-hop-login.js';
import { answerLateRequests } from './late-requests.js';
import {
  type ForwardingContext,
  forwardDirectStreamLocal,
  forwardDirectTcpip,
} from './port-forwarding.js';
import { RemoteForwarding } from './remote-forwarding.js';
import type { JumpServerServices } from './services.js';
import { channelGate } from './session-admission.js';
import { type ByteCounters, bridgeSession } from './session-bridge.js';
import { SessionKey } from './session-key.js';
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
  private readonly login: InnerHopLogin;
  private upstream: Promise<Client> | undefined;
  private sessionKey: SessionKey | undefined;
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
  ) {
    // Once the user is known and may reach the target, the key install starts, so that it
    // overlaps the rest of the handshake.
    this.login = new InnerHopLogin(services, request, connection, () => {
      void this.prepare().catch(() => {});
    });
  }

  attach(): void {
    const { connection } = this;
    const { user, relayed, resolved, logger } = this.request;
    this.guard = new SessionAccessGuard(
      this.services,
      { user, relayed, target: resolved.target, logger },
      () => connection.end(),
    );
    connection.on('authentication', (ctx) => this.login.authenticate(ctx));
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

  private onReady(): void {
    this.started = true;
    this.guard?.start();
    this.services.audit.record({ ...this.base(), ...this.fields(), event: 'session-started' });
    this.request.logger.info({ loginUser: this.login.loginUser }, 'session started');
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
    const loginUser = this.requireLoginUser();
    this.sessionKey = new SessionKey(services, {
      sessionId: request.sessionId,
      modelUuid: request.resolved.model.uuid,
      machine: request.resolved.machine,
      loginUser,
      description: this.machineDescription(),
    });
    const installed = this.sessionKey.install(key);
    // Its failure surfaces through the upstream hop; removal at the end handles it too.
    installed.catch(() => {});
    const client = await connectUpstream({
      machine: request.resolved.machine,
      description: this.machineDescription(),
      loginUser,
      privateKey: key.privateKey,
      keyInstalled: installed,
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
        endReason: this.revocationFailure() ?? this.failure ?? 'closed',
      });
      request.logger.info(
        { durationMs: Date.now() - this.startedAt, ...this.counters },
        'session ended',
      );
    }
    await this.sessionKey?.release(request.logger);
  }

  private revocationFailure(): string | undefined {
    const reason = this.guard?.revokedBecause;
    return reason === undefined ? undefined : `access revoked: ${reason}`;
  }

  private machineDescription(): string {
    const { machine, model } = this.request.resolved;
    return `machine ${machine.id} in model ${model.name}`;
  }

  private requireLoginUser(): string {
    const { loginUser } = this.login;
    if (loginUser === undefined) {
      throw new JujuSshError('invalid-argument', 'no login user was given on the inner hop');
    }
    return loginUser;
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
      loginUser: this.login.loginUser ?? '',
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
