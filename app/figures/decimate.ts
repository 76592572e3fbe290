/**
 * Envelope-preserving decimation for plotting: the x range is cut into `buckets` columns (≈ pixel
 * columns) and each keeps its first, minimum, maximum and last point in x order, so spikes, shorts
 * and plateaus look exactly as in the full record. Zooming re-decimates the visible range only.
 * O(n) over the rows inside the range; x must be monotone non-decreasing (time, or row order).
 */
export interface DecimatedIndex {
  /** Row indices to plot, ascending. */
  indices: Uint32Array;
  totalRows: number;
  decimated: boolean;
}

export function decimateMinMax(
  x: Float64Array,
  ys: Float64Array[],
  maxPoints: number,
  xRange?: readonly [number, number],
): DecimatedIndex {
  const n = x.length;
  let start = 0;
  let end = n;
  if (xRange) {
    const [lo, hi] = xRange[0] <= xRange[1] ? xRange : [xRange[1], xRange[0]];
    start = Math.max(0, lowerBound(x, lo) - 1);
    end = Math.min(n, upperBound(x, hi) + 1);
  }
  const count = end - start;
  if (count <= maxPoints) {
    const indices = new Uint32Array(count);
    for (let i = 0; i < count; i++) indices[i] = start + i;
    return { indices, totalRows: n, decimated: false };
  }
  // Four points per bucket (first, min, max, last of the most variable channel).
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = x[start]!;
  const span = x[end - 1]! - x0 || 1;
  const chosen: number[] = [];
  let bucketStart = start;
  for (let b = 0; b < buckets && bucketStart < end; b++) {
    const limit = b === buckets - 1 ? Number.POSITIVE_INFINITY : x0 + ((b + 1) / buckets) * span;
    let bucketEnd = bucketStart;
    while (bucketEnd < end && x[bucketEnd]! <= limit) bucketEnd++;
    if (bucketEnd === bucketStart) continue;
    const picks = new Set<number>([bucketStart, bucketEnd - 1]);
    for (const y of ys) {
      let minIndex = bucketStart;
      let maxIndex = bucketStart;
      for (let i = bucketStart + 1; i < bucketEnd; i++) {
        const v = y[i]!;
        if (v < y[minIndex]!) minIndex = i;
        if (v > y[maxIndex]!) maxIndex = i;
      }
      picks.add(minIndex);
      picks.add(maxIndex);
    }
    for (const index of [...picks].sort((a, b) => a - b)) chosen.push(index);
    bucketStart = bucketEnd;
  }
  return { indices: Uint32Array.from(chosen), totalRows: n, decimated: true };
}

/** True when x never decreases (decimation by x columns needs it; otherwise plot by row index). */
export function isMonotone(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i]! < x[i - 1]!) return false;
  return true;
}

function lowerBound(x: Float64Array, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(x: Float64Array, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Picks the rows of each array. */
export function pick(values: Float64Array, indices: Uint32Array): number[] {
  const out = new Array<number>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}
