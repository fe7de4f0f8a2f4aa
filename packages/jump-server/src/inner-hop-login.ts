/**
 * Login on a session's inner hop: the same user as on the outer hop, by public key only, with
 * a key the outer hop's user may use for this target (for a relayed session, only the token's
 * key). Failures are audited and counted like sshd counts them.
 */
import type { AuthContext, Connection } from 'ssh2';
import { isValidLoginUser } from './login-user.js';
import { checkPublicKeySignature } from './public-key-auth.js';
import { innerHopKeyDecision } from './relayed-login.js';
import type { JumpServerServices } from './services.js';
import type { TargetSessionRequest } from './target-session.js';

/** Decides the inner hop's authentication requests of one session. */
export class InnerHopLogin {
  private user: string | undefined;
  private failures = 0;

  /** `onAllowed` runs once a key has been found acceptable, before the login completes. */
  constructor(
    private readonly services: JumpServerServices,
    private readonly request: TargetSessionRequest,
    private readonly connection: Connection,
    private readonly onAllowed: () => void,
  ) {}

  /** The machine login the client asked for, once it has asked. */
  get loginUser(): string | undefined {
    return this.user;
  }

  /** Answers one authentication request. */
  authenticate(ctx: AuthContext): void {
    if (!isValidLoginUser(ctx.username)) {
      this.refuse(ctx, `login user ${JSON.stringify(ctx.username.slice(0, 40))} is invalid`);
      return;
    }
    if (this.user !== undefined && this.user !== ctx.username) {
      this.refuse(ctx, 'the login user changed during authentication');
      return;
    }
    this.user = ctx.username;
    if (ctx.method !== 'publickey') {
      if (ctx.method !== 'none') this.refuse(ctx, `${ctx.method} is not accepted`);
      else ctx.reject(['publickey']);
      return;
    }
    const { user, relayed } = this.request;
    innerHopKeyDecision(this.services, user, relayed, ctx.key.data).then(
      (decision) => {
        if (!decision.allowed) {
          this.refuse(ctx, `inner hop: ${decision.reason}`);
          return;
        }
        const check = checkPublicKeySignature(ctx);
        if (check.kind === 'bad-signature') {
          this.refuse(ctx, 'inner hop: the signature did not verify');
          return;
        }
        this.onAllowed();
        ctx.accept();
      },
      (error: unknown) => this.refuse(ctx, `the access check failed: ${String(error)}`),
    );
  }

  private refuse(ctx: AuthContext, reason: string): void {
    const { request, services } = this;
    services.audit.record({
      time: new Date().toISOString(),
      connectionId: request.connectionId,
      sourceAddress: request.sourceAddress,
      event: 'auth-failed',
      user: request.user,
      method: ctx.method,
      reason,
    });
    request.logger.info({ reason }, 'inner hop authentication refused');
    ctx.reject(['publickey']);
    if (++this.failures >= services.limits.maxAuthTries) {
      request.logger.warn('too many failed logins on the inner hop; disconnecting');
      this.connection.end();
    }
  }
}
