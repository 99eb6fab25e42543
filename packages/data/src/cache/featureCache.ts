import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@polyfuse/core/node';

/**
 * An on-disk cache of preprocessed features. The key is a SHA-256 of the
 * preprocessor's name, config and fitted state and of the input: for files,
 * their content hash (so an edited file, or a changed preprocessing option,
 * never hits a stale entry); for inline values, the value. Entries are written
 * atomically (temporary file + rename), so an interrupted run never leaves a
 * truncated entry. A corrupt entry is treated as a miss.
 *
 * Entry format: 1 byte dtype (0 float32, 1 int32), then little-endian values.
 */
export class FeatureCache {
  readonly dir: string;
  private readonly fileHashes = new Map<string, { mtimeMs: number; size: number; hash: string }>();
  hits = 0;
  misses = 0;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** SHA-256 of a file's content, remembered per (path, mtime, size) within this process. */
  async hashFile(file: string): Promise<string> {
    const stat = await fs.stat(file);
    const known = this.fileHashes.get(file);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.hash;
    const hash = createHash('sha256').update(await fs.readFile(file)).digest('hex');
    this.fileHashes.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, hash });
    return hash;
  }

  /** The cache key of one value under one preprocessing setup. */
  static key(preprocessing: unknown, input: unknown): string {
    return createHash('sha256').update(JSON.stringify([preprocessing, input])).digest('hex');
  }

  async get(key: string): Promise<Float32Array | Int32Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.entryPath(key));
    } catch {
      this.misses++;
      return undefined;
    }
    const body = bytes.subarray(1);
    if ((bytes[0] !== 0 && bytes[0] !== 1) || body.byteLength % 4 !== 0) {
      this.misses++;
      return undefined;
    }
    const copy = new ArrayBuffer(body.byteLength);
    new Uint8Array(copy).set(body);
    this.hits++;
    return bytes[0] === 0 ? new Float32Array(copy) : new Int32Array(copy);
  }

  async set(key: string, values: Float32Array | Int32Array): Promise<void> {
    const bytes = new Uint8Array(1 + values.byteLength);
    bytes[0] = values instanceof Int32Array ? 1 : 0;
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 1);
    try {
      await writeFileAtomic(this.entryPath(key), bytes);
    } catch (error) {
      // Two samples with identical content write the same entry at once; one rename wins, which is fine.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private entryPath(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.bin`);
  }
}
