import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';

describe('idle sessions through the jump server', () => {
  let f: JumpFixture;
  beforeAll(async () => {
    // Every keepalive and timeout on both hops is cut to about a second, so a few seconds of
    // silence outlast all of them: the controller probes the user every 300 ms and the
    // machine's sshd probes the controller every second, each giving up after two misses.
    f = await startJumpFixture({
      limits: {
        keepaliveIntervalMs: 300,
        keepaliveCountMax: 2,
        loginGraceTimeMs: 1500,
        upstreamConnectTimeoutMs: 5000,
      },
      sshdConfig: ['ClientAliveInterval 1', 'ClientAliveCountMax 2'],
    });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('keeps a silent session up and prints its output at the end, without client keepalives', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['sleep 6; echo still-here'], {
      extraArgs: ['-o', 'ServerAliveInterval=0'],
      timeoutMs: 30_000,
    });
    expect(result.stderr.toString()).toBe('');
    expect(result.stdout.toString()).toBe('still-here\n');
    expect(result.code).toBe(0);
  });

  it("answers the client's keepalives, so a client that insists on them stays connected", async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['sleep 5; echo answered'], {
      extraArgs: ['-o', 'ServerAliveInterval=1', '-o', 'ServerAliveCountMax=1'],
      timeoutMs: 30_000,
    });
    expect(result.stderr.toString()).toBe('');
    expect(result.stdout.toString()).toBe('answered\n');
    expect(result.code).toBe(0);
  });
});
