/**
 * The ssh2 client library used as a user would use it through the jump server: an outer client
 * logs in to the jump host, opens a forwarded channel to the target, and an inner client runs
 * its SSH connection over that channel. Both hops verify the host key they are shown.
 */
import { readFile } from 'node:fs/promises';
import { parsePublicKeyLine, sameKey } from '@juju-ssh/core';
import { machineHostKeyIdentity } from '@juju-ssh/host-keys';
import { loginUser } from '@juju-ssh/test-support';
import type { Client, ClientChannel, ExecOptions } from 'ssh2';
import ssh2 from 'ssh2';
import type { JumpFixture } from './jump-fixture.js';

/** Both hops of a nested connection. */
export interface NestedClient {
  readonly outer: Client;
  readonly inner: Client;
  close(): void;
}

/** Connects alice through the fixture's jump server to machine 0. */
export async function connectNested(
  f: JumpFixture,
  options: { agent?: string; agentForward?: boolean } = {},
): Promise<NestedClient> {
  const privateKey = await readFile(f.alice.privateKeyPath);
  const knownHosts = await readFile(f.knownHostsFile, 'utf8');
  const jumpLine = knownHosts.split('\n')[0]?.split(' ').slice(1).join(' ') ?? '';
  const jumpKey = parsePublicKeyLine(jumpLine).blob;
  const targetKey = parsePublicKeyLine(
    f.virtualHostKeys.forIdentity(machineHostKeyIdentity(f.modelUuid, '0')).publicLine,
  ).blob;

  const outer = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    outer.once('ready', resolve).once('error', reject);
    outer.connect({
      host: '127.0.0.1',
      port: f.port,
      username: 'alice',
      privateKey,
      hostVerifier: (key: Buffer) => sameKey(key, jumpKey),
    });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    outer.forwardOut('127.0.0.1', 0, `0.${f.modelUuid}`, 22, (error, stream) =>
      error === undefined ? resolve(stream) : reject(error),
    ),
  );
  const inner = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    inner.once('ready', resolve).once('error', reject);
    inner.connect({
      sock: channel,
      username: loginUser(),
      privateKey,
      hostVerifier: (key: Buffer) => sameKey(key, targetKey),
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.agentForward === true ? { agentForward: true } : {}),
    });
  });
  return {
    outer,
    inner,
    close: () => {
      inner.end();
      outer.end();
    },
  };
}

/** How a command run with `execCollect` ended. */
export interface ExecOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: string | undefined;
}

/** Runs `command` on `client` and collects its output and how it ended. */
export function execCollect(
  client: Client,
  command: string,
  options: ExecOptions = {},
): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    client.exec(command, options, (error, stream) => {
      if (error !== undefined) {
        reject(error);
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let code: number | null = null;
      let signal: string | undefined;
      stream.on('data', (chunk: Buffer) => out.push(chunk));
      stream.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      stream.on('exit', (exitCode: number | null, exitSignal?: string) => {
        code = exitCode;
        signal = exitSignal;
      });
      stream.on('close', () =>
        resolve({
          stdout: Buffer.concat(out).toString(),
          stderr: Buffer.concat(err).toString(),
          code,
          signal,
        }),
      );
      stream.end();
    });
  });
}
