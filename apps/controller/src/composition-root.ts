/**
 * The composition root: the one place that knows the concrete classes. It registers each part
 * of the controller in a tsyringe container as a lazy factory, so an admin command that needs
 * only the store opens only the store, and `run` resolves the jump server and all it needs.
 */
import 'reflect-metadata';
import { AuditTrail, JsonLinesFileSink, LogSink, SessionPolicyChain } from '@juju-ssh/audit';
import { AccessPolicy } from '@juju-ssh/authz';
import { EphemeralKeyManager } from '@juju-ssh/ephemeral-keys';
import { type HostKey, VirtualHostKeys } from '@juju-ssh/host-keys';
import type { ApiServer } from '@juju-ssh/http-api';
import { ApiAccess } from '@juju-ssh/http-api/access';
import { JumpServer, sweepLeftoverKeys } from '@juju-ssh/jump-server';
import { jwksFileSource, MemoryReplayCache, RelayTokenVerifier } from '@juju-ssh/relay-token';
import type { SqliteStore } from '@juju-ssh/state';
import { type Logger, pino } from 'pino';
import { container, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import type { Settings } from './config/settings.js';
import { loadJumpHostKey, loadSystemKey, loadVirtualHostKeySecret } from './controller-secrets.js';
import type { DataDirPaths } from './data-dir.js';
import { openControllerStore } from './store-file.js';

/** What the controller is made of, by the name each part is registered under. */
export interface ControllerParts {
  readonly settings: Settings;
  readonly paths: DataDirPaths;
  /** JSON lines on stdout at the configured level. */
  readonly logger: Logger;
  readonly store: SqliteStore;
  readonly jumpHostKey: HostKey;
  readonly systemKey: HostKey;
  readonly virtualHostKeys: VirtualHostKeys;
  readonly accessPolicy: AccessPolicy;
  readonly ephemeralKeys: EphemeralKeyManager;
  readonly audit: AuditTrail;
  readonly sessionPolicy: SessionPolicyChain;
  readonly jumpServer: JumpServer;
  /** Removes the ephemeral keys an earlier run of this controller left on machines. */
  readonly sweepLeftoverKeys: () => Promise<{ swept: number; failed: number }>;
  /** Registration strings and API credentials. */
  readonly apiAccess: ApiAccess;
  /** Makes the HTTPS API server, which tells users the SSH jump server's port. */
  readonly createApiServer: (sshPort: () => number) => Promise<ApiServer>;
}

type PartName = keyof ControllerParts;
type Closer = () => unknown;

/** A composed controller: hands out its parts and closes those it made. */
export class Controller {
  readonly #container: DependencyContainer;
  readonly #closers: Closer[];

  /** Use {@link composeController}. */
  constructor(parts: DependencyContainer, closers: Closer[]) {
    this.#container = parts;
    this.#closers = closers;
  }

  /** The part registered as `name`, made on first use. */
  get<K extends PartName>(name: K): ControllerParts[K] {
    return this.#container.resolve<ControllerParts[K]>(name);
  }

  /**
   * Closes every part that was made, the last made first (the jump server is closed by its
   * owner, with the grace period it chooses). Reports the first failure after trying all.
   */
  async close(): Promise<void> {
    let failure: unknown;
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}

/** Registers the controller's parts for the data directory at `paths` with `settings`. */
export function composeController(paths: DataDirPaths, settings: Settings): Controller {
  const parts = container.createChildContainer();
  const closers: Closer[] = [];

  const register = <K extends PartName>(
    name: K,
    make: (get: <P extends PartName>(part: P) => ControllerParts[P]) => ControllerParts[K],
    close?: (part: ControllerParts[K]) => unknown,
  ): void => {
    const factory = (c: DependencyContainer) => {
      const made = make((part) => c.resolve<ControllerParts[typeof part]>(part));
      if (close !== undefined) closers.push(() => close(made));
      return made;
    };
    parts.register(name, { useFactory: instanceCachingFactory(factory) });
  };

  parts.register('settings', { useValue: settings });
  parts.register('paths', { useValue: paths });
  register(
    'logger',
    () => createLogger(settings),
    (logger) => flushLogger(logger),
  );
  register(
    'store',
    () => openControllerStore(paths.store),
    (store) => store.close(),
  );
  register('jumpHostKey', () => loadJumpHostKey(paths));
  register('systemKey', () => loadSystemKey(paths));
  register('virtualHostKeys', () => new VirtualHostKeys(loadVirtualHostKeySecret(paths)));
  register('accessPolicy', (get) => new AccessPolicy(get('store')));
  register(
    'ephemeralKeys',
    (get) =>
      new EphemeralKeyManager({
        controllerId: settings['controller-id'],
        systemKey: get('systemKey').privateKey,
        ttlSeconds: settings['ephemeral-key-ttl'],
        connectTimeoutMs: settings['upstream-connect-timeout'] * 1000,
      }),
    (keys) => keys.close(),
  );
  register(
    'audit',
    (get) => createAuditTrail(paths, get('logger')),
    (audit) => audit.close(),
  );
  register('sessionPolicy', () => new SessionPolicyChain([]));
  register('jumpServer', (get) => createJumpServer(settings, get));
  register(
    'sweepLeftoverKeys',
    (get) => () =>
      sweepLeftoverKeys({
        controllerId: settings['controller-id'],
        ledger: get('store'),
        directory: get('store'),
        ephemeralKeys: get('ephemeralKeys'),
        onFailure: (entry, err) =>
          get('logger').warn(
            { modelUuid: entry.modelUuid, machineId: entry.machineId, err },
            'could not sweep leftover ephemeral keys; they expire on their own',
          ),
      }),
  );
  register('apiAccess', (get) => new ApiAccess(get('store')));
  register('createApiServer', (get) => async (sshPort) => {
    // Loaded only by `run`, so admin commands start without the HTTP server's modules.
    const { createApiServer } = await import('./api-server-part.js');
    return createApiServer(
      {
        settings,
        paths,
        logger: get('logger'),
        store: get('store'),
        accessPolicy: get('accessPolicy'),
        apiAccess: get('apiAccess'),
        jumpHostKey: get('jumpHostKey'),
        systemKey: get('systemKey'),
        virtualHostKeys: get('virtualHostKeys'),
      },
      sshPort,
    );
  });
  return new Controller(parts, closers);
}

function createLogger(settings: Settings): Logger {
  return pino({
    level: settings['log-level'],
    base: { controllerId: settings['controller-id'] },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

function createAuditTrail(paths: DataDirPaths, logger: Logger): AuditTrail {
  return new AuditTrail({
    sinks: [
      new LogSink(logger.child({ component: 'audit' })),
      new JsonLinesFileSink(paths.auditLog),
    ],
    onSinkError: (sink, err) => logger.error({ sink, err }, 'audit sink failed'),
    onDrop: (sink, dropped) => logger.warn({ sink, dropped }, 'audit events dropped'),
  });
}

function createJumpServer(
  settings: Settings,
  get: <P extends PartName>(part: P) => ControllerParts[P],
): JumpServer {
  return new JumpServer({
    controllerId: settings['controller-id'],
    jumpHostKey: get('jumpHostKey'),
    virtualHostKeys: get('virtualHostKeys'),
    policy: get('accessPolicy'),
    ephemeralKeys: get('ephemeralKeys'),
    ephemeralKeyTtlSeconds: settings['ephemeral-key-ttl'],
    ledger: get('store'),
    audit: get('audit'),
    sessionPolicy: get('sessionPolicy'),
    logger: get('logger'),
    relayTokens: new RelayTokenVerifier({
      audience: settings['controller-id'],
      jwks: jwksFileSource(get('paths').jimmJwks),
      replayCache: new MemoryReplayCache(),
    }),
    limits: {
      maxConnections: settings['max-connections'],
      maxUnauthenticated: settings['max-unauthenticated'],
      loginGraceTimeMs: settings['login-grace-time'] * 1000,
      maxAuthTries: settings['max-auth-tries'],
      upstreamConnectTimeoutMs: settings['upstream-connect-timeout'] * 1000,
      keepaliveIntervalMs: settings['keepalive-interval'] * 1000,
      maxChannelsPerConnection: settings['max-channels-per-connection'],
      maxSessionsPerUser: settings['max-sessions-per-user'],
      maxNewConnectionsPerSourcePerMinute: settings['max-new-connections-per-source'],
      endSessionsOnRevoke: settings['end-sessions-on-revoke'],
      revocationCheckIntervalMs: settings['revocation-check-interval'] * 1000,
    },
    forwarding: {
      local: settings['allow-local-forwarding'],
      remote: settings['allow-remote-forwarding'],
      agent: settings['allow-agent-forwarding'],
      streamlocal: settings['allow-streamlocal-forwarding'],
    },
  });
}
