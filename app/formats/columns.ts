/**
 * Growable Float64 columns for streaming readers: rows are appended without knowing the row count,
 * and the final arrays are trimmed once (capacity doubles, so appends are amortised O(1)).
 */
export class Float64Builder {
  private data: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(16, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed so far, as an array of exactly `length` (a copy only when capacity was left). */
  finish(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}
