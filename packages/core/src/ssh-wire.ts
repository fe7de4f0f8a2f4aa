/**
 * The SSH wire encoding (RFC 4251 section 5): length-prefixed strings, as used inside public key
 * blobs and the openssh-key-v1 private key format.
 */
import { JujuSshError } from './errors.js';

/** Encodes `parts` as consecutive SSH strings (uint32 length, then the bytes). */
export function encodeStrings(...parts: ReadonlyArray<Uint8Array | string>): Buffer {
  const buffers = parts.map((part) =>
    typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part),
  );
  const out = Buffer.allocUnsafe(buffers.reduce((sum, b) => sum + 4 + b.length, 0));
  let offset = 0;
  for (const buffer of buffers) {
    offset = out.writeUInt32BE(buffer.length, offset);
    offset += buffer.copy(out, offset);
  }
  return out;
}

/** Reads SSH strings one after another from a buffer, refusing lengths that run past its end. */
export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  /** The next string's bytes. */
  readBytes(): Buffer {
    if (this.offset + 4 > this.buffer.length) this.fail();
    const length = this.buffer.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (length > this.buffer.length - start) this.fail();
    this.offset = start + length;
    return this.buffer.subarray(start, this.offset);
  }

  /** The next string, decoded as UTF-8. */
  readString(): string {
    return this.readBytes().toString('utf8');
  }

  /** True once every byte has been read. */
  get done(): boolean {
    return this.offset === this.buffer.length;
  }

  private fail(): never {
    throw new JujuSshError('invalid-key', 'key data is truncated or has a bad length field');
  }
}
