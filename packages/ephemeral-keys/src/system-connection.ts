/**
 * One SSH connection to a machine as a login user, authenticated with the controller's system
 * identity key and pinned to the machine's recorded host key. It carries many short exec
 * channels, a few at a time, and closes itself after a quiet spell.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { JujuSshError } from '@juju-ssh/core';
import ssh2, { type ClientChannel } from 'ssh2';
import { hostKeyCheck, type MachineEndpoint } from './host-key-check.js';

/** What a forced-command run left behind. */
export interface ExecResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Settings shared by every system connection of a controller. */
export interface SystemConnectionSettings {
  readonly systemKey: string;
  readonly connectTimeoutMs: number;
  readonly idleCloseMs: number;
  /** Exec channels open at once on one connection; more wait their turn. */
  readonly maxChannels: number;
}

/** The connection went away under a request; the request may be sent again on a new one. */
export class SystemConnectionLost extends JujuSshError {
  constructor(message: string) {
    super('upstream-failed', message);
  }
}

// sshd frees a finished session only after it has read every packet that arrived with the close,
// so a channel opened right after another closed can meet MaxSessions: wait a little and retry.
const CHANNEL_ATTEMPTS = 6;
const CHANNEL_RETRY_MS = 20;

/** The machine refused one channel on a connection that is still up. */
class ChannelRefused extends JujuSshError {
  constructor(message: string) {
    super('upstream-failed', message);
  }
}

/** An SSH connection that runs the forced command, one exec channel per request. */
export class SystemConnection {
  private readonly client = new ssh2.Client();
  private readonly ready: Promise<void>;
  private closed = false;
  private pending = 0;
  private open = 0;
  private readonly queue: Array<() => void> = [];
  private idleTimer: NodeJS.Timeout | undefined;

  /** @param onClosed called once when the connection has ended, for whatever reason */
  constructor(
    private readonly machine: MachineEndpoint,
    private readonly loginUser: string,
    private readonly settings: SystemConnectionSettings,
    private readonly onClosed: () => void,
  ) {
    this.client.on('close', () => this.markClosed());
    this.ready = this.connect();
    // A failed connect is reported to every caller of exec(); nothing else waits on it.
    this.ready.catch(() => {});
  }

  /** True once the connection has ended; a new one is needed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs the forced command with `command` as $SSH_ORIGINAL_COMMAND and `input` as stdin. */
  async exec(command: string, input?: string): Promise<ExecResult> {
    this.pending += 1;
    clearTimeout(this.idleTimer);
    try {
      await this.ready;
      await this.takeChannelSlot();
      try {
        return await this.runChannelWithRetries(command, input);
      } finally {
        this.releaseChannelSlot();
      }
    } finally {
      this.pending -= 1;
      if (this.pending === 0 && !this.closed) this.armIdleTimer();
    }
  }

  /** Ends the connection. */
  close(): void {
    this.markClosed();
    this.client.end();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    this.onClosed();
  }

  private where(): string {
    const { description, address, port } = this.machine;
    return `${description} (${address}:${port}) as ${this.loginUser}`;
  }

  private connect(): Promise<void> {
    const check = hostKeyCheck(this.machine);
    const { connectTimeoutMs } = this.settings;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        this.client.end();
        // ssh2 never reports 'close' when it had not started, so the pool learns it here.
        this.markClosed();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(this.unreachable(`no SSH session within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      const socket: Socket = connectTcp({ host: this.machine.address, port: this.machine.port });
      socket.once('error', (err) => fail(this.unreachable(err.message)));
      socket.once('connect', () => {
        socket.setNoDelay(true);
        this.client.connect({
          sock: socket,
          username: this.loginUser,
          privateKey: this.settings.systemKey,
          hostVerifier: (blob: Buffer): boolean => check.verify(blob),
          algorithms: { serverHostKey: check.algorithms },
          readyTimeout: connectTimeoutMs + 1000,
          keepaliveInterval: 5000,
          keepaliveCountMax: 3,
        });
      });
      this.client.once('ready', () => {
        settled = true;
        clearTimeout(timer);
        resolve();
      });
      this.client.on('error', (err: Error & { level?: string }) => {
        const mismatch = check.mismatch();
        if (mismatch) fail(mismatch);
        else if (err.level === 'client-authentication') fail(this.systemKeyRefused());
        else fail(this.unreachable(err.message));
      });
      this.client.once('close', () => fail(this.unreachable('the connection closed')));
    });
  }

  private takeChannelSlot(): Promise<void> {
    if (this.open < this.settings.maxChannels) {
      this.open += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private releaseChannelSlot(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.open -= 1;
  }

  private armIdleTimer(): void {
    this.idleTimer = setTimeout(() => this.close(), this.settings.idleCloseMs);
    this.idleTimer.unref();
  }

  private async runChannelWithRetries(command: string, input?: string): Promise<ExecResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.runChannel(command, input);
      } catch (err) {
        if (!(err instanceof ChannelRefused)) throw err;
        if (this.closed) throw this.lost(err.message);
        if (attempt >= CHANNEL_ATTEMPTS) throw err;
        await sleep(CHANNEL_RETRY_MS * attempt);
      }
    }
  }

  private runChannel(command: string, input: string | undefined): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const onChannel = (err: Error | undefined, channel: ClientChannel) => {
        if (err) {
          const refused = `${this.where()} refused a channel: ${err.message}`;
          reject(this.closed ? this.lost(err.message) : new ChannelRefused(refused));
          return;
        }
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let exit: { code: number | null; signal: string | null } | undefined;
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (code: number | null, signal?: string) => {
          exit = { code: code ?? null, signal: signal ?? null };
        });
        channel.on('close', () => {
          if (exit === undefined) {
            reject(this.lost('the channel closed before the command finished'));
            return;
          }
          resolve({
            ...exit,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          });
        });
        channel.end(input);
      };
      try {
        this.client.exec(command, onChannel);
      } catch (err) {
        reject(this.lost(err instanceof Error ? err.message : String(err)));
      }
    });
  }

  private unreachable(reason: string): JujuSshError {
    return new JujuSshError('upstream-failed', `could not reach ${this.where()}: ${reason}`);
  }

  private systemKeyRefused(): JujuSshError {
    return new JujuSshError(
      'upstream-failed',
      `${this.where()} refused the controller's system identity key; add the system key ` +
        "line to that user's authorized_keys on the machine",
    );
  }

  private lost(reason: string): SystemConnectionLost {
    return new SystemConnectionLost(`lost the connection to ${this.where()}: ${reason}`);
  }
}
