/**
 * Small network parts for forwarding tests, all on loopback: a free port, an echo server (TCP or
 * Unix socket), a one-shot exchange with it, and an OpenSSH client kept running in the
 * background while a test uses the forwardings it set up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A server that answers each connection with `prefix` and then echoes what it reads. */
export interface EchoServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts an echo server on 127.0.0.1, or on the Unix socket `path` (mode 0777). */
export async function startEchoServer(prefix: string, path?: string): Promise<EchoServer> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.write(prefix);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (path === undefined) server.listen(0, '127.0.0.1', resolve);
    else server.listen(path, resolve);
  });
  if (path !== undefined) await chmod(path, 0o777);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    server,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Connects to a TCP port or Unix socket, sends `message`, half-closes, and resolves with all
 * that came back once the other side closes.
 */
export function exchange(target: number | string, message: string, timeoutMs = 10_000) {
  return new Promise<string>((resolve, reject) => {
    const socket =
      typeof target === 'number' ? connect(target, '127.0.0.1') : connect({ path: target });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of reply from ${target} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.end(message));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after connecting is how a forwarder says the far side refused: nothing came.
      if (error.code === 'ECONNRESET') return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString());
    });
  });
}

/** Polls until `probe` resolves true, or fails after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** True when something accepts connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A program running in the background, with its stderr collected as it comes. */
export interface BackgroundProcess {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit status (null after a signal) once the program ends. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `command` with stdin closed and stdout discarded. */
export function runInBackground(command: string, args: readonly string[]): BackgroundProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    stderr: () => Buffer.concat(chunks).toString(),
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
