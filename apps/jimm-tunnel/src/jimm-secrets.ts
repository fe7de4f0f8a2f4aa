/**
 * JIMM's two secrets: its jump host key, presented to users, and the Ed25519 key it signs relay
 * tokens with. Made at bootstrap, read from 0600 files after.
 */
import {
  generateEd25519HostKey,
  type HostKey,
  loadHostKeyFile,
  readSecretFile,
  writeSecretFile,
} from '@juju-ssh/host-keys';
import { generateSigningKey, type SigningKey, signingKeyFromJwk } from '@juju-ssh/relay-token';
import type { JimmPaths } from './data-dir.js';

/** Makes both secrets and writes them (the secrets directory must exist). */
export async function createJimmSecrets(
  paths: JimmPaths,
  jimmId: string,
): Promise<{ jumpHostKey: HostKey; signingKey: SigningKey }> {
  const jumpHostKey = generateEd25519HostKey(`juju-ssh jimm jump host key ${jimmId}`);
  const { key, jwkText } = await generateSigningKey();
  writeSecretFile(paths.jumpHostKey, jumpHostKey.privateKey);
  writeSecretFile(paths.signingKey, jwkText);
  return { jumpHostKey, signingKey: key };
}

/** Reads the jump host key. @throws JujuSshError naming the file. */
export function loadJimmJumpHostKey(paths: JimmPaths): HostKey {
  return loadHostKeyFile(paths.jumpHostKey);
}

/** Reads the relay token signing key. @throws JujuSshError naming the file. */
export function loadSigningKey(paths: JimmPaths): Promise<SigningKey> {
  return signingKeyFromJwk(readSecretFile(paths.signingKey).toString('utf8'), paths.signingKey);
}
