import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NumericColumn } from '../../app/measurement';
import { decodeChannel, encodeCodedText, encodeNumbers, encodeText } from '../../db/channels';

function roundTrip(values: NumericColumn) {
  const encoded = encodeNumbers(values);
  const decoded = decodeChannel(
    encoded.dtype,
    encoded.scaleExp,
    encoded.length,
    encoded.data,
  ) as Float64Array;
  return { encoded, decoded };
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('channel encoding', () => {
  it('gives back exactly the same doubles for any values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 200 }), (xs) => {
        const values = Float64Array.from(xs);
        expect(sameBits(roundTrip(values).decoded, values)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives back printed decimals exactly, stored as scaled integers (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 9 }),
        (ks, decimals) => {
          // What a reader gets from text printed with `decimals` decimals.
          const values = Float64Array.from(ks, (k) => Number((k / 10 ** decimals).toFixed(decimals)));
          const { encoded, decoded } = roundTrip(values);
          expect(sameBits(decoded, values)).toBe(true);
          expect(['i8', 'i16', 'i32']).toContain(encoded.dtype);
          expect(encoded.scaleExp).toBeLessThanOrEqual(decimals);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('picks the narrowest exact encoding', () => {
    expect(roundTrip(Float64Array.from([0, 1, 2, 127, -128])).encoded).toMatchObject({
      dtype: 'i8',
      scaleExp: 0,
    });
    expect(roundTrip(Float64Array.from([0, 0.5, 1.5, 300.25])).encoded).toMatchObject({
      dtype: 'i16',
      scaleExp: 2,
    });
    expect(roundTrip(Float64Array.from([3.41234, 3.40001])).encoded).toMatchObject({
      dtype: 'i32',
      scaleExp: 5,
    });
    expect(roundTrip(Float64Array.from([0.1 + 0.2])).encoded.dtype).toBe('f64');
    expect(roundTrip(Float64Array.from([Math.fround(1.1), 2 ** -30])).encoded.dtype).toBe('f32');
    expect(roundTrip(Float64Array.from([1e300, 1])).encoded.dtype).toBe('f64');
    // −0, NaN and infinities survive bit for bit.
    const special = Float64Array.from([-0, Number.NaN, Number.POSITIVE_INFINITY, 1.5]);
    expect(sameBits(roundTrip(special).decoded, special)).toBe(true);
  });

  it('stores a million printed values in at most 4 bytes each', () => {
    const values = new Float64Array(1_000_000);
    for (let i = 0; i < values.length; i++) values[i] = Number((3.4 + Math.sin(i / 1000) * 0.2).toFixed(5));
    const { encoded, decoded } = roundTrip(values);
    expect(encoded.data.byteLength).toBeLessThanOrEqual(4 * values.length);
    expect(sameBits(decoded, values)).toBe(true);
  });

  it('decodes an unaligned blob (copies instead of viewing)', () => {
    const values = Float64Array.from([0.1 + 0.2, Math.PI]);
    const encoded = encodeNumbers(values);
    const shifted = new Uint8Array(encoded.data.byteLength + 1);
    shifted.set(encoded.data, 1);
    const decoded = decodeChannel('f64', 0, 2, shifted.subarray(1)) as Float64Array;
    expect(sameBits(decoded, values)).toBe(true);
  });

  it('refuses a blob of the wrong size instead of misreading it', () => {
    expect(() => decodeChannel('f64', 0, 3, new Uint8Array(16))).toThrow(/damaged/);
  });

  it('keeps text columns', () => {
    const text = ['charge', 'rest', 'µ-ü ‖'];
    const e = encodeText(text);
    expect(decodeChannel(e.dtype, 0, e.length, e.data)).toEqual(text);
  });

  it('stores text kept as codes (a step-type byte) as the same bytes as the expanded text', () => {
    const labels = ['', 'CC_Chg', 'CC_"DChg"', 'Rest µ'];
    const codes = Uint8Array.from([1, 1, 2, 3, 0, 9]); // 9: a code without a label reads as ''
    const expanded = Array.from(codes, (c) => labels[c] ?? '');
    const e = encodeCodedText(codes, labels);
    expect(e.data.equals(encodeText(expanded).data)).toBe(true);
    expect(decodeChannel(e.dtype, 0, e.length, e.data)).toEqual(expanded);
    const empty = encodeCodedText(new Uint8Array(0), labels);
    expect(decodeChannel(empty.dtype, 0, empty.length, empty.data)).toEqual([]);
  });

  it('stores narrow original columns (flags, counters, float32) exactly, in their width or narrower', () => {
    // Generated values whose truth is the array itself: every decoded value must equal it.
    const cases: [NumericColumn, string][] = [
      [Uint8Array.from([0, 1, 1, 0, 127]), 'i8'],
      [Uint8Array.from([0, 255]), 'i16'],
      [Uint16Array.from([41, 65535]), 'i32'],
      [Int16Array.from([-32768, 5]), 'i16'],
      [Uint32Array.from([1, 4294967295]), 'f64'],
      [Float32Array.from([3.5, -0.1, 1e-7, Number.NaN]), 'f32'],
      [Float32Array.from([1, 2, -3]), 'i8'],
    ];
    for (const [values, dtype] of cases) {
      const { encoded, decoded } = roundTrip(values);
      expect(encoded.dtype, `${values.constructor.name} [${values.join(', ')}]`).toBe(dtype);
      expect(Array.from(decoded)).toEqual(Array.from(values));
    }
  });
});
