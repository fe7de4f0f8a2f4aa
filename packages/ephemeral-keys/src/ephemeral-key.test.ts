import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeStrings } from '@juju-ssh/core';
import { makeTempDir, runCommand } from '@juju-ssh/test-support';
import { describe, expect, it } from 'vitest';
import { createEphemeralKey } from './ephemeral-key.js';
import { ephemeralKeyLine, formatExpiryTime } from './ephemeral-key-line.js';
import { ephemeralKeyComment } from './identifiers.js';

describe('createEphemeralKey', () => {
  it('makes a private key that ssh-keygen reads back to the same public key', async () => {
    const dir = await makeTempDir('ephemeral-key');
    try {
      const key = createEphemeralKey();
      const file = join(dir.path, 'key');
      await writeFile(file, key.privateKey, { mode: 0o600 });

      const derived = await runCommand('ssh-keygen', ['-y', '-f', file]);
      expect(derived.stderr.toString()).toBe('');
      expect(derived.stdout.toString().trim()).toBe(key.publicLine);

      const listed = await runCommand('ssh-keygen', ['-l', '-f', file]);
      expect(listed.stdout.toString().split(' ')[1]).toBe(key.fingerprint);
    } finally {
      await dir.cleanup();
    }
  });

  it('makes a different key pair every time', () => {
    const a = createEphemeralKey();
    const b = createEphemeralKey();
    expect(a.publicLine).not.toBe(b.publicLine);
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(a.publicLine).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
  });
});

describe('ephemeral key lines', () => {
  it('names controller and session in the comment', () => {
    expect(ephemeralKeyComment('ctl-1', 'Sess-42')).toBe('juju-ssh-ephemeral:ctl-1:Sess-42');
  });

  it('refuses controller and session ids that could break the line', () => {
    expect(() => ephemeralKeyComment('Ctl', 's')).toThrow(/controller id "Ctl"/);
    expect(() => ephemeralKeyComment('c:d', 's')).toThrow(/controller id/);
    expect(() => ephemeralKeyComment('c', 'a b')).toThrow(/session id "a b"/);
    expect(() => ephemeralKeyComment('c', '')).toThrow(/session id/);
    expect(() => ephemeralKeyComment('c', 'x'.repeat(65))).toThrow(/session id/);
  });

  it('writes the expiry time in UTC with a Z, to the second', () => {
    expect(formatExpiryTime(new Date('2031-02-03T04:05:06.789Z'))).toBe('20310203040506Z');
  });

  it('puts expiry-time first and the comment last', () => {
    const key = createEphemeralKey();
    const line = ephemeralKeyLine(key.publicLine, 'ctl', 's-1', new Date('2031-01-01T00:00:00Z'));
    expect(line).toBe(`expiry-time="20310101000000Z" ${key.publicLine} juju-ssh-ephemeral:ctl:s-1`);
  });

  it('refuses an ephemeral key that is not ed25519', () => {
    const blob = encodeStrings('ecdsa-sha2-nistp256', 'nistp256', Buffer.alloc(65, 4));
    const ecdsa = `ecdsa-sha2-nistp256 ${blob.toString('base64')}`;
    expect(() => ephemeralKeyLine(ecdsa, 'ctl', 's', new Date())).toThrow(
      /must be ssh-ed25519, not ecdsa-sha2-nistp256/,
    );
  });
});
