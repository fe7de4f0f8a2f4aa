/**
 * Limits and timeouts of the jump server. Each has a default an operator of a busy bastion
 * would choose; the controller's configuration overrides them.
 */

/** Every limit the jump server enforces. Durations are in milliseconds. */
export interface JumpServerLimits {
  /** Connections open at once, authenticated or not. */
  readonly maxConnections: number;
  /** Connections still authenticating at once (like sshd's MaxStartups). */
  readonly maxUnauthenticated: number;
  /** Time a connection has to authenticate (like sshd's LoginGraceTime). */
  readonly loginGraceTimeMs: number;
  /** Failed authentication attempts one connection may make before it is dropped. */
  readonly maxAuthTries: number;
  /** Time allowed to reach a machine and complete its SSH handshake. */
  readonly upstreamConnectTimeoutMs: number;
  /** Keepalive interval on every hop; 0 turns keepalives off. */
  readonly keepaliveIntervalMs: number;
  /** Unanswered keepalives before a hop is declared dead. */
  readonly keepaliveCountMax: number;
  /** Channels (targets and jump-host sessions) open at once on one outer connection. */
  readonly maxChannelsPerConnection: number;
  /** Target sessions one user may have open at once, over all their connections. */
  readonly maxSessionsPerUser: number;
  /** New connections one source address may open per minute; 0 turns the limit off. */
  readonly maxNewConnectionsPerSourcePerMinute: number;
  /** Whether running sessions end once their user loses access to the target. */
  readonly endSessionsOnRevoke: boolean;
  /** Time between re-checks of a running session's access. */
  readonly revocationCheckIntervalMs: number;
}

/** The defaults, with the threat each one answers in docs/security.md. */
export const DEFAULT_LIMITS: JumpServerLimits = {
  maxConnections: 1000,
  maxUnauthenticated: 100,
  loginGraceTimeMs: 30_000,
  maxAuthTries: 6,
  upstreamConnectTimeoutMs: 10_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  maxChannelsPerConnection: 64,
  maxSessionsPerUser: 100,
  maxNewConnectionsPerSourcePerMinute: 300,
  endSessionsOnRevoke: true,
  revocationCheckIntervalMs: 5_000,
};

/** The defaults with `overrides` applied. */
export function resolveLimits(overrides: Partial<JumpServerLimits> = {}): JumpServerLimits {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(defined) };
}
