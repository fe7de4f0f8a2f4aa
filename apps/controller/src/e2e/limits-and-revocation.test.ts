import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerWithMachine,
  startControllerWithMachine,
} from '../testing/controller-machine.js';

/**
 * The limits and the revocation watch as an operator sets them: flags of `run`, seen by the
 * stock OpenSSH client, with grants changed by admin commands from another process.
 */
describe('session limits and revocation settings of run', () => {
  let c: ControllerWithMachine;
  beforeAll(async () => {
    c = await startControllerWithMachine({
      runArgs: ['--max-sessions-per-user', '1', '--revocation-check-interval', '1'],
    });
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it('refuses a second session of a user limited to one, saying why', async () => {
    const first = c.ssh(`0.${c.modelUuid}`, 'sleep 6; echo first');
    await expect.poll(() => c.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);
    const second = await c.ssh(`0.${c.modelUuid}`, 'echo second');
    expect(second.code).toBe(255);
    expect(second.stderr.toString()).toMatch(/you already have 1 session open/);
    expect((await first).stdout.toString()).toBe('first\n');
    expect(c.controller.lines.some((l) => l.limit === 'max-sessions-per-user')).toBe(true);
  }, 120_000);

  it('ends a running session soon after an admin revokes the grant', async () => {
    await expect.poll(() => c.ephemeralLines(), { timeout: 20_000 }).toEqual([]);
    const running = c.ssh(`0.${c.modelUuid}`, 'sleep 60; echo not-reached', 90_000);
    await expect.poll(() => c.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);
    await c.home.ok('revoke', 'alice', 'admin', 'prod');
    const result = await running;
    expect(result.code).toBe(255);
    expect(result.stderr.toString()).toMatch(/juju-ssh: access revoked: you do not have admin/);
    await c.home.ok('grant', 'alice', 'admin', 'prod');
  }, 120_000);

  it('leaves running sessions alone with --end-sessions-on-revoke false', async () => {
    await c.controller.stop('SIGTERM');
    await c.start(['--end-sessions-on-revoke', 'false', '--revocation-check-interval', '1']);
    const running = c.ssh(`0.${c.modelUuid}`, 'sleep 25; echo kept', 90_000);
    let settled = false;
    void running.then(() => {
      settled = true;
    });
    await expect.poll(() => c.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);
    await c.home.ok('revoke', 'alice', 'admin', 'prod');
    // Several check intervals pass with the grant gone and the session still running.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(settled).toBe(false);
    const result = await running;
    expect(result.stdout.toString()).toBe('kept\n');
    expect(result.code).toBe(0);
  }, 120_000);
});
