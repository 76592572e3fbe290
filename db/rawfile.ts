/**
 * The original file bytes: SHA-256 (the identity used for duplicates and provenance) and gzip
 * compression, pigz-style: 8 MiB chunks, each raw deflate ending in a sync flush (the last one final),
 * concatenated under one gzip header with the CRC-32 and size of the whole file. The result is an
 * ordinary single-member gzip file (fflate's gunzip, zlib, `gzip -d` all restore the exact bytes).
 *
 * Every chunk is deflated on libuv's thread pool; only the chunk CRCs (fast) are computed on the
 * calling thread and combined. While a file is being parsed the chunks are handed out as the parser passes them (`advance`):
 * one core compresses beside the parser instead of every pool thread competing with it. A job queued
 * on the pool needs no help from the (busy, parsing) main thread to start, unlike a chain of awaits.
 */
import { createHash } from 'node:crypto';
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

/** A file being compressed on the thread pool, chunk by chunk (see startCompression). */
export interface CompressionJob {
  /** Starts compressing every chunk before byte `position`, and the one after it. */
  advance(position: number): void;
  /** Starts whatever is left and resolves to the stored file. */
  finish(): Promise<StoredFile>;
}

interface CompressedChunk {
  deflated: Buffer;
  crc: number;
  length: number;
}

/**
 * Level 1: text exports shrink 3–5× at ~250 MB/s per core; higher levels cost seconds for a few %.
 * Compression that does not pay (already-compressed containers) stores the bytes as they are.
 * Nothing runs until `advance` or `finish` is called.
 */
export function startCompression(bytes: Uint8Array): CompressionJob {
  const chunkCount = Math.max(1, Math.ceil(bytes.length / COMPRESS_CHUNK_BYTES));
  const chunks: Promise<CompressedChunk>[] = [];
  const submit = () => {
    const start = chunks.length * COMPRESS_CHUNK_BYTES;
    const chunk = bytes.subarray(start, start + COMPRESS_CHUNK_BYTES);
    const job = compressChunk(chunk, chunks.length === chunkCount - 1);
    // A parse error may mean finish() is never awaited: such a rejection must not go unobserved.
    job.catch(() => undefined);
    chunks.push(job);
  };
  return {
    advance(position) {
      const wanted = Math.min(chunkCount, Math.floor(position / COMPRESS_CHUNK_BYTES) + 2);
      while (chunks.length < wanted) submit();
    },
    async finish() {
      while (chunks.length < chunkCount) submit();
      const done = await Promise.all(chunks);
      let crc = 0;
      for (const part of done) crc = crc32Combine(crc, part.crc, part.length);
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(crc, 0);
      trailer.writeUInt32LE(bytes.length % 2 ** 32, 4);
      const content = Buffer.concat([GZIP_HEADER, ...done.map((part) => part.deflated), trailer]);
      if (content.length >= bytes.length) {
        return {
          compression: 'none',
          content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        };
      }
      return { compression: 'gzip', content };
    },
  };
}

/** Compresses a whole file (all chunks at once, as many in parallel as the thread pool runs). */
export function compressFile(bytes: Uint8Array): Promise<StoredFile> {
  return startCompression(bytes).finish();
}

/** One thread-pool job per chunk; its CRC-32 is computed here (zlib's crc32 runs at ~5 GB/s). */
async function compressChunk(chunk: Uint8Array, last: boolean): Promise<CompressedChunk> {
  const crc = crc32(chunk) >>> 0;
  // An output buffer larger than the worst case makes each call ONE thread-pool job; with the default
  // 16 KiB buffer every 16 KiB needs the (busy, parsing) main thread to continue.
  const chunkSize = chunk.length + (chunk.length >> 8) + 1024;
  const finishFlush = last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
  const deflated = await deflateRawAsync(chunk, { level: 1, chunkSize, finishFlush });
  return { deflated, crc, length: chunk.length };
}

const CRC_POLYNOMIAL = 0xedb88320;

/** a × b modulo the CRC-32 polynomial (bit-reflected, as zlib's multmodp). */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ CRC_POLYNOMIAL : b >>> 1;
  }
  return p >>> 0;
}

/** X_POWERS[k] = x^(2^k) modulo the polynomial. */
const X_POWERS: number[] = [0x40000000];
for (let k = 1; k < 32; k++) X_POWERS.push(multiplyModP(X_POWERS[k - 1]!, X_POWERS[k - 1]!));

/**
 * CRC-32 of A followed by B from crc(A), crc(B) and B's length (zlib's crc32_combine): crc(A) is
 * shifted by 8·|B| zero bits, i.e. multiplied by x^(8·|B|).
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  let shift = 0x80000000; // x^0
  let k = 3; // bytes → bits: x^(2^3 · n)
  for (let n = lengthB; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) shift = multiplyModP(X_POWERS[k % 32]!, shift);
  }
  return (multiplyModP(shift, crcA) ^ crcB) >>> 0;
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
