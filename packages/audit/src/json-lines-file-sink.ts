/**
 * The append-only audit file: one JSON object per line, in a file only its owner can read.
 * Each batch is synced to disk before its write resolves, so a flushed trail is durable.
 */

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';
import type { AuditEvent } from './audit-event.js';
import type { AuditSink } from './audit-sink.js';

/** The only mode an audit file may have: read and write for its owner. */
const FILE_MODE = 0o600;

/**
 * Appends one JSON object per line to a file created with mode 0600; fsyncs on flush/close.
 * The file is opened on the first write; a file that exists with a looser mode is tightened
 * to 0600, and anything but a regular file is refused.
 */
export class JsonLinesFileSink implements AuditSink {
  /** Names the sink after its file, as drop counts and error reports show it. */
  readonly name: string;
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(path: string) {
    this.#path = path;
    this.name = `file:${path}`;
  }

  /** Appends the batch as JSON lines and syncs the file; batches land in call order. */
  write(events: readonly AuditEvent[]): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed) {
        throw new JujuSshError('store', `audit file ${this.#describe()} is already closed`);
      }

      const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
      const handle = await this.#openOnce();
      try {
        await handle.appendFile(text, 'utf8');
        await handle.sync();
      } catch (error) {
        throw new JujuSshError(
          'store',
          `cannot append to audit file ${this.#describe()}: ${describeError(error)}`,
          { cause: error },
        );
      }
    });
  }

  /** Syncs and closes the file after any write in progress; later writes reject. */
  close(): Promise<void> {
    return this.#serially(async () => {
      if (this.#closed) return;
      this.#closed = true;

      const opening = this.#handle;
      this.#handle = undefined;
      if (opening === undefined) return;

      // An open that failed was already reported by the write that started it.
      const handle = await opening.catch(() => undefined);
      if (handle === undefined) return;
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  #serially(step: () => Promise<void>): Promise<void> {
    const result = this.#tail.then(step);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Opens the file on first use; after a failed open the next write tries again. */
  #openOnce(): Promise<FileHandle> {
    if (this.#handle === undefined) {
      const opening = this.#open();
      this.#handle = opening;
      opening.catch(() => {
        if (this.#handle === opening) this.#handle = undefined;
      });
    }
    return this.#handle;
  }

  async #open(): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(this.#path, 'a', FILE_MODE);
    } catch (error) {
      throw new JujuSshError(
        'store',
        `cannot open audit file ${this.#describe()}: ${describeError(error)}`,
        { cause: error },
      );
    }

    try {
      await tighten(handle, this.#describe());
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  #describe(): string {
    return quoteUntrusted(this.#path, 256);
  }
}

/** Refuses anything but a regular file and takes group and other access away from it. */
async function tighten(handle: FileHandle, described: string): Promise<void> {
  const stats = await handle.stat();
  if (!stats.isFile()) {
    throw new JujuSshError(
      'store',
      `audit file ${described} is not a regular file; point the audit file at a plain file`,
    );
  }

  if ((stats.mode & 0o777) !== FILE_MODE) await handle.chmod(FILE_MODE);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
