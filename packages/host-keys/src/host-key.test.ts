import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEd25519PrivateKey, JujuSshError, parsePublicKeyLine } from '@juju-ssh/core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519HostKey } from './ed25519-host-key.js';
import { hostKeyFromPrivateKey, loadHostKeyFile } from './host-key.js';

const scratch = mkdtempSync(join(tmpdir(), 'host-key-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;

/** A key file made by the real ssh-keygen; returns its path and its public line. */
function sshKeygen(...args: string[]): { path: string; publicLine: string } {
  counter += 1;
  const path = join(scratch, `key${counter}`);
  execFileSync('ssh-keygen', ['-q', '-C', 'operator@example', ...args, '-f', path]);
  const [type, data] = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
  return { path, publicLine: `${type} ${data}` };
}

function fingerprintBySshKeygen(path: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path], { encoding: 'utf8' });
  return out.split(' ')[1] ?? '';
}

function refusal(action: () => unknown): JujuSshError {
  try {
    action();
  } catch (err) {
    if (err instanceof JujuSshError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('loadHostKeyFile', () => {
  it.each([
    ['ed25519', ['-t', 'ed25519']],
    ['ECDSA P-256', ['-t', 'ecdsa', '-b', '256']],
    ['ECDSA P-384', ['-t', 'ecdsa', '-b', '384']],
    ['ECDSA P-521', ['-t', 'ecdsa', '-b', '521']],
    ['RSA', ['-t', 'rsa', '-b', '2048']],
    ['RSA in PEM form', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']],
  ])('loads an operator-supplied key made by ssh-keygen: %s', (_, args) => {
    const made = sshKeygen(...args, '-N', '');
    const key = loadHostKeyFile(made.path);
    expect(key.publicLine).toBe(made.publicLine);
    expect(key.fingerprint).toBe(fingerprintBySshKeygen(made.path));
    expect(key.privateKey).toBe(readFileSync(made.path, 'utf8'));
  });

  it('refuses a passphrase-protected OpenSSH key and says how to remove the passphrase', () => {
    const made = sshKeygen('-t', 'ed25519', '-N', 'correct horse');
    const err = refusal(() => loadHostKeyFile(made.path));
    expect(err.code).toBe('invalid-key');
    expect(err.message).toContain(`host key ${made.path} is protected by a passphrase`);
    expect(err.message).toContain(`ssh-keygen -p -N '' -f ${made.path}`);
  });

  it('refuses a passphrase-protected PEM key', () => {
    const made = sshKeygen('-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'correct horse');
    expect(readFileSync(made.path, 'utf8')).toContain('ENCRYPTED');
    const err = refusal(() => loadHostKeyFile(made.path));
    expect(err.code).toBe('invalid-key');
    expect(err.message).toContain('protected by a passphrase');
  });

  it('refuses a key file that its group or others can read, before looking at the key', () => {
    const made = sshKeygen('-t', 'ed25519', '-N', '');
    chmodSync(made.path, 0o644);
    const err = refusal(() => loadHostKeyFile(made.path));
    expect(err.code).toBe('config');
    expect(err.message).toContain(`chmod 600 ${made.path}`);
  });

  it('refuses a missing file, naming it', () => {
    const path = join(scratch, 'absent');
    const err = refusal(() => loadHostKeyFile(path));
    expect(err.code).toBe('config');
    expect(err.message).toContain(path);
  });
});

describe('hostKeyFromPrivateKey', () => {
  it('refuses a DSA key, naming the type and the source', () => {
    const made = sshKeygen('-t', 'dsa', '-N', '');
    const err = refusal(() => hostKeyFromPrivateKey(readFileSync(made.path, 'utf8'), 'dsa.key'));
    expect(err.code).toBe('invalid-key');
    expect(err.message).toMatch(/^host key dsa\.key is a ssh-dss key/);
  });

  it('refuses a public key given in place of the private one', () => {
    const made = sshKeygen('-t', 'ed25519', '-N', '');
    const err = refusal(() => hostKeyFromPrivateKey(made.publicLine, 'id.pub'));
    expect(err.message).toBe(
      'host key id.pub holds a public key; supply the private key file instead',
    );
  });

  it('refuses a PKCS8 key, which ssh2 cannot read, and says how to rewrite it', () => {
    const made = sshKeygen('-t', 'ecdsa', '-m', 'PKCS8', '-N', '');
    const text = readFileSync(made.path, 'utf8');
    expect(text).toContain('BEGIN PRIVATE KEY');
    const err = refusal(() => hostKeyFromPrivateKey(text, 'pkcs8.key'));
    expect(err.code).toBe('invalid-key');
    expect(err.message).toContain('pkcs8.key is not a private key ssh2 can read');
    expect(err.message).toContain('ssh-keygen -p -f pkcs8.key');
  });

  it.each([
    ['empty text', ''],
    ['garbage', 'not a key at all'],
    ['a truncated key', generateEd25519HostKey().privateKey.slice(0, 120)],
  ])('refuses %s', (_, text) => {
    const err = refusal(() => hostKeyFromPrivateKey(text, 'input'));
    expect(err.code).toBe('invalid-key');
    expect(err.message).toMatch(/^host key input /);
  });

  it('refuses a key whose public part does not belong to its private part', () => {
    const otherPublic = parsePublicKeyLine(generateEd25519HostKey().publicLine).blob.subarray(19);
    const text = encodeEd25519PrivateKey(randomBytes(32), otherPublic);
    const err = refusal(() => hostKeyFromPrivateKey(text, 'spliced'));
    expect(err.message).toContain('spliced cannot sign');
  });

  it('keeps the supplied text as the private key', () => {
    const made = sshKeygen('-t', 'ecdsa', '-N', '');
    const text = readFileSync(made.path, 'utf8');
    expect(hostKeyFromPrivateKey(text, 'x').privateKey).toBe(text);
  });
});

describe('generateEd25519HostKey', () => {
  it('makes a different key each time', () => {
    expect(generateEd25519HostKey().publicLine).not.toBe(generateEd25519HostKey().publicLine);
  });

  it('makes a key that ssh-keygen reads, with the comment in the private file only', () => {
    const key = generateEd25519HostKey('jump host');
    expect(key.publicLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
    const path = join(scratch, 'generated');
    writeFileSync(path, key.privateKey, { mode: 0o600 });
    const printed = execFileSync('ssh-keygen', ['-y', '-f', path], { encoding: 'utf8' }).trim();
    expect(printed).toBe(`${key.publicLine} jump host`);
    expect(fingerprintBySshKeygen(path)).toBe(key.fingerprint);
  });

  it('makes a key that loads back as the same host key', () => {
    const key = generateEd25519HostKey();
    expect(hostKeyFromPrivateKey(key.privateKey, 'generated')).toEqual(key);
  });
});
