/**
 * The rows of an .mpr "VMP data" module, decoded straight into the final arrays, sized from the row
 * count, and each canonical channel that needs a unit factor (or is time, which finishMeasurement
 * rebases in place and so must not share the original column) filled in the same pass. No per-row
 * objects, no intermediate arrays.
 *
 * Original columns keep the width the file stores (float32, uint16, bit flags → Uint8Array…): a
 * 1M-row GCPL file then allocates and first-touches about half the memory, which is what bounded the
 * decode speed. A column that a canonical channel shares unchanged is decoded once, as Float64Array.
 *
 * Rows are decoded in blocks of BLOCK_ROWS, column by column inside a block. Column by column keeps
 * each loop monomorphic (a row-by-row loop with a type switch per value measured twice as slow); the
 * blocks keep the rows in cache while every column is read from them (a whole-file pass per column read
 * the 53 MB of a 1M-row GCPL file sixteen times from memory).
 */
import type { CanonicalChannel, NumericColumn } from '../../measurement';
import type { ParseGuard } from '../guard';
import type { ChannelSource } from './channels';
import type { BinaryType } from './mpr-columns';

/** Where a column sits in a row. 'flag' columns are bit fields (mask) of the shared flags byte. */
export interface RowColumn {
  type: BinaryType | 'flag';
  mask: number;
  /** Byte offset inside the row. */
  offset: number;
}

export interface DecodedRows {
  /** One array per column, in column order, in the file's width (see allocate). */
  values: NumericColumn[];
  /** Canonical channels in SI units (see decodeRows for when an array is shared with its column). */
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  /** How many values of each column are NaN or ∞. */
  nonFinite: number[];
}

/** 4096 rows of a typical GCPL file are ~200 KB: they stay in L2 while every column reads them. */
const BLOCK_ROWS = 4096;

interface ScaledCopy {
  from: NumericColumn;
  to: Float64Array;
  factor: number;
}

/** The array a column decodes into: its stored width, or Float64Array when a channel shares it. */
function allocate(type: RowColumn['type'], rows: number, sharedWithChannel: boolean): NumericColumn {
  if (sharedWithChannel) return new Float64Array(rows);
  switch (type) {
    case 'f8':
      return new Float64Array(rows);
    case 'f4':
      return new Float32Array(rows);
    case 'u4':
      return new Uint32Array(rows);
    case 'u2':
      return new Uint16Array(rows);
    case 'u1':
    case 'flag':
      return new Uint8Array(rows);
  }
}

export function decodeRows(
  view: DataView,
  dataOffset: number,
  rowSize: number,
  rows: number,
  columns: readonly RowColumn[],
  plan: readonly ChannelSource[],
  guard: ParseGuard,
  afterBlock?: (values: readonly NumericColumn[], first: number, end: number) => void,
): DecodedRows {
  // A channel in the file's own unit shares the column's array (finishMeasurement copies time
  // before rebasing it when it has to).
  const shares = (source: ChannelSource): boolean => source.factor === 1;
  const shared = new Set(plan.filter(shares).map((source) => source.column));
  const values = columns.map((column, c) => allocate(column.type, rows, shared.has(c)));
  const nonFinite = columns.map(() => 0);
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {};
  // Float columns scale into their channel while decoding (fused); other types after each block.
  const fused: (ScaledCopy | undefined)[] = columns.map(() => undefined);
  const copies: ScaledCopy[] = [];
  for (const source of plan) {
    const { channel, column, factor } = source;
    const from = values[column]!;
    if (shares(source) && from instanceof Float64Array) {
      channels[channel] = from;
      continue;
    }
    const to = new Float64Array(rows);
    channels[channel] = to;
    const type = columns[column]?.type;
    if ((type === 'f4' || type === 'f8') && !fused[column]) fused[column] = { from, to, factor };
    else copies.push({ from, to, factor });
  }
  // Up to six flag columns are bit fields of one byte of each row: each flag reads its bits straight
  // from the row bytes of the block (no staging copy of the flag bytes).
  const flagsOffset = columns.find((column) => column.type === 'flag')?.offset;
  const flagColumns = columns.flatMap((column, c) =>
    column.type === 'flag' ? [{ out: values[c]!, mask: column.mask }] : [],
  );
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let first = 0; first < rows; first += BLOCK_ROWS) {
    const end = Math.min(rows, first + BLOCK_ROWS);
    if (flagsOffset !== undefined) {
      splitFlags(bytes, dataOffset + flagsOffset + first * rowSize, rowSize, flagColumns, first, end);
    }
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const at = dataOffset + column.offset + first * rowSize;
      const out = values[c]!;
      // allocate() chose each array from the same type, so these narrowings hold.
      switch (column.type) {
        case 'f4': {
          const f4 = out as Float32Array | Float64Array;
          const copy = fused[c];
          nonFinite[c]! += copy
            ? readFloat32Scaled(view, at, rowSize, f4, copy.to, copy.factor, first, end)
            : readFloat32(view, at, rowSize, f4, first, end);
          break;
        }
        case 'f8': {
          const f8 = out as Float64Array;
          const copy = fused[c];
          nonFinite[c]! += copy
            ? readFloat64Scaled(view, at, rowSize, f8, copy.to, copy.factor, first, end)
            : readFloat64(view, at, rowSize, f8, first, end);
          break;
        }
        case 'u1':
          readUint8(view, at, rowSize, out as Uint8Array | Float64Array, first, end);
          break;
        case 'u2':
          readUint16(view, at, rowSize, out as Uint16Array | Float64Array, first, end);
          break;
        case 'u4':
          readUint32(view, at, rowSize, out as Uint32Array | Float64Array, first, end);
          break;
        case 'flag':
          break; // split above, with the other flags of the same byte
      }
    }
    // The block's values are still in cache: scaling them now costs no second pass over memory.
    for (const { from, to, factor } of copies) scale(from, to, factor, first, end);
    afterBlock?.(values, first, end);
    guard.check(end / rows);
  }
  return { values, channels, nonFinite };
}

