import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isJujuSshError, parsePublicKeyLine } from '@juju-ssh/core';
import { SqliteStore } from '@juju-ssh/state';
import { typeCheck } from '@juju-ssh/test-support';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { AccessDirectory } from './access-directory.js';
import { AccessPolicy } from './access-policy.js';

// The policy against the real embedded store: what the jump server runs.

let dir: string;
let path: string;
let store: SqliteStore;
let admin: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'juju-ssh-authz-'));
  path = join(dir, 'store.db');
  store = SqliteStore.open(path);
  // A second connection to the same file, as an admin command in another process would have.
  admin = SqliteStore.open(path);
});

afterEach(() => {
  store.close();
  admin.close();
  rmSync(dir, { recursive: true, force: true });
});

function sshKeygen(comment: string): string {
  const file = join(dir, comment);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8');
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (isJujuSshError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'allowed';
}

function seed() {
  admin.addUser('alice');
  const model = admin.addModel('prod');
  admin.addMachine({
    modelUuid: model.uuid,
    id: '0',
    address: '127.0.0.1',
    port: 22,
    hostKey: sshKeygen('host'),
  });
  admin.addUnit({ modelUuid: model.uuid, application: 'postgresql', number: 1, machineId: '0' });
  return model;
}

describe('AccessPolicy on the SqliteStore', () => {
  it('takes a SqliteStore as its directory', () => {
    const directory: AccessDirectory = store;

    expectTypeOf(store).toExtend<AccessDirectory>();
    expect(new AccessPolicy(directory)).toBeInstanceOf(AccessPolicy);
  });

  it('type-checks, including this file, which assigns a SqliteStore to an AccessDirectory', () => {
    expect(typeCheck(join(import.meta.dirname, '..'))).toEqual({ status: 0, output: '' });
  });

  it('logs in a user with a key registered by the store, and no one else', async () => {
    seed();
    const line = sshKeygen('alice');
    admin.addUserKey('alice', line);
    admin.addUser('bob');
    const policy = new AccessPolicy(store);
    const blob = parsePublicKeyLine(line).blob;

    const decision = await policy.authenticateKey('alice', blob);

    expect(decision.allowed && decision.key.comment).toBe('alice');
    expect((await policy.authenticateKey('bob', blob)).allowed).toBe(false);
    admin.disableUser('alice');
    expect(await policy.authenticateKey('alice', blob)).toEqual({
      allowed: false,
      reason: 'user alice is disabled',
    });
  });

  it('follows grants, revocations and disabling made through another connection', async () => {
    const model = seed();
    const policy = new AccessPolicy(store);
    const unit = {
      kind: 'unit',
      modelUuid: model.uuid,
      application: 'postgresql',
      unitNumber: 1,
    } as const;
    const denied =
      `access-denied: you do not have admin access to model ${model.uuid}; ` +
      'ask a controller superuser to grant it';

    expect(await codeOf(policy.resolveTarget('alice', unit))).toBe(denied);

    admin.grant('alice', model.uuid, 'admin');
    const resolved = await policy.resolveTarget('alice', unit);
    expect(resolved.machine.address).toBe('127.0.0.1');
    expect(resolved.unit?.machineId).toBe('0');

    admin.disableUser('alice');
    expect(await codeOf(policy.resolveTarget('alice', unit))).toMatch(/^access-denied: .*disabled/);

    admin.enableUser('alice');
    admin.revoke('alice', model.uuid, 'admin');
    expect(await codeOf(policy.resolveTarget('alice', unit))).toBe(denied);
  });

  it('refuses a missing model exactly as it refuses a model without a grant', async () => {
    const model = seed();
    const policy = new AccessPolicy(store);
    const missing = '11111111-2222-4333-8444-555555555555';

    const existing = await codeOf(
      policy.resolveTarget('alice', { kind: 'machine', modelUuid: model.uuid, machineId: '0' }),
    );
    const absent = await codeOf(
      policy.resolveTarget('alice', { kind: 'machine', modelUuid: missing, machineId: '0' }),
    );

    expect(absent).toBe(existing.replace(model.uuid, missing));
    expect(existing).toMatch(/^access-denied: /);
  });

  it('names what a model lacks once the user has access', async () => {
    const model = seed();
    admin.addUser('root', { superuser: true });
    const policy = new AccessPolicy(store);

    expect(
      await codeOf(
        policy.resolveTarget('root', { kind: 'machine', modelUuid: model.uuid, machineId: '3' }),
      ),
    ).toBe(`not-found: model prod (${model.uuid}) has no machine 3`);
    expect(
      await codeOf(
        policy.resolveTarget('root', {
          kind: 'unit',
          modelUuid: model.uuid,
          application: 'postgresql',
          unitNumber: 3,
        }),
      ),
    ).toBe('not-found: model prod has no unit postgresql/3');
  });
});
