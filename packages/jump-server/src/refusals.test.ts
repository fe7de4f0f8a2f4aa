import { readFile } from 'node:fs/promises';
import { generateUserKey } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { tryTarget } from './testing/ssh2-probe.js';

const SECOND = 1000;

describe('refusals', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  async function expectLoginRefused(user: string, reasonInAudit: RegExp) {
    const started = Date.now();
    const result = await f.ssh(`0.${f.modelUuid}`, ['true'], { user });
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toContain('Permission denied (publickey)');
    expect(Date.now() - started).toBeLessThan(3 * SECOND);
    const failures = (await f.auditRecords()).filter(
      (r) => r.event === 'auth-failed' && r.user === user,
    );
    expect(failures.map((r) => String(r.reason)).join('\n')).toMatch(reasonInAudit);
  }

  it('refuses an unknown user at login and records why', async () => {
    await expectLoginRefused('mallory', /no user|unknown user/i);
  });

  it('refuses a key that is not registered to the user', async () => {
    const bob = await generateUserKey(f.dir, 'bob-key');
    f.store.addUser('bob');
    f.store.addUserKey('bob', bob.publicLine);
    // alice's key is offered for bob
    await expectLoginRefused('bob', /not registered|no such key|key/i);
  });

  it('refuses a disabled user at login', async () => {
    f.store.addUser('carol');
    const carol = await generateUserKey(f.dir, 'carol-key');
    f.store.addUserKey('carol', carol.publicLine);
    f.store.disableUser('carol');
    const result = await f.ssh(`0.${f.modelUuid}`, ['true'], {
      user: 'carol',
      config: await f.configFor(carol.privateKeyPath),
    });
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toContain('Permission denied');
    const failures = (await f.auditRecords()).filter(
      (r) => r.event === 'auth-failed' && r.user === 'carol',
    );
    expect(failures.map((r) => String(r.reason))).toContain('user carol is disabled');
  });

  it('says the same words for a model without a grant and a model that does not exist', async () => {
    const other = f.store.addModel('other');
    const noGrant = await f.ssh(`0.${other.uuid}`, ['true']);
    const missing = await f.ssh('0.8f0c1e2a-0000-4000-8000-00000000e21a', ['true']);
    expect(noGrant.code).toBe(255);
    expect(missing.code).toBe(255);
    const reason = (text: string) => text.replace(/[0-9a-f-]{36}/g, 'UUID');
    expect(reason(noGrant.stderr.toString())).toBe(reason(missing.stderr.toString()));
    expect(noGrant.stderr.toString()).toMatch(/admin access to model/);
  });

  it('stops a user whose grant was revoked from reaching the model', async () => {
    const model = f.store.addModel('revoked');
    f.store.grant('alice', model.uuid, 'admin');
    f.store.addMachine({
      modelUuid: model.uuid,
      id: '0',
      address: '127.0.0.1',
      port: f.sshd.port,
      hostKey: f.sshd.hostKeyLine,
    });
    f.store.revoke('alice', model.uuid, 'admin');
    const result = await f.ssh(`0.${model.uuid}`, ['true']);
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(/admin access to model/);
  });

  it('names an unknown machine or unit in a model the user administers', async () => {
    const machine = await f.ssh(`7.${f.modelUuid}`, ['true']);
    expect(machine.code).toBe(255);
    expect(machine.stderr.toString()).toMatch(/has no machine 7/);
    const unit = await f.ssh(`3.postgresql.${f.modelUuid}`, ['true']);
    expect(unit.code).toBe(255);
    expect(unit.stderr.toString()).toMatch(/has no unit postgresql\/3/);
  });

  it('lets a superuser in without a grant', async () => {
    const model = f.store.addModel('ops');
    f.store.addMachine({
      modelUuid: model.uuid,
      id: '0',
      address: '127.0.0.1',
      port: f.sshd.port,
      hostKey: f.sshd.hostKeyLine,
    });
    f.store.addUser('root-admin', { superuser: true });
    const key = await generateUserKey(f.dir, 'root-admin-key');
    f.store.addUserKey('root-admin', key.publicLine);
    await f.trustTarget(`0.${model.uuid}`, model.uuid, '0');
    const result = await f.ssh(`0.${model.uuid}`, ['echo in'], {
      user: 'root-admin',
      config: await f.configFor(key.privateKeyPath),
    });
    expect(result.stderr.toString()).toBe('');
    expect(result.stdout.toString()).toBe('in\n');
  });

  it('refuses a machine whose real host key differs from the recorded one, naming update-machine', async () => {
    const model = f.store.addModel('reimaged');
    f.store.grant('alice', model.uuid, 'admin');
    f.store.addMachine({
      modelUuid: model.uuid,
      id: '0',
      address: '127.0.0.1',
      port: f.sshd.port,
      hostKey: f.alice.publicLine,
    });
    await f.trustTarget(`0.${model.uuid}`, model.uuid, '0');
    const result = await f.ssh(`0.${model.uuid}`, ['true']);
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(
      /presented host key SHA256:\S+, but SHA256:\S+ is recorded/,
    );
    expect(result.stderr.toString()).toMatch(/update-machine/);
    expect(await f.ephemeralLines()).toEqual([]);
  });

  it('refuses password and keyboard-interactive logins', async () => {
    for (const method of ['password', 'keyboard-interactive']) {
      const result = await f.ssh(`0.${f.modelUuid}`, ['true'], {
        extraArgs: ['-o', `PreferredAuthentications=${method}`],
      });
      expect(result.code).toBe(255);
      expect(result.stderr.toString()).toContain('Permission denied');
    }
    const log = await readFile(f.auditFile, 'utf8');
    expect(log).not.toContain('"event":"auth-succeeded","user":""');
  });
});

const UUID = '8f0c1e2a-1b2c-4d3e-8f40-5a6b7c8de21a';
const MALFORMED = [
  '',
  'x'.repeat(300),
  `0.postgresql.${UUID.toUpperCase()}`,
  '[::1]:22',
  `0..${UUID}`,
  `.0.${UUID}`,
  `0.${UUID}.`,
  `0.pg--sql.${UUID}`,
  `0.9lives.${UUID}`,
  `01.postgresql.${UUID}`,
  `-1.${UUID}`,
  `0-lxc-1.${UUID}`,
  `a.b.c.d.${UUID}`,
  `0.postgres ql.${UUID}`,
  `0.pöstgresql.${UUID}`,
  `0.postgresql.not-a-uuid`,
  `0.postgresql.${UUID.slice(0, 35)}`,
  'localhost',
  `charm_x.0.postgresql.${UUID}`,
  '127.0.0.1',
];

describe('malformed target names sent by an ssh2 client', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it.each(MALFORMED)('refuses %j at once with a reason', async (name) => {
    const started = Date.now();
    const outcome = await tryTarget({
      port: f.port,
      user: 'alice',
      privateKeyPath: f.alice.privateKeyPath,
      target: name,
    });
    expect(outcome.refused).toBe(true);
    expect(outcome.reason).toMatch(
      /target name|model UUID|application name|unit number|machine id|container name|labels/,
    );
    expect(Date.now() - started).toBeLessThan(3 * SECOND);
  });

  it('keeps serving a good session after all those refusals on one connection', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['echo still-here']);
    expect(result.stdout.toString()).toBe('still-here\n');
  });
});
