export { loginUser } from './login-user.js';
export { type CommandResult, runCommand } from './run-command.js';
export { writeSshConfig } from './ssh-config.js';
export { type SshdHandle, startSshd } from './sshd.js';
export { makeTempDir } from './temp-dir.js';
export { type TypeCheckResult, typeCheck } from './type-check.js';
export { generateUserKey, type KeyPair } from './user-key.js';
