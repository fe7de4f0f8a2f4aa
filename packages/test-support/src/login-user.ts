/**
 * The OS account that tests log in as on a test sshd, and its numeric ids, so that files the
 * tests create can be handed to it when the tests run as root.
 */
import { userInfo } from 'node:os';
import { runChecked } from './run-command.js';

/** The account the global setup creates when tests run as root. */
export const ROOT_LOGIN_USER = 'jujutest';

/** True when this process runs as root. */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The OS account tests log in as on the machine's sshd: `jujutest` when running as root
 * (created by the global setup), else the current user.
 */
export function loginUser(): string {
  return runningAsRoot() ? ROOT_LOGIN_USER : userInfo().username;
}

/** Numeric user and group ids of an account. */
export interface AccountIds {
  readonly uid: number;
  readonly gid: number;
}

let cached: Promise<AccountIds> | undefined;

/** The uid and gid of {@link loginUser}, looked up once. */
export function loginUserIds(): Promise<AccountIds> {
  cached ??= lookUpIds(loginUser());
  return cached;
}

async function lookUpIds(name: string): Promise<AccountIds> {
  const uid = await runChecked('id', ['-u', name]);
  const gid = await runChecked('id', ['-g', name]);
  return {
    uid: Number(uid.stdout.toString('utf8').trim()),
    gid: Number(gid.stdout.toString('utf8').trim()),
  };
}
