/**
 * The delimited data tables of the potentiostat text exports, read line by line from a TextLines cursor
 * so no reader holds the whole file as a string. A row arrives either as a byte range split at one byte
 * (fields scanned in place by numbers.ts, no line string built: Gamry, NOVA, CHI, PAR, Pine rows) or,
 * when that cannot give the same fields (quotes, regular-expression splits, odd rows), as the string
 * fields the reader always split. Both give the same values: a field is a number when parseLocaleNumber
 * reads it as finite, and a column that meets anything else becomes text, keeping its earlier values as
 * strings.
 */
import type { OriginalColumn } from '../../measurement';
import type { ParseGuard } from '../guard';
import { scanDecimal } from '../numbers';
import { parseLocaleNumber, splitFields, type TextLines } from '../text';
import { fail } from './shared';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;

/** A table read row by row: numeric columns become Float64Array, any column with text stays text. */
export class TableBuilder {
  /** Per column: its values so far, or null once the column is text. */
  private numbers: (Float64Array | null)[];
  private readonly texts: (string[] | null)[];
  /** Text fields of the row pushBytes is reading, kept back until the whole row has been read. */
  private readonly pending: string[];
  private readonly cache = new TextCache();
  private capacity: number;
  rows = 0;

  /**
   * `capacity`: the rows expected (TextLines.countAhead), so that each column is allocated once at its
   * final size; a table longer than that still grows.
   */
  constructor(
    readonly names: string[],
    readonly units: string[],
    private readonly decimalComma: boolean,
    capacity = 256,
  ) {
    this.capacity = Math.max(16, capacity);
    this.numbers = names.map(() => new Float64Array(this.capacity));
    this.texts = names.map(() => null);
    this.pending = names.map(() => '');
  }

  /** Adds one row of fields (missing trailing fields are an error the caller reports). */
  push(fields: string[]): void {
    if (this.rows === this.capacity) this.grow();
    const row = this.rows;
    for (let c = 0; c < this.names.length; c++) {
      const raw = fields[c] ?? '';
      const text = this.texts[c];
      if (text) {
        text.push(raw.trim());
        continue;
      }
      const value = parseLocaleNumber(raw, this.decimalComma);
      if (Number.isFinite(value)) {
        this.numbers[c]![row] = value;
      } else {
        // The column holds text (Gamry's "Over" flags): switch it to text, keeping earlier values.
        const earlier = Array.from(this.numbers[c]!.subarray(0, row), (v) => String(v));
        earlier.push(raw.trim());
        this.texts[c] = earlier;
        this.numbers[c] = null;
      }
    }
    this.rows++;
  }

  /**
   * The fast path for the data line at the cursor, its fields starting at `start` (after Gamry's leading
   * tab) and split at `delimiter` (one ASCII byte): the values push(line.split(delimiter)) would give,
   * read without building the line or searching for its end first. Returns where the line's text ends
   * (for lines.advanceTo), or -1, having kept nothing, when the row needs push(): fewer fields than
   * columns, a field of a numeric column that is not a plain decimal number (text, spaces, hex…), a
   * lone \r, which an 'lf' line keeps as text, or (`quoted`: the reader splits with splitFields) a
   * quote character anywhere in the line.
   */
  pushBytes(lines: TextLines, start: number, delimiter: number, quoted = false): number {
    if (this.rows === this.capacity) this.grow();
    const bytes = lines.bytes;
    const n = bytes.length;
    const lf = lines.breaks === 'lf';
    const numbers = this.numbers;
    const row = this.rows;
    const last = numbers.length - 1;
    const comma = this.decimalComma;
    // A local binding: transpilers that turn ES imports into property reads (tsx, CommonJS output) would
    // otherwise pay a getter call per field.
    const scan = scanDecimal;
    let texts = 0;
    let at = start;
    for (let c = 0; ; c++) {
      const column = numbers[c]!;
      let after = at;
      if (column === null) {
        while (after < n) {
          const b = bytes[after]!;
          if (b === delimiter || b === LF || b === CR) break;
          if (b === QUOTE && quoted) return -1;
          after++;
        }
      } else {
        // Spaces around a number are trimmed by push() too ("1.0, 2.0" in CHI exports).
        while (at < n && (bytes[at] === SPACE || (bytes[at] === TAB && delimiter !== TAB))) at++;
        const stop = scan(bytes, at, n, comma, column, row);
        if (stop < 0) return -1;
        after = stop;
        while (after < n && (bytes[after] === SPACE || (bytes[after] === TAB && delimiter !== TAB))) after++;
        if (Number.isNaN(column[row]!)) {
          // A plain number the fast path cannot round exactly (16+ digits): Number() on its text.
          const value = parseLocaleNumber(lines.decode(at, stop), comma);
          if (!Number.isFinite(value)) return -1;
          column[row] = value;
        }
      }
      // The field ends at the delimiter, at the line break or at the end of the file; anything else
      // means it was not a plain number.
      const t = after < n ? bytes[after]! : LF;
      if (t !== delimiter && t !== LF && (t !== CR || (lf && after + 1 < n && bytes[after + 1] !== LF))) {
        return -1;
      }
      if (column === null) {
        this.pending[c] = this.cache.text(lines, at, after, this.texts[c]!);
        texts++;
      }
      if (c === last) {
        if (t === delimiter) {
          at = lineEnd(bytes, after, lf, quoted);
          if (at < 0) return -1;
        } else {
          at = after;
        }
        break;
      }
      if (t !== delimiter) return -1;
      at = after + 1;
    }
    if (texts > 0) for (let c = 0; c <= last; c++) this.texts[c]?.push(this.pending[c]!);
    this.rows++;
    return at;
  }

