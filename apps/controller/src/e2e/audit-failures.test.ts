import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ControllerWithMachine,
  startControllerWithMachine,
} from '../testing/controller-machine.js';

/**
 * An audit file that cannot be written must be reported in the controller's log, with the
 * sink and the events it lost, and must not stop sessions. Here /dev/full stands in its
 * place, which the file sink refuses to write to, as it is not a regular file.
 */
describe('an audit sink that fails', () => {
  let c: ControllerWithMachine;
  beforeAll(async () => {
    c = await startControllerWithMachine();
  }, 120_000);
  afterAll(async () => {
    await c?.close();
  });

  it('is reported in the log with what it lost, and sessions go on', async () => {
    const auditFile = join(c.home.dataDir, 'audit.jsonl');
    await rm(auditFile);
    await symlink('/dev/full', auditFile);

    const result = await c.ssh(`0.${c.modelUuid}`, 'echo served');
    expect(result.stdout.toString()).toBe('served\n');
    expect(result.code).toBe(0);

    const sink = `file:${auditFile}`;
    await expect
      .poll(() => c.controller.lines.find((l) => l.msg === 'audit sink failed'), {
        timeout: 20_000,
      })
      .toMatchObject({ level: 50, sink, err: { message: expect.stringContaining(auditFile) } });
    await expect
      .poll(() =>
        c.controller.lines
          .filter((l) => l.msg === 'audit events dropped' && l.sink === sink)
          .reduce((sum, l) => sum + Number(l.dropped), 0),
      )
      .toBeGreaterThan(0);
    // The log sink is another sink: it kept every event the file lost.
    expect(
      c.controller.lines.some((l) => l.component === 'audit' && l.msg === 'session-started'),
    ).toBe(true);
  }, 120_000);
});
