import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ControllerWithMachine,
  startControllerWithMachine,
} from '../testing/controller-machine.js';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * SIGTERM as a service manager sends it: the controller stops taking connections, lets the
 * sessions it runs finish until the shutdown grace ends, removes their keys, records their end
 * in the audit file, and exits 0.
 */
describe('graceful shutdown on SIGTERM', () => {
  let c: ControllerWithMachine | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('stops accepting, lets a running session finish, removes its key, then exits 0', async () => {
    c = await startControllerWithMachine({ runArgs: ['--shutdown-grace', '60'] });
    const target = `0.${c.modelUuid}`;
    const running = c.ssh(target, 'sleep 6; echo finished');
    await expect.poll(() => c?.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);

    const exited = c.controller.stop('SIGTERM');
    await expect.poll(() => refusesConnections(c?.controller.port ?? 0)).toBe(true);

    const result = await running;
    expect(result.stdout.toString()).toBe('finished\n');
    expect(result.code).toBe(0);
    expect(await exited).toBe(0);
    expect(await c.ephemeralLines()).toEqual([]);

    const messages = c.controller.lines.map((line) => line.msg);
    expect(messages.indexOf('shutting down')).toBeLessThan(messages.indexOf('session ended'));
    expect(messages.at(-1)).toBe('stopped');
    expect(messages).not.toContain('audit events dropped');
    const audit = await c.auditText();
    expect(audit).toMatch(/"event":"session-ended"[^\n]*"exitStatus":0/);
  });

  it('ends sessions still running at the deadline, removes their keys, and exits 0', async () => {
    c = await startControllerWithMachine({ runArgs: ['--shutdown-grace', '2'] });
    const target = `0.${c.modelUuid}`;
    const started = Date.now();
    const running = c.ssh(target, 'sleep 60; echo not-reached');
    await expect.poll(() => c?.ephemeralLines(), { timeout: 20_000 }).toHaveLength(1);

    expect(await c.controller.stop('SIGTERM')).toBe(0);
    const result = await running;
    expect(result.stdout.toString()).toBe('');
    expect(result.code).toBe(255);
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(await c.ephemeralLines()).toEqual([]);
    expect(await c.auditText()).toMatch(/"event":"session-ended"/);
    const messages = c.controller.lines.map((line) => line.msg);
    expect(messages.indexOf('session ended')).toBeGreaterThan(messages.indexOf('shutting down'));
    expect(messages.at(-1)).toBe('stopped');
    expect(messages).not.toContain('audit events dropped');
    expect(messages.filter((m) => String(m).startsWith('could not remove'))).toEqual([]);
  });

  it('does not wait out the grace for connections that hold no session', async () => {
    c = await startControllerWithMachine({ runArgs: ['--shutdown-grace', '600'] });
    const idle = spawn(
      'ssh',
      ['-N', '-F', c.sshConfig, '-p', String(c.controller.port), 'alice@127.0.0.1'],
      { stdio: 'ignore' },
    );
    const idleExit = new Promise((resolve) => idle.once('exit', resolve));
    await expect
      .poll(() => c?.controller.lines.some((line) => line.msg === 'user authenticated'), {
        timeout: 20_000,
      })
      .toBe(true);
    const started = Date.now();
    expect(await c.controller.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await idleExit).toBe(255);
  });
});
