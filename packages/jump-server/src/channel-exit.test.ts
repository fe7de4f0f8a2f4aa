import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { drained } from './channel-exit.js';

/** A writable that holds each chunk until `release()` is called, like a channel out of window. */
function heldWritable() {
  const pending: Array<() => void> = [];
  const written: string[] = [];
  const stream = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      pending.push(() => {
        written.push(chunk.toString());
        callback();
      });
    },
  });
  const release = () => {
    for (const next of pending.splice(0)) next();
  };
  return { stream, written, release };
}

describe('waiting until a channel has handed on what was written to it', () => {
  it('resolves at once when nothing is waiting', async () => {
    const { stream } = heldWritable();
    await expect(drained(stream)).resolves.toBeUndefined();
  });

  it('waits for bytes below the high-water mark, which never cause a drain event', async () => {
    const { stream, written, release } = heldWritable();
    stream.write('a small tail of output');
    let settled = false;
    const waiting = drained(stream).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await waiting;
    expect(written.join('')).toBe('a small tail of output');
  });

  it('resolves when the stream closes with bytes still waiting', async () => {
    const { stream } = heldWritable();
    stream.write('never sent');
    const waiting = drained(stream);
    stream.destroy();
    await expect(waiting).resolves.toBeUndefined();
  });
});
