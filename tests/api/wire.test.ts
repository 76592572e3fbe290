/** The HTTP wire format: file bytes survive the base64 round trip exactly, at any length. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire } from '../../app/api/wire';

describe('wire', () => {
  it('base64 matches Node’s encoder and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('carries Uint8Array inside JSON and refuses corrupt base64', () => {
    const value = { files: [{ name: 'a.mpt', bytes: new Uint8Array([0, 1, 2, 250, 255]) }] };
    const back = decodeWire(encodeWire(value)) as typeof value;
    expect(back.files[0]!.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.files[0]!.bytes)).toEqual([0, 1, 2, 250, 255]);
    expect(() => base64ToBytes('ab$d')).toThrow(/invalid base64/);
  });

  it('round-trips a file of tens of megabytes exactly', () => {
    const bytes = new Uint8Array(30 * 1024 * 1024 + 2).map((_, i) => (i * 7) ^ (i >> 9));
    const back = base64ToBytes(bytesToBase64(bytes));
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0);
  });
});
