export { generateEd25519HostKey } from './ed25519-host-key.js';
export { type HostKey, hostKeyFromPrivateKey, loadHostKeyFile } from './host-key.js';
export { knownHostsHost, knownHostsLine } from './known-hosts.js';
export { readSecretFile, writeSecretFile } from './secret-files.js';
export {
  machineHostKeyIdentity,
  unitHostKeyIdentity,
  VIRTUAL_HOST_KEY_VERSION,
  VirtualHostKeys,
} from './virtual-host-keys.js';
