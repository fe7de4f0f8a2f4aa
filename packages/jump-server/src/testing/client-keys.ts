/**
 * What clients other than OpenSSH need to go through a jump fixture with pinned host keys: the
 * user's key in PuTTY's and Dropbear's formats, the SHA-256 fingerprints PuTTY pins with
 * `-hostkey`, and a HOME whose ~/.ssh/known_hosts Dropbear reads.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint, parsePublicKeyLine } from '@juju-ssh/core';
import { machineHostKeyIdentity } from '@juju-ssh/host-keys';
import { runCommand } from '@juju-ssh/test-support';
import type { JumpFixture } from './jump-fixture.js';

/** Keys and a home directory for PuTTY and Dropbear clients. */
export interface ClientKeys {
  /** A HOME for the clients: PuTTY keeps ~/.putty there, Dropbear reads ~/.ssh/known_hosts. */
  readonly home: string;
  readonly puttyKey: string;
  readonly dropbearKey: string;
  /** `SHA256:…` of the jump host key. */
  readonly jumpFingerprint: string;
  /** `SHA256:…` of machine 0's virtual host key. */
  readonly targetFingerprint: string;
}

async function convert(command: string, args: readonly string[]): Promise<void> {
  const result = await runCommand(command, args);
  if (result.code !== 0) throw new Error(`${command} failed: ${result.stderr.toString()}`);
}

/** Converts alice's key and writes known_hosts for the fixture's jump host and machine 0. */
export async function prepareClientKeys(f: JumpFixture): Promise<ClientKeys> {
  const home = join(f.dir, 'client-home');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const puttyKey = join(home, 'alice.ppk');
  const dropbearKey = join(home, 'alice.dropbear');
  await convert('puttygen', [f.alice.privateKeyPath, '-O', 'private', '-o', puttyKey]);
  await convert('dropbearconvert', ['openssh', 'dropbear', f.alice.privateKeyPath, dropbearKey]);

  const knownHosts = await readFile(f.knownHostsFile, 'utf8');
  const jumpLine = knownHosts.split('\n')[0]?.split(' ').slice(1).join(' ') ?? '';
  const targetLine = f.virtualHostKeys.forIdentity(
    machineHostKeyIdentity(f.modelUuid, '0'),
  ).publicLine;
  await writeFile(
    join(home, '.ssh', 'known_hosts'),
    `127.0.0.1 ${jumpLine}\n0.${f.modelUuid} ${targetLine}\n`,
    { mode: 0o600 },
  );
  return {
    home,
    puttyKey,
    dropbearKey,
    jumpFingerprint: fingerprint(parsePublicKeyLine(jumpLine).blob),
    targetFingerprint: fingerprint(parsePublicKeyLine(targetLine).blob),
  };
}
