/**
 * The host key shape shared by the jump host key and the virtual host keys, and the loading of
 * an operator-supplied private key: parsed with ssh2, checked that it can sign, never encrypted.
 */
import { fingerprint, JujuSshError, WireReader } from '@juju-ssh/core';
import ssh2 from 'ssh2';
import { readSecretFile } from './secret-files.js';

/** A host key usable by an ssh2 Server (hostKeys) and shown to users. */
export interface HostKey {
  /** OpenSSH private key file text (openssh-key-v1 or PEM as supplied). */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA…`, without a comment. */
  readonly publicLine: string;
  /** `SHA256:…` fingerprint of the public key. */
  readonly fingerprint: string;
}

/** Host key types the jump server can present; ssh2 serves each of them. */
const HOST_KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
];

const OPENSSH_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const OPENSSH_END = '-----END OPENSSH PRIVATE KEY-----';
const PEM_BEGIN = /^-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const SELF_TEST_DATA = Buffer.from('juju-ssh host key self-test');

/**
 * Reads an unencrypted ed25519, ECDSA or RSA private key in OpenSSH or PEM form.
 * @param text the private key file's text
 * @param source where the text came from (a file path), named in every refusal
 * @throws JujuSshError `invalid-key` when the key is encrypted, of another type, or unreadable.
 */
export function hostKeyFromPrivateKey(text: string, source: string): HostKey {
  const trimmed = text.trim();
  if (isEncrypted(trimmed)) {
    throw invalid(
      source,
      'is protected by a passphrase, which the controller cannot ask for; supply an ' +
        `unencrypted key or remove the passphrase with: ssh-keygen -p -N '' -f ${source}`,
    );
  }

  const parsed = ssh2.utils.parseKey(trimmed);
  if (parsed instanceof Error || parsed === undefined) {
    const reason = parsed instanceof Error ? parsed.message : 'the file holds no key';
    throw invalid(
      source,
      `is not a private key ssh2 can read (${reason}); supply an OpenSSH private key file, ` +
        `or rewrite it in that format with: ssh-keygen -p -f ${source}`,
    );
  }
  if (!parsed.isPrivateKey()) {
    throw invalid(source, 'holds a public key; supply the private key file instead');
  }
  if (!PEM_BEGIN.test(trimmed)) {
    throw invalid(
      source,
      'is not in OpenSSH or PEM format; convert it with ssh-keygen or puttygen',
    );
  }
  if (!HOST_KEY_TYPES.includes(parsed.type)) {
    throw invalid(
      source,
      `is a ${parsed.type} key; a host key must be ssh-ed25519, ecdsa-sha2-nistp256/384/521 ` +
        'or ssh-rsa',
    );
  }

  // A file whose public half does not belong to its private half would fail every handshake
  // later with an obscure error; finding out now names the file.
  const signature = parsed.sign(SELF_TEST_DATA);
  const verified = signature instanceof Error ? false : parsed.verify(SELF_TEST_DATA, signature);
  if (verified !== true) {
    throw invalid(source, 'cannot sign: its public and private parts do not belong together');
  }

  const blob = parsed.getPublicSSH();
  return {
    privateKey: text,
    publicLine: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: fingerprint(blob),
  };
}

/**
 * Reads a host key from a private key file that only its owner may read.
 * @throws JujuSshError `config` for file problems, `invalid-key` for key problems.
 */
export function loadHostKeyFile(path: string): HostKey {
  return hostKeyFromPrivateKey(readSecretFile(path).toString('utf8'), path);
}

/** True for PEM files with an encryption header and openssh-key-v1 files with a cipher. */
function isEncrypted(text: string): boolean {
  if (/^-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) return true;
  if (PEM_BEGIN.test(text) && /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(text)) return true;
  if (!text.startsWith(OPENSSH_BEGIN) || !text.endsWith(OPENSSH_END)) return false;

  const body = Buffer.from(text.slice(OPENSSH_BEGIN.length, -OPENSSH_END.length), 'base64');
  const magic = 'openssh-key-v1\0';
  if (body.subarray(0, magic.length).toString('latin1') !== magic) return false;
  try {
    return new WireReader(body.subarray(magic.length)).readString() !== 'none';
  } catch {
    // A truncated file is not encrypted; parsing reports what is wrong with it.
    return false;
  }
}

function invalid(source: string, reason: string): JujuSshError {
  return new JujuSshError('invalid-key', `host key ${source} ${reason}`);
}
