/**
 * Channel blobs: one typed array per channel, little-endian, in the narrowest encoding that gives
 * back exactly the same doubles. Instrument exports print a fixed number of decimals, so most
 * columns are integers over a power of ten: stored as Int8/16/32 with `scaleExp` d, value = k / 10^d.
 * Every candidate encoding is verified value by value (k / 10^d === x), so nothing is ever rounded;
 * a column that fits nothing narrower stays Float64.
 */
import { endianness } from 'node:os';
import { ElyteError } from '../app/errors';
import type { NumericColumn } from '../app/measurement';

export type NumericDtype = 'f64' | 'f32' | 'i8' | 'i16' | 'i32';
export type ChannelDtype = NumericDtype | 'text';

export interface EncodedChannel {
  dtype: ChannelDtype;
  /** Decimal exponent for integer encodings: value = stored / 10^scaleExp. */
  scaleExp: number;
  length: number;
  data: Buffer;
}

/** 10^d is exact and division by it correctly rounded up to d = 22; 15 covers every export we know. */
export const MAX_SCALE_EXP = 15;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

if (endianness() !== 'LE') {
  // Blobs are defined as little-endian; every platform Elyte ships on is. Fail loudly rather than misread.
  throw new ElyteError('database', 'this machine is big-endian; the library format expects little-endian');
}

function bufferOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Finds the smallest d with every value = k / 10^d exactly for an int32 k; fills `ks` and returns d,
 * or -1. A value that needs more decimals raises d and the scan restarts (exactness at d implies it
 * at d + 1, but we verify anyway); a k past int32 ends the search since larger d only grows k.
 */
function decimalScale(values: Float64Array | Float32Array, ks: Int32Array): number {
  let d = 0;
  let p = 1;
  let i = 0;
  const n = values.length;
  // Integers first (flags, counters, cycle numbers): x | 0 === x is exact for int32 and needs no
  // rounding or division. -0 is not an integer here (it must come back as -0).
  for (; i < n; i++) {
    const x = values[i]!;
    const k = x | 0;
    if (k !== x || (k === 0 && 1 / x < 0)) break;
    ks[i] = k;
  }
  if (i === n) return 0;
  while (i < n) {
    const x = values[i]!;
    const k = Math.round(x * p);
    if (k / p === x && k <= INT32_MAX && k >= INT32_MIN && !(x === 0 && 1 / x < 0)) {
      ks[i] = k;
      i++;
      continue;
    }
    if (!Number.isFinite(x) || (x === 0 && 1 / x < 0)) return -1;
    if (Math.abs(k) > INT32_MAX) return -1;
    // Raise d until this value fits, then verify every value again from the start.
    for (;;) {
      d++;
      p *= 10;
      if (d > MAX_SCALE_EXP) return -1;
      const kk = Math.round(x * p);
      if (Math.abs(kk) > INT32_MAX) return -1;
      if (kk / p === x) break;
    }
    i = 0;
  }
  return d;
}

/** The narrowest integer dtype holding every value, or undefined past int32 (a Uint32Array can be). */
function narrowest(ks: Exclude<NumericColumn, Float64Array | Float32Array>): NumericDtype | undefined {
  let min = 0;
  let max = 0;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k < min) min = k;
    else if (k > max) max = k;
  }
  if (min >= -128 && max <= 127) return 'i8';
  if (min >= -32768 && max <= 32767) return 'i16';
  if (min >= INT32_MIN && max <= INT32_MAX) return 'i32';
  return undefined;
}

/** An integer column as i8/i16/i32 (scaleExp 0); the array itself when it already has that type. */
function encodeIntegers(values: Exclude<NumericColumn, Float64Array | Float32Array>): EncodedChannel {
  const length = values.length;
  const dtype = narrowest(values);
  if (dtype === 'i8') {
    const data = values instanceof Int8Array ? values : new Int8Array(values);
    return { dtype, scaleExp: 0, length, data: bufferOf(data) };
  }
  if (dtype === 'i16') {
    const data = values instanceof Int16Array ? values : new Int16Array(values);
    return { dtype, scaleExp: 0, length, data: bufferOf(data) };
  }
  if (dtype === 'i32') {
    const data = values instanceof Int32Array ? values : new Int32Array(values);
    return { dtype, scaleExp: 0, length, data: bufferOf(data) };
  }
  return { dtype: 'f64', scaleExp: 0, length, data: bufferOf(new Float64Array(values)) };
}

function fitsFloat32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Math.fround(x) !== x) return false; // NaN fails here too: kept as f64 with its exact bits
  }
  return true;
}

