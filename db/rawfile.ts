/**
 * The original file bytes: SHA-256 (the identity used for duplicates and provenance) and gzip
 * compression. Compression runs on libuv's thread pool, 8 MiB chunks (in parallel on spare cores), pigz-style: each
 * chunk is raw deflate ending in a sync flush (the last one final), concatenated under one gzip
 * header with the CRC-32 and size of the whole file. The result is an ordinary single-member gzip
 * file (fflate's gunzip, zlib, `gzip -d` all restore the exact bytes), and compressing overlaps
 * parsing instead of blocking the thread that writes the library.
 */
import { createHash, webcrypto } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw, gunzipSync } from 'node:zlib';
import { ElyteError } from '../app/errors';

const deflateRawAsync = promisify(deflateRaw);

/** Chunks of this size are compressed in parallel. */
export const COMPRESS_CHUNK_BYTES = 8 * 1024 * 1024;

/** gzip member header: magic, deflate, no flags, no mtime, no extra flags, OS unknown (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

export type Compression = 'gzip' | 'none';

export interface StoredFile {
  compression: Compression;
  content: Buffer;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same hash computed on the thread pool (Web Crypto), so it can overlap parsing. */
export async function sha256HexAsync(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

/**
 * Level 1: text exports shrink 3–5× at ~200 MB/s per core; higher levels cost seconds for a few %.
 * Compression that does not pay (already-compressed containers) stores the bytes as they are.
 */
export async function compressFile(bytes: Uint8Array): Promise<StoredFile> {
  const chunks: { chunk: Uint8Array; last: boolean }[] = [];
  let start = 0;
  do {
    const chunk = bytes.subarray(start, start + COMPRESS_CHUNK_BYTES);
    start += COMPRESS_CHUNK_BYTES;
    chunks.push({ chunk, last: start >= bytes.length });
  } while (start < bytes.length);
  const parts: Buffer[] = new Array(chunks.length);
  let next = 0;
  // One job per core: more only time-slice with the parsing thread (measured on 2 cores: 1 lane
  // leaves compression the bottleneck, 4 lanes slow the parse).
  const lanes = Math.max(1, Math.min(chunks.length, availableParallelism()));
  const lane = async () => {
    while (next < chunks.length) {
      const index = next++;
      const { chunk, last } = chunks[index]!;
      // An output buffer larger than deflate's worst case makes each chunk ONE thread-pool job; with
      // the default 16 KiB buffer every 16 KiB needs the (busy, parsing) main thread to continue.
      const chunkSize = chunk.length + (chunk.length >> 8) + 1024;
      const finishFlush = last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
      parts[index] = await deflateRawAsync(chunk, { level: 1, chunkSize, finishFlush });
    }
  };
  const running = Array.from({ length: lanes }, lane);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(bytes) >>> 0, 0);
  trailer.writeUInt32LE(bytes.length % 2 ** 32, 4);
  await Promise.all(running);
  const content = Buffer.concat([GZIP_HEADER, ...parts, trailer]);
  if (content.length >= bytes.length) {
    return { compression: 'none', content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
  return { compression: 'gzip', content };
}

/** The original bytes back, checked against their SHA-256 so a damaged blob is never handed out. */
export function restoreFile(stored: StoredFile, expectedSha256: string, fileName: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = stored.compression === 'gzip' ? gunzipSync(stored.content) : stored.content;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ElyteError('database', `the stored copy cannot be decompressed (${message})`, {
      file: fileName,
    });
  }
  const actual = sha256Hex(bytes);
  if (actual !== expectedSha256) {
    throw new ElyteError(
      'database',
      `the stored copy does not match its SHA-256 (${actual.slice(0, 12)}… ≠ ${expectedSha256.slice(0, 12)}…)`,
      { file: fileName },
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
