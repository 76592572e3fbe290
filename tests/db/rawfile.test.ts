import { createHash } from 'node:crypto';
import { gunzipSync as fflateGunzip } from 'fflate';
import { describe, expect, it } from 'vitest';
import { COMPRESS_CHUNK_BYTES, compressFile, restoreFile, sha256Hex } from '../../db/rawfile';
import { random } from './generate';

describe('stored raw files', () => {
  it('are one standard gzip member that fflate restores byte-identical, also across parallel chunks', async () => {
    const rand = random(3);
    const text = Array.from({ length: 1_200_000 }, (_, i) => `${i}\t${rand().toFixed(6)}\n`).join('');
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(2 * COMPRESS_CHUNK_BYTES);
    const stored = await compressFile(bytes);
    expect(stored.compression).toBe('gzip');
    expect(stored.content.length).toBeLessThan(bytes.length / 2);
    const viaFflate = fflateGunzip(stored.content);
    expect(viaFflate.length).toBe(bytes.length);
    const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(hash(viaFflate)).toBe(hash(bytes));
    expect(hash(restoreFile(stored, sha256Hex(bytes), 'x.txt'))).toBe(hash(bytes));
  });

  it('keeps incompressible and empty files as they are', async () => {
    const rand = random(5);
    const noise = Uint8Array.from({ length: 100_000 }, () => Math.floor(rand() * 256));
    expect((await compressFile(noise)).compression).toBe('none');
    const empty = await compressFile(new Uint8Array(0));
    expect(restoreFile(empty, sha256Hex(new Uint8Array(0)), 'empty').length).toBe(0);
  });

  it('refuses a stored copy that does not match its SHA-256', async () => {
    const bytes = new TextEncoder().encode('time/s\tEwe/V\n0\t3.4\n'.repeat(100));
    const stored = await compressFile(bytes);
    expect(() => restoreFile(stored, 'f'.repeat(64), 'a.mpt')).toThrow(/does not match its SHA-256/);
    const damaged = { ...stored, content: Buffer.from(stored.content.subarray(0, 20)) };
    expect(() => restoreFile(damaged, sha256Hex(bytes), 'a.mpt')).toThrow(/cannot be decompressed|SHA-256/);
  });
});
