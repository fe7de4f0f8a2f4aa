/**
 * Temporary directories for tests, usable by the login user so that sshd (which reads keys as
 * that user) and commands run as that user can read, create and rename files inside them.
 */
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loginUserIds, runningAsRoot } from './login-user.js';

/** A temporary directory and the way to remove it. */
export interface TempDir {
  readonly path: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh temp dir (under os.tmpdir()) that the login user can read and write (chown/chmod it
 * when root); removed by the returned cleanup.
 */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  if (runningAsRoot()) {
    const { uid, gid } = await loginUserIds();
    await chown(path, uid, gid);
    await chmod(path, 0o755);
  }
  return {
    path,
    // Servers stopped just before may still be finishing writes inside (an sshd session's last
    // log line); rm then meets ENOTEMPTY and, with retries, tries again once they are done.
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }),
  };
}
