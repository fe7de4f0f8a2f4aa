import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@juju-ssh/test-support';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cliSshConfig, userSshConfig } from './ssh-config-text.js';

const base = {
  jump: { alias: 'juju-ssh-jump.ctl-a', hostName: '127.0.0.1', port: 17022, user: 'alice' },
  knownHostsFile: '/home/alice/Library/Application Support/juju-ssh/known_hosts.ctl-a',
};

/** What `ssh -G` makes of `config` for `host`: OpenSSH's own reading. */
async function resolved(config: string, host: string): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'juju-ssh-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, config);
  const result = await runCommand('ssh', ['-G', '-F', file, host]);
  expect(result.code).toBe(0);
  const entries = result.stdout
    .toString()
    .trim()
    .split('\n')
    .map((line) => {
      const at = line.indexOf(' ');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return new Map(entries);
}

describe('the ssh_config the CLI writes', () => {
  it('sends *.juju.local through the jump host with strict checking of its own file', async () => {
    const host = '0.postgresql.8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a.juju.local';
    const target = await resolved(cliSshConfig(base, 'ctl-a'), host);
    expect(target.get('proxyjump')).toBe('juju-ssh-jump.ctl-a');
    expect(target.get('user')).toBe('ubuntu');
    expect(target.get('stricthostkeychecking')).toBe('true');
    expect(target.get('userknownhostsfile')).toBe(base.knownHostsFile);

    const jump = await resolved(cliSshConfig(base, 'ctl-a'), 'juju-ssh-jump.ctl-a');
    expect(jump.get('hostname')).toBe('127.0.0.1');
    expect(jump.get('port')).toBe('17022');
    expect(jump.get('user')).toBe('alice');
  });

  it('gives each target an alias with its target name and the identity to offer', async () => {
    const text = userSshConfig(
      { ...base, identityFiles: ['/keys/alice'] },
      [{ alias: 'postgresql-0.prod', hostName: '0.postgresql.x.juju.local' }],
      'title',
    );
    const alias = await resolved(text, 'postgresql-0.prod');
    expect(alias.get('hostname')).toBe('0.postgresql.x.juju.local');
    expect(alias.get('proxyjump')).toBe('juju-ssh-jump.ctl-a');
    expect(alias.get('identityfile')).toBe('/keys/alice');
    expect(alias.get('identitiesonly')).toBe('yes');
  });
});