/**
 * Encodes a numeric column of any width. Integer arrays skip the decimal search; a Float32Array that
 * is not decimal-exact is stored as it is (it already is f32), without a copy.
 */
export function encodeNumbers(values: NumericColumn): EncodedChannel {
  if (!(values instanceof Float64Array || values instanceof Float32Array)) return encodeIntegers(values);
  const length = values.length;
  const ks = new Int32Array(length);
  const d = decimalScale(values, ks);
  if (d >= 0) {
    const dtype = narrowest(ks) ?? 'i32';
    const data =
      dtype === 'i8'
        ? bufferOf(new Int8Array(ks))
        : dtype === 'i16'
          ? bufferOf(new Int16Array(ks))
          : bufferOf(ks);
    return { dtype, scaleExp: d, length, data };
  }
  if (values instanceof Float32Array) return { dtype: 'f32', scaleExp: 0, length, data: bufferOf(values) };
  if (fitsFloat32(values))
    return { dtype: 'f32', scaleExp: 0, length, data: bufferOf(new Float32Array(values)) };
  return { dtype: 'f64', scaleExp: 0, length, data: bufferOf(values) };
}

export function encodeText(values: string[]): EncodedChannel {
  return {
    dtype: 'text',
    scaleExp: 0,
    length: values.length,
    data: Buffer.from(JSON.stringify(values), 'utf8'),
  };
}

/**
 * Text stored as codes (values[i] indexes labels), encoded to the same bytes as `encodeText` of the
 * expanded strings, without building a million strings: each label's JSON is copied per row.
 */
export function encodeCodedText(codes: NumericColumn, labels: readonly string[]): EncodedChannel {
  const pieces = labels.map((label) => Buffer.from(JSON.stringify(label), 'utf8'));
  const missing = Buffer.from('""');
  let size = 2 + Math.max(0, codes.length - 1);
  for (let i = 0; i < codes.length; i++) size += (pieces[codes[i]!] ?? missing).length;
  const data = Buffer.allocUnsafe(size);
  let at = 0;
  data[at++] = 0x5b; // [
  for (let i = 0; i < codes.length; i++) {
    if (i > 0) data[at++] = 0x2c; // ,
    const piece = pieces[codes[i]!] ?? missing;
    piece.copy(data, at);
    at += piece.length;
  }
  data[at] = 0x5d; // ]
  return { dtype: 'text', scaleExp: 0, length: codes.length, data };
}

/** A view when the blob is aligned, else a copy (typed arrays need element-aligned offsets). */
function typedView<T>(
  data: Uint8Array,
  bytesPer: number,
  length: number,
  make: (buffer: ArrayBuffer, offset: number, length: number) => T,
): T {
  if (data.byteLength !== length * bytesPer) {
    throw new ElyteError(
      'database',
      `a stored channel has ${data.byteLength} bytes, expected ${length * bytesPer}; the library may be damaged`,
    );
  }
  if (data.byteOffset % bytesPer === 0) return make(data.buffer as ArrayBuffer, data.byteOffset, length);
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return make(copy.buffer, 0, length);
}

export function decodeChannel(
  dtype: string,
  scaleExp: number,
  length: number,
  data: Uint8Array,
): Float64Array | string[] {
  switch (dtype) {
    case 'f64':
      return typedView(data, 8, length, (b, o, n) => new Float64Array(b, o, n));
    case 'f32':
      return Float64Array.from(typedView(data, 4, length, (b, o, n) => new Float32Array(b, o, n)));
    case 'i8':
      return scaled(
        typedView(data, 1, length, (b, o, n) => new Int8Array(b, o, n)),
        scaleExp,
      );
    case 'i16':
      return scaled(
        typedView(data, 2, length, (b, o, n) => new Int16Array(b, o, n)),
        scaleExp,
      );
    case 'i32':
      return scaled(
        typedView(data, 4, length, (b, o, n) => new Int32Array(b, o, n)),
        scaleExp,
      );
    case 'text': {
      const parsed = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      if (!Array.isArray(parsed) || parsed.length !== length) {
        throw new ElyteError('database', 'a stored text channel is damaged');
      }
      return parsed as string[];
    }
    default:
      throw new ElyteError('database', `a stored channel has unknown encoding "${dtype}"`);
  }
}

function scaled(ks: Int8Array | Int16Array | Int32Array, d: number): Float64Array {
  const out = new Float64Array(ks.length);
  if (d === 0) {
    for (let i = 0; i < ks.length; i++) out[i] = ks[i]!;
    return out;
  }
  // Division (not multiplication by 10^-d) is what makes the round trip exact.
  const p = 10 ** d;
  for (let i = 0; i < ks.length; i++) out[i] = ks[i]! / p;
  return out;
}
