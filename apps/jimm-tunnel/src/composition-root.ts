/**
 * The composition root: the one place that knows JIMM's concrete classes. Each part is a lazy
 * factory in a tsyringe container, so an admin command opens only what it needs and `run`
 * resolves the tunnel server and all it is built from.
 */
import 'reflect-metadata';
import { createWriteStream, type WriteStream } from 'node:fs';
import { AuditTrail, JsonLinesFileSink, LogSink } from '@juju-ssh/audit';
import { AccessPolicy } from '@juju-ssh/authz';
import { SqliteControllerRegistry } from '@juju-ssh/controller-registry';
import type { HostKey } from '@juju-ssh/host-keys';
import { RelayTokenIssuer, type SigningKey } from '@juju-ssh/relay-token';
import { SqliteStore } from '@juju-ssh/state';
import { type RelayTap, TunnelServer } from '@juju-ssh/tunnel';
import { type Logger, pino } from 'pino';
import { container, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import type { Settings } from './config/settings.js';
import type { JimmPaths } from './data-dir.js';
import { loadJimmJumpHostKey } from './jimm-secrets.js';

/** What JIMM is made of, by the name each part is registered under. */
export interface JimmParts {
  readonly settings: Settings;
  readonly paths: JimmPaths;
  readonly logger: Logger;
  readonly store: SqliteStore;
  readonly registry: SqliteControllerRegistry;
  readonly jumpHostKey: HostKey;
  /** Loaded by the caller (it is async) and registered as a value; see {@link composeJimm}. */
  readonly signingKey: SigningKey;
  readonly accessPolicy: AccessPolicy;
  readonly audit: AuditTrail;
  readonly tokenIssuer: RelayTokenIssuer;
  readonly tunnelServer: TunnelServer;
}

type PartName = keyof JimmParts;

/** Extra wiring for `run`. */
export interface JimmRunOptions {
  readonly signingKey?: SigningKey;
  /** Debugging only: append every relayed byte to this file. */
  readonly captureRelayedBytes?: string;
}

/** A composed JIMM: hands out its parts and closes those it made. */
export class Jimm {
  readonly #container: DependencyContainer;
  readonly #closers: Array<() => unknown>;

  /** Use {@link composeJimm}. */
  constructor(parts: DependencyContainer, closers: Array<() => unknown>) {
    this.#container = parts;
    this.#closers = closers;
  }

  /** The part registered as `name`, made on first use. */
  get<K extends PartName>(name: K): JimmParts[K] {
    return this.#container.resolve<JimmParts[K]>(name);
  }

  /** Closes every part that was made, the last made first. */
  async close(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) await close();
  }
}

/** Registers JIMM's parts for the data directory at `paths` with `settings`. */
export function composeJimm(paths: JimmPaths, settings: Settings, run: JimmRunOptions = {}): Jimm {
  const parts = container.createChildContainer();
  const closers: Array<() => unknown> = [];
  const register = <K extends PartName>(
    name: K,
    make: (get: <P extends PartName>(part: P) => JimmParts[P]) => JimmParts[K],
    close?: (part: JimmParts[K]) => unknown,
  ): void => {
    const factory = (c: DependencyContainer) => {
      const made = make((part) => c.resolve<JimmParts[typeof part]>(part));
      if (close !== undefined) closers.push(() => close(made));
      return made;
    };
    parts.register(name, { useFactory: instanceCachingFactory(factory) });
  };

  parts.register('settings', { useValue: settings });
  parts.register('paths', { useValue: paths });
  if (run.signingKey !== undefined) parts.register('signingKey', { useValue: run.signingKey });
  register(
    'logger',
    () => pino({ level: settings['log-level'], base: { jimmId: settings['jimm-id'] } }),
    (logger) => new Promise<void>((resolve) => logger.flush(() => resolve())),
  );
  register(
    'store',
    () => SqliteStore.open(paths.store),
    (store) => store.close(),
  );
  register(
    'registry',
    () => SqliteControllerRegistry.open(paths.registry),
    (registry) => registry.close(),
  );
  register('jumpHostKey', () => loadJimmJumpHostKey(paths));
  register('accessPolicy', (get) => new AccessPolicy(get('store')));
  register(
    'audit',
    (get) =>
      new AuditTrail({
        sinks: [
          new LogSink(get('logger').child({ component: 'audit' })),
          new JsonLinesFileSink(paths.auditLog),
        ],
        onSinkError: (sink, err) => get('logger').error({ sink, err }, 'audit sink failed'),
      }),
    (audit) => audit.close(),
  );
  register(
    'tokenIssuer',
    (get) =>
      new RelayTokenIssuer({
        signingKey: get('signingKey'),
        issuer: settings['jimm-id'],
        lifetimeSeconds: settings['relay-token-lifetime'],
      }),
  );
  register('tunnelServer', (get) => {
    const capture = run.captureRelayedBytes;
    let relayTap: RelayTap | undefined;
    if (capture !== undefined) {
      const file: WriteStream = createWriteStream(capture, { flags: 'a', mode: 0o600 });
      closers.push(() => new Promise((resolve) => file.end(resolve)));
      get('logger').warn({ file: capture }, 'copying every relayed byte to a file (debugging)');
      relayTap = (_sessionId, _direction, chunk) => void file.write(chunk);
    }
    return new TunnelServer({
      jumpHostKey: get('jumpHostKey'),
      policy: get('accessPolicy'),
      controllers: get('registry'),
      tokens: get('tokenIssuer'),
      audit: get('audit'),
      logger: get('logger'),
      ...(relayTap === undefined ? {} : { relayTap }),
      limits: {
        maxConnections: settings['max-connections'],
        maxUnauthenticated: settings['max-unauthenticated'],
        loginGraceTimeMs: settings['login-grace-time'] * 1000,
        maxAuthTries: settings['max-auth-tries'],
        upstreamConnectTimeoutMs: settings['controller-connect-timeout'] * 1000,
        keepaliveIntervalMs: settings['keepalive-interval'] * 1000,
      },
    });
  });
  return new Jimm(parts, closers);
}
