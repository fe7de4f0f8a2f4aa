import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519HostKey } from './ed25519-host-key.js';
import { type HostKey, loadHostKeyFile } from './host-key.js';
import { knownHostsHost, knownHostsLine } from './known-hosts.js';
import { VirtualHostKeys } from './virtual-host-keys.js';

const scratch = mkdtempSync(join(tmpdir(), 'known-hosts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('knownHostsHost', () => {
  it('writes the bare host for port 22', () => {
    expect(knownHostsHost('controller.example', 22)).toBe('controller.example');
  });

  it('writes [host]:port for any other port', () => {
    expect(knownHostsHost('10.0.0.1', 17022)).toBe('[10.0.0.1]:17022');
    expect(knownHostsHost('::1', 17022)).toBe('[::1]:17022');
  });

  it.each([
    ['an empty host', '', 22],
    ['a host with a space', 'a b', 22],
    ['a host with a comma', 'a,b', 22],
    ['a host pattern', '*.example', 22],
    ['port 0', 'host', 0],
    ['port 65536', 'host', 65536],
    ['a fractional port', 'host', 22.5],
  ])('refuses %s', (_, host, port) => {
    expect(() => knownHostsHost(host, port)).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});

describe('knownHostsLine', () => {
  const key = generateEd25519HostKey();

  it('joins the hosts with commas before the key', () => {
    expect(knownHostsLine(['[a]:17022', '[10.0.0.1]:17022'], key.publicLine)).toBe(
      `[a]:17022,[10.0.0.1]:17022 ${key.publicLine}`,
    );
  });

  it('refuses an empty host list', () => {
    expect(() => knownHostsLine([], key.publicLine)).toThrow(/at least one host/);
  });

  it('refuses a host that would break the line', () => {
    expect(() => knownHostsLine(['a b'], key.publicLine)).toThrow(/as a host/);
  });

  it('refuses a line that is not a public key', () => {
    expect(() => knownHostsLine(['a'], 'ssh-ed25519 not-base64!')).toThrow(
      expect.objectContaining({ code: 'invalid-key' }),
    );
  });
});

let counter = 0;

function operatorKey(type: string): HostKey {
  counter += 1;
  const path = join(scratch, `operator-${counter}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  return loadHostKeyFile(path);
}

describe.each([
  [
    'a virtual host key',
    () => new VirtualHostKeys(VirtualHostKeys.generateSecret()).forIdentity('m'),
  ],
  ['an operator-supplied ECDSA key', () => operatorKey('ecdsa')],
  ['an operator-supplied RSA key', () => operatorKey('rsa')],
])('a known_hosts line for %s, checked by OpenSSH against an ssh2 server', (_, makeKey) => {
  let hostKey: HostKey;
  let server: ssh2.Server;
  let port = 0;

  beforeAll(async () => {
    hostKey = makeKey();
    server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
      client.on('error', () => client.end());
      client.on('authentication', (ctx) => ctx.accept());
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const channel = acceptExec();
          channel.exit(0);
          channel.end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function sshWithKnownHost(key: HostKey): Promise<{ code: number; stderr: string }> {
    counter += 1;
    const knownHosts = join(scratch, `known_hosts.${counter}`);
    const line = knownHostsLine([knownHostsHost('127.0.0.1', port)], key.publicLine);
    writeFileSync(knownHosts, `${line}\n`);
    const args = [
      ...['-F', '/dev/null', '-p', String(port), '-o', 'BatchMode=yes'],
      ...['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`],
      ...['-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=10'],
      ...['-o', `HostKeyAlgorithms=${hostKeyAlgorithms(hostKey.publicLine)}`],
      ...['test@127.0.0.1', 'true'],
    ];
    return new Promise((resolve) => {
      execFile('ssh', args, { timeout: 30_000 }, (err, _stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stderr });
      });
    });
  }

  it('lets ssh connect when the line holds the key the server presents', async () => {
    const result = await sshWithKnownHost(hostKey);
    expect(result).toEqual({ code: 0, stderr: '' });
  });

  it('makes ssh refuse when the line holds another key of the same type', async () => {
    const other = hostKey.publicLine.startsWith('ssh-ed25519')
      ? generateEd25519HostKey()
      : operatorKey(hostKey.publicLine.startsWith('ssh-rsa') ? 'rsa' : 'ecdsa');
    const result = await sshWithKnownHost(other);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
  });
});

/** Pins ssh to the server's key type, so the check is against that key and no other. */
function hostKeyAlgorithms(publicLine: string): string {
  const type = publicLine.split(' ')[0] ?? '';
  return type === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256' : type;
}
