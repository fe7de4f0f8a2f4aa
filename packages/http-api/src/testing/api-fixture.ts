/**
 * A controller's API for tests: a real SqliteStore in a temp dir, the real access policy and
 * virtual host keys, a CA-issued certificate, and helpers to call routes as a given user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateAndKey,
  createCertificateAuthority,
  issueServerCertificate,
} from '@juju-ssh/api-tls';
import { AccessPolicy } from '@juju-ssh/authz';
import { generateEd25519HostKey, type HostKey, VirtualHostKeys } from '@juju-ssh/host-keys';
import { SqliteStore } from '@juju-ssh/state';
import { onTestFinished } from 'vitest';
import { ApiServer } from '../api-server.js';
import { ApiAccess } from '../auth/api-access.js';

/** A test CA and the server certificate it issued. */
export interface TestTls {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
}

let sharedTls: Promise<TestTls> | undefined;

/** A CA and a server certificate for 127.0.0.1, ::1 and localhost, made once per file. */
export function testTls(): Promise<TestTls> {
  sharedTls ??= (async () => {
    const ca = await createCertificateAuthority({ commonName: 'juju-ssh test CA' });
    const server = await issueServerCertificate(ca, ['127.0.0.1', '::1', 'localhost'], {
      commonName: 'juju-ssh test API',
    });
    return { ca, server };
  })();
  return sharedTls;
}

/** A model UUID used throughout the tests. */
export const PROD_UUID = '8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a';

/** What a test gets: the server, its store, and ways to call it. */
export interface ApiFixture {
  readonly server: ApiServer;
  readonly store: SqliteStore;
  readonly access: ApiAccess;
  readonly jumpHostKey: HostKey;
  readonly virtualHostKeys: VirtualHostKeys;
  readonly dir: string;
  /** Adds a user and returns a credential for them. */
  user(name: string, options?: { superuser?: boolean }): Promise<string>;
  /** Calls a route with a credential (or none), and a JSON body. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { credential?: string; body?: unknown },
  ): Promise<{ status: number; body: unknown }>;
}

/** A fresh API, closed when the current test finishes. */
export async function startApiFixture(): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'juju-ssh-http-api-'));
  const store = SqliteStore.open(join(dir, 'store.db'));
  const access = new ApiAccess(store);
  const jumpHostKey = generateEd25519HostKey();
  const virtualHostKeys = new VirtualHostKeys(VirtualHostKeys.generateSecret());
  const server = new ApiServer({
    tls: (await testTls()).server,
    services: {
      store,
      policy: new AccessPolicy(store),
      access,
      controllerId: 'ctl-test',
      jumpHostKey,
      virtualHostKey: (identity) => virtualHostKeys.forIdentity(identity),
      sshPort: () => 17022,
      systemKeyLine: (file) => `restrict,command="edit ${file ?? '~/.ssh/authorized_keys'}" key`,
    },
  });
  onTestFinished(async () => {
    await server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    server,
    store,
    access,
    jumpHostKey,
    virtualHostKeys,
    dir,
    async user(name, options = {}) {
      store.addUser(name, options);
      return access.issueCredential(name, 'test');
    },
    async call(method, url, options = {}) {
      const headers: Record<string, string> = {};
      if (options.credential !== undefined) {
        headers.authorization = `Bearer ${options.credential}`;
      }
      const response = await server.app.inject({
        method,
        url,
        headers,
        ...(options.body === undefined ? {} : { payload: options.body as object }),
      });
      const text = response.body;
      return {
        status: response.statusCode,
        body: text.length === 0 ? undefined : JSON.parse(text),
      };
    },
  };
}

/** A model `prod` with machines 0 and 1 and units postgresql/0, /1 and ubuntu/0. */
export function addProdModel(store: SqliteStore, hostKey: string): void {
  store.addModel('prod', PROD_UUID);
  store.addMachine({ modelUuid: PROD_UUID, id: '0', address: '10.0.0.1', port: 22, hostKey });
  store.addMachine({ modelUuid: PROD_UUID, id: '1', address: '10.0.0.2', port: 2222, hostKey });
  store.addUnit({ modelUuid: PROD_UUID, application: 'postgresql', number: 0, machineId: '0' });
  store.addUnit({ modelUuid: PROD_UUID, application: 'postgresql', number: 1, machineId: '1' });
  store.addUnit({ modelUuid: PROD_UUID, application: 'ubuntu', number: 0, machineId: '0' });
}