  columns(): OriginalColumn[] {
    return this.names.map((name, c) => {
      const numbers = this.numbers[c];
      // Rows were counted up front, so this copies only when blank lines made the count too high (the
      // copy's buffer then holds exactly the values, for whoever stores it).
      const values = numbers ? (numbers.length === this.rows ? numbers : numbers.slice(0, this.rows)) : [];
      return { name, unit: this.units[c] ?? '', values: this.texts[c] ?? values };
    });
  }

  /** Capacity doubles, so a table longer than expected still costs amortised O(1) a row. */
  private grow(): void {
    this.capacity *= 2;
    this.numbers = this.numbers.map((column) => {
      if (!column) return null;
      const grown = new Float64Array(this.capacity);
      grown.set(column);
      return grown;
    });
  }
}

/** Where the line holding `at` ends (its line break, or the end of the file), past fields not read. */
function lineEnd(bytes: Uint8Array, at: number, lf: boolean, quoted: boolean): number {
  const n = bytes.length;
  if (lf) {
    const next = bytes.indexOf(LF, at);
    if (next < 0) return bytes[n - 1] === CR ? n - 1 : n;
    return bytes[next - 1] === CR ? next - 1 : next;
  }
  for (; at < n; at++) {
    const b = bytes[at]!;
    if (b === LF || b === CR) break;
    if (b === QUOTE && quoted) return -1;
  }
  return at;
}

/**
 * Text fields, trimmed as push() trims them. Short ASCII values repeat on almost every row (Gamry's
 * "Over" flags "..........."), so each distinct one is one shared string, found by a hash of its bytes,
 * rather than a million equal strings.
 */
class TextCache {
  private readonly strings = new Map<number, string>();

  /** The field bytes[from, to) trimmed; `column` holds the values before it (the last is tried first). */
  text(lines: TextLines, from: number, to: number, column: string[]): string {
    const bytes = lines.bytes;
    let a = from;
    let b = to;
    while (a < b && isAsciiSpace(bytes[a]!)) a++;
    while (b > a && isAsciiSpace(bytes[b - 1]!)) b--;
    const previous = column[column.length - 1];
    if (previous !== undefined && sameAscii(previous, bytes, a, b)) return previous;
    if (b - a > 32) return lines.decode(from, to).trim();
    let hash = b - a;
    for (let i = a; i < b; i++) {
      const byte = bytes[i]!;
      // Beyond ASCII, decoding and String.trim decide (U+00A0 and U+FEFF are white space to trim()).
      if (byte >= 0x80) return lines.decode(from, to).trim();
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    const cached = this.strings.get(hash);
    if (cached !== undefined && sameAscii(cached, bytes, a, b)) return cached;
    const text = lines.decode(a, b);
    if (cached === undefined && this.strings.size < 4096) this.strings.set(hash, text);
    return text;
  }
}

/** The ASCII characters String.trim removes: tab, LF, VT, FF, CR and space. */
function isAsciiSpace(byte: number): boolean {
  return byte === SPACE || (byte >= 9 && byte <= 13);
}

function sameAscii(text: string, bytes: Uint8Array, from: number, to: number): boolean {
  if (text.length !== to - from) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[from + i]) return false;
  return true;
}