function scale(from: NumericColumn, to: Float64Array, factor: number, first: number, end: number): void {
  if (factor === 1) {
    to.set(from.subarray(first, end), first);
    return;
  }
  for (let r = first; r < end; r++) to[r] = from[r]! * factor;
}

/** Reads float32 values; returns how many are NaN or ∞ (counted in the same pass). */
function readFloat32(
  view: DataView,
  at: number,
  rowSize: number,
  out: Float32Array | Float64Array,
  first: number,
  end: number,
): number {
  let bad = 0;
  for (let r = first; r < end; r++, at += rowSize) {
    const value = view.getFloat32(at, true);
    if (value - value !== 0) bad++;
    out[r] = value;
  }
  return bad;
}

/** readFloat32 that also writes value × factor into the channel (x × 1 is x exactly, NaN included). */
function readFloat32Scaled(
  view: DataView,
  at: number,
  rowSize: number,
  out: Float32Array | Float64Array,
  to: Float64Array,
  factor: number,
  first: number,
  end: number,
): number {
  let bad = 0;
  for (let r = first; r < end; r++, at += rowSize) {
    const value = view.getFloat32(at, true);
    if (value - value !== 0) bad++;
    out[r] = value;
    to[r] = value * factor;
  }
  return bad;
}

function readFloat64Scaled(
  view: DataView,
  at: number,
  rowSize: number,
  out: Float64Array,
  to: Float64Array,
  factor: number,
  first: number,
  end: number,
): number {
  let bad = 0;
  for (let r = first; r < end; r++, at += rowSize) {
    const value = view.getFloat64(at, true);
    if (value - value !== 0) bad++;
    out[r] = value;
    to[r] = value * factor;
  }
  return bad;
}

function readFloat64(
  view: DataView,
  at: number,
  rowSize: number,
  out: Float64Array,
  first: number,
  end: number,
): number {
  let bad = 0;
  for (let r = first; r < end; r++, at += rowSize) {
    const value = view.getFloat64(at, true);
    if (value - value !== 0) bad++;
    out[r] = value;
  }
  return bad;
}

function readUint16(
  view: DataView,
  at: number,
  rowSize: number,
  out: Uint16Array | Float64Array,
  first: number,
  end: number,
): void {
  for (let r = first; r < end; r++, at += rowSize) out[r] = view.getUint16(at, true);
}

function readUint32(
  view: DataView,
  at: number,
  rowSize: number,
  out: Uint32Array | Float64Array,
  first: number,
  end: number,
): void {
  for (let r = first; r < end; r++, at += rowSize) out[r] = view.getUint32(at, true);
}

/** The flag bit fields of rows [first, end) (mask 0x03 → bits 0–1, 0x80 → bit 7, shifted down). */
function splitFlags(
  bytes: Uint8Array,
  at: number,
  rowSize: number,
  columns: readonly { out: NumericColumn; mask: number }[],
  first: number,
  end: number,
): void {
  for (const { out, mask } of columns) {
    const shift = 31 - Math.clz32(mask & -mask);
    for (let r = first, i = at; r < end; r++, i += rowSize) out[r] = (bytes[i]! & mask) >> shift;
  }
}

function readUint8(
  view: DataView,
  at: number,
  rowSize: number,
  out: Uint8Array | Float64Array,
  first: number,
  end: number,
): void {
  for (let r = first; r < end; r++, at += rowSize) out[r] = view.getUint8(at);
}
