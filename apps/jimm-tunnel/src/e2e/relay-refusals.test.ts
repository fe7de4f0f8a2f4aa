import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePublicKeyLine } from '@juju-ssh/core';
import { generateSigningKey, RelayTokenIssuer, signingKeyFromJwk } from '@juju-ssh/relay-token';
import { generateUserKey, loginUser } from '@juju-ssh/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JimmWorld, startJimmWorld } from '../testing/jimm-world.js';
import { innerCommand, relayLogin } from '../testing/relay-client.js';

describe('refusals on the relayed path', () => {
  let w: JimmWorld;
  let issuer: RelayTokenIssuer;
  const aliceKey = () => parsePublicKeyLine(w.users.alice.publicLine).blob;

  beforeAll(async () => {
    w = await startJimmWorld();
    const jwk = await readFile(join(w.jimmDataDir, 'secrets', 'relay-signing-key.jwk'), 'utf8');
    issuer = new RelayTokenIssuer({
      signingKey: await signingKeyFromJwk(jwk, 'jimm'),
      issuer: 'jimm-test',
      lifetimeSeconds: 60,
    });
  }, 240_000);
  afterAll(async () => {
    await w?.close();
  });

  /** The first auth-failed reason the controller audited after `since` records. */
  async function auditedRefusal(side: number, since: number): Promise<string> {
    const file = join(w.controllers[side]?.dataDir ?? '', 'audit.jsonl');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const records = (await readFile(file, 'utf8'))
        .split('\n')
        .filter((line) => line.length > 0)
        .slice(since)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const refusal = records.find((r) => r.event === 'auth-failed');
      if (refusal !== undefined) return String(refusal.reason);
      if (Date.now() > deadline) throw new Error('no refusal was audited');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function auditLength(side: number): Promise<number> {
    const file = join(w.controllers[side]?.dataDir ?? '', 'audit.jsonl');
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0).length;
  }

  const mint = (controllerId: string, modelUuid: string, with_ = issuer) =>
    with_.mint({ controllerId, user: 'alice', modelUuid, publicKey: aliceKey() });

  it('refuses a user without a grant at JIMM, and one granted only another model', async () => {
    const carol = await w.ssh(w.controllers[0].target, ['true'], {
      user: 'carol',
      config: await w.configFor(w.users.carol.privateKeyPath),
    });
    expect(carol.code).toBe(255);
    expect(carol.stderr.toString()).toContain(
      `you do not have admin access to model ${w.controllers[0].modelUuid}`,
    );
    const bob = await w.ssh(w.controllers[1].target, ['true'], {
      user: 'bob',
      config: await w.configFor(w.users.bob.privateKeyPath),
    });
    expect(bob.code).toBe(255);
    expect(bob.stderr.toString()).toContain(
      `you do not have admin access to model ${w.controllers[1].modelUuid}`,
    );
  });

  it("passes the controller's own refusal of a target on to the user", async () => {
    const side = w.controllers[0];
    const result = await w.ssh(`5.postgresql.${side.modelUuid}`, ['true'], {
      extraArgs: ['-o', 'StrictHostKeyChecking=no'],
    });
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toContain(`model prod-ctl-a has no unit postgresql/5`);
  });

  it('refuses a model JIMM does not know, in the words it uses for a missing grant', async () => {
    const unknown = randomUUID();
    const result = await w.ssh(`0.${unknown}`, ['true'], {
      extraArgs: ['-o', 'StrictHostKeyChecking=no'],
    });
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toContain(`you do not have admin access to model ${unknown}`);
  });

  it('accepts a valid token from the controller side, but only once', async () => {
    const side = w.controllers[0];
    const { token } = await mint(side.id, side.modelUuid);
    const client = await relayLogin(side.daemon.port, token);
    if (typeof client === 'string') throw new Error(client);
    const ran = await innerCommand(
      client,
      side.target,
      loginUser(),
      w.users.alice.privateKeyPath,
      'echo inner-ok',
    );
    client.end();
    expect(ran).toEqual({ ok: true, stdout: 'inner-ok\n' });

    const since = await auditLength(0);
    expect(await relayLogin(side.daemon.port, token)).toMatch(/authentication methods failed/);
    expect(await auditedRefusal(0, since)).toMatch(
      /relay token refused: token \w+ was already used/,
    );
  });

  it('refuses an expired, a wrong-audience and a badly signed token, saying which', async () => {
    const side = w.controllers[0];
    const expired = new RelayTokenIssuer({
      signingKey: await signingKeyFromJwk(
        await readFile(join(w.jimmDataDir, 'secrets', 'relay-signing-key.jwk'), 'utf8'),
        'jimm',
      ),
      issuer: 'jimm-test',
      lifetimeSeconds: 60,
      now: () => new Date(Date.now() - 10 * 60_000),
    });
    const stranger = new RelayTokenIssuer({
      signingKey: (await generateSigningKey()).key,
      issuer: 'jimm-test',
      lifetimeSeconds: 60,
    });
    const cases = [
      [await mint(side.id, side.modelUuid, expired), 'relay token refused: it has expired'],
      [await mint('ctl-b', side.modelUuid), 'it is meant for controller "ctl-b", not ctl-a'],
      [await mint(side.id, side.modelUuid, stranger), 'not in the trusted JIMM key set'],
    ] as const;
    for (const [minted, reason] of cases) {
      const since = await auditLength(0);
      expect(await relayLogin(side.daemon.port, minted.token)).toMatch(
        /authentication methods failed/,
      );
      expect(await auditedRefusal(0, since)).toContain(reason);
    }
  });

  it("refuses an inner-hop key other than the token's", async () => {
    const side = w.controllers[0];
    const client = await relayLogin(side.daemon.port, (await mint(side.id, side.modelUuid)).token);
    if (typeof client === 'string') throw new Error(client);
    const since = await auditLength(0);
    const ran = await innerCommand(
      client,
      side.target,
      loginUser(),
      w.users.bob.privateKeyPath,
      'true',
    );
    client.end();
    expect(ran.ok).toBe(false);
    expect(await auditedRefusal(0, since)).toMatch(/is not the key JIMM's token names/);
  });

  it("refuses a controller whose jump host key is not the registry's", async () => {
    const impostor = w.controllers[0];
    const uuid = randomUUID();
    await w.jimmOk(
      'add-controller',
      'ctl-impostor',
      '--address',
      `127.0.0.1:${impostor.daemon.port}`,
      '--jump-host-key',
      w.controllers[1].jumpHostKey,
    );
    await w.jimmOk('add-model', 'impostor', '--controller', 'ctl-impostor', '--uuid', uuid);
    await w.jimmOk('grant', 'alice', 'admin', uuid);
    const result = await w.ssh(`0.${uuid}`, ['true'], {
      extraArgs: ['-o', 'StrictHostKeyChecking=no'],
    });
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(
      /controller ctl-impostor at 127\.0\.0\.1:\d+ presented jump host key SHA256:\S+, but JIMM's registry expects SHA256:/,
    );
  });

  it('names a controller that is down, promptly, while sessions to the other go on', async () => {
    const [up, down] = w.controllers;
    const long = w.ssh(up.target, ['sleep 4; echo still-here']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await down.daemon.stop();

    const startedAt = Date.now();
    const refused = await w.ssh(down.target, ['true']);
    // JIMM waits up to 60 s for a controller that does not answer; a refused connection is
    // reported at once, well inside that.
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(refused.code).toBe(255);
    expect(refused.stderr.toString()).toMatch(
      /controller ctl-b at 127\.0\.0\.1:\d+ is unreachable/,
    );

    const survived = await long;
    expect(survived.stdout.toString()).toBe('still-here\n');
    expect(survived.code).toBe(0);
    const again = await w.ssh(up.target, ['echo fine'], {});
    expect(again.stdout.toString()).toBe('fine\n');
  });

  it('names in the token whichever registered key the user logged in to JIMM with', async () => {
    const extra = await generateUserKey(w.dir, 'alice-second');
    await w.jimmOk('add-ssh-key', 'alice', extra.publicLine);
    const config = await w.configFor(extra.privateKeyPath);
    const result = await w.ssh(w.controllers[0].target, ['echo second-key'], { config });
    expect(result.stdout.toString()).toBe('second-key\n');
  });
});