/**
 * A row with too few fields, just read from `lines`. At the end of the file (or of the block ending at
 * line index `end`) that is a file cut short (a cut inside a number must not be read as a shorter
 * number); anywhere else the content is malformed.
 */
export function shortRow(
  lines: TextLines,
  have: number,
  need: number,
  fileName: string,
  end = Number.POSITIVE_INFINITY,
  what = 'row',
): never {
  const last = lines.restIsBlank(end);
  return fail(
    last ? 'truncated' : 'malformed',
    `${what} has ${have} of ${need} fields${last ? '; the file looks cut short (truncated)' : ''}`,
    fileName,
    `line ${lines.number}`,
  );
}

/** How readRows splits a data line. */
export interface RowSplit {
  /** The string path, as the reader has always split its lines. */
  split: (line: string) => string[];
  /**
   * The byte `split` splits at, when it does nothing more (no trimming that changes the fields, no
   * runs of spaces): rows are then scanned in place by pushBytes. -1 for strings only.
   */
  byte: number;
  /** `split` reads quoted fields: a line with a quote character goes through it. */
  quoted: boolean;
}

/**
 * Reads delimited rows from the cursor up to line index `end` (exclusive), skipping blank lines; short
 * rows are errors naming the line. Each row goes through the byte scanner when the split allows it and
 * the row is plain, else through the reader's own split.
 */
export function readRows(
  lines: TextLines,
  table: TableBuilder,
  { split, byte, quoted }: RowSplit,
  fileName: string,
  guard: ParseGuard,
  end = Number.POSITIVE_INFINITY,
): void {
  const bytes = lines.bytes;
  while (lines.number < end) {
    const at = lines.offset;
    const first = at < bytes.length ? bytes[at]! : 0;
    // A line starting with white space may be blank (skipped), which only the string path can tell.
    if (byte >= 0 && first > SPACE && first < 127) {
      const lineEnd = table.pushBytes(lines, at, byte, quoted);
      if (lineEnd >= 0) {
        lines.advanceTo(lineEnd);
        guard.tick(lines.fraction());
        continue;
      }
    }
    const line = lines.next();
    if (line === undefined) break;
    guard.tick(lines.fraction());
    if (line.trim() === '') continue;
    const fields = split(line);
    if (fields.length < table.names.length) {
      shortRow(lines, fields.length, table.names.length, fileName, end);
    }
    table.push(fields);
  }
}

/** Splits at one byte with String.split. */
export function splitAt(delimiter: '\t' | ';' | ','): RowSplit {
  return { split: (line) => line.split(delimiter), byte: delimiter.charCodeAt(0), quoted: false };
}

/** splitFields' split (quoted fields; ' ' for runs of white space, which only strings can do). */
export function splitQuoted(delimiter: '\t' | ';' | ',' | ' '): RowSplit {
  const byte = delimiter === ' ' ? -1 : delimiter.charCodeAt(0);
  return { split: (line) => splitFields(line, delimiter), byte, quoted: true };
}

/**
 * True when tab- or semicolon-separated rows write numbers with a decimal comma ("0,1" and no "0.1"),
 * as instrument software does on PCs set to a European locale. Looks at the next rows only (the cursor
 * stays where it is).
 */
export function tabularDecimalComma(lines: TextLines, delimiter: '\t' | ';'): boolean {
  return lines.lookahead(() => {
    let comma = 0;
    let point = 0;
    for (let seen = 0; seen < 20; ) {
      const line = lines.next();
      if (line === undefined) break;
      if (line.trim() === '') continue;
      seen++;
      for (const field of line.split(delimiter)) {
        const f = field.trim();
        if (/^[-+]?\d+,\d+([eE][-+]?\d+)?$/.test(f)) comma++;
        else if (/^[-+]?\d*\.\d+([eE][-+]?\d+)?$/.test(f)) point++;
      }
    }
    return comma > 0 && point === 0;
  });
}
