import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

/** Logs in as the relay user with a password or a key; resolves with the failure, if any. */
function loginAsRelayUser(port: number, auth: { password?: string; privateKey?: Buffer }) {
  return new Promise<string>((resolve) => {
    const client = new ssh2.Client();
    client.once('ready', () => {
      client.end();
      resolve('logged in');
    });
    client.once('error', (error) => resolve(error.message));
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'external-auth',
      tryKeyboard: false,
      hostVerifier: () => true,
      ...auth,
    });
  });
}

describe('the relay user on a controller that trusts no JIMM', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    f = await startJumpFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('refuses every password, saying in the audit that no JIMM is trusted', async () => {
    expect(await loginAsRelayUser(f.port, { password: 'a.b.c' })).toMatch(/methods failed/);
    const refusals = (await f.auditRecords()).filter((r) => r.event === 'auth-failed');
    expect(refusals.at(-1)).toMatchObject({
      user: 'external-auth',
      method: 'password',
      reason: 'this controller accepts no relayed logins (no JIMM)',
    });
  });

  it('refuses a key for the relay user, even one registered to a real user', async () => {
    const privateKey = await readFile(f.alice.privateKeyPath);
    expect(await loginAsRelayUser(f.port, { privateKey })).toMatch(/methods failed/);
    const refusals = (await f.auditRecords()).filter((r) => r.event === 'auth-failed');
    expect(refusals.at(-1)?.reason).toBe('external-auth logs in only with a JIMM relay token');
  });
});
