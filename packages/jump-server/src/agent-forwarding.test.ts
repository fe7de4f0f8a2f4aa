import { generateUserKey } from '@juju-ssh/test-support';
import type { ExecOptions } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type TestAgent } from './testing/agent.js';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { connectNested, execCollect } from './testing/nested-client.js';

describe('agent forwarding through the jump server', () => {
  let f: JumpFixture;
  let agent: TestAgent;
  let otherKeyLine: string;
  beforeAll(async () => {
    f = await startJumpFixture();
    agent = await startAgent(f.dir);
    const other = await generateUserKey(f.dir, 'agent-only');
    await agent.add(f.alice.privateKeyPath);
    await agent.add(other.privateKeyPath);
    otherKeyLine = other.publicLine;
  });
  afterAll(async () => {
    await agent?.process.stop();
    await f?.close();
  });

  const withAgent = (forward: boolean) => [
    '-o',
    `IdentityAgent=${agent.socket}`,
    ...(forward ? ['-A'] : []),
  ];
  const keyData = (line: string) => line.split(' ').slice(0, 2).join(' ');

  it("lists the user's keys on the machine with ssh -A", async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['ssh-add -L'], { extraArgs: withAgent(true) });
    expect({ code: result.code, stderr: result.stderr.toString() }).toEqual({
      code: 0,
      stderr: '',
    });
    const listed = result.stdout.toString();
    expect(listed).toContain(keyData(f.alice.publicLine));
    expect(listed).toContain(keyData(otherKeyLine));
  });

  it("signs on the machine with a key that only the user's agent holds", async () => {
    const command =
      `umask 077; printf '%s\\n' '${keyData(otherKeyLine)}' > "$HOME/agent-test.pub"; ` +
      `echo data | ssh-keygen -Y sign -n juju-test -f "$HOME/agent-test.pub"; ` +
      `status=$?; rm -f "$HOME/agent-test.pub"; exit $status`;
    const result = await f.ssh(`0.${f.modelUuid}`, [command], { extraArgs: withAgent(true) });
    expect(result.stdout.toString()).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    expect(result.code).toBe(0);
  });

  it('offers no agent on the machine when the user did not ask for one', async () => {
    const result = await f.ssh(`0.${f.modelUuid}`, ['ssh-add -L'], {
      extraArgs: withAgent(false),
    });
    expect(result.code).toBe(2);
    expect(result.stdout.toString()).toBe('');
  });

  it('forwards the agent of an ssh2 client too', async () => {
    const client = await connectNested(f, { agent: agent.socket });
    try {
      // ssh2 sends auth-agent-req@openssh.com for this option; its typings omit it.
      const options: ExecOptions & { agentForward: boolean } = { agentForward: true };
      const outcome = await execCollect(client.inner, 'ssh-add -L', options);
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toContain(keyData(otherKeyLine));
    } finally {
      client.close();
    }
  });
});
