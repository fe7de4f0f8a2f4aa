/**
 * Test payloads that are the same on every run: an AES-128-CTR keystream from a seed, written
 * to a file in chunks (nothing large is held in memory), and SHA-256 digests of files.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';

const CHUNK = 1024 * 1024;

/** Writes `bytes` of seeded data to `path` and resolves with their SHA-256 (hex). */
export async function writeSeededFile(path: string, bytes: number, seed: string): Promise<string> {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const zeros = Buffer.alloc(CHUNK);
  for (let written = 0; written < bytes; written += CHUNK) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(CHUNK, bytes - written)));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

/** The SHA-256 (hex) of the file at `path`. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
