/**
 * Text decoding shared by the text readers. Instrument software writes UTF-8, UTF-16 (with BOM) or
 * Windows-1252 (µ = 0xB5, ² = 0xB2); a file is decoded as UTF-8 only when it is valid UTF-8.
 * Lines are produced chunk by chunk so a 2 GB export never becomes one 2 GB string.
 */
import { ElyteError } from '../errors';

export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** Chooses the encoding from a BOM, else from whether the sample is valid UTF-8. */
export function detectEncoding(head: Uint8Array): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // A multi-byte sequence may be cut at the end of the sample: drop up to 3 trailing bytes before checking.
  let end = head.length;
  for (let back = 0; back < 3 && end > 0 && (head[end - 1]! & 0xc0) === 0x80; back++) end--;
  if (end > 0 && head[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Whole-text decode for small files and headers (≤ a few MB). */
export function decodeText(
  bytes: Uint8Array,
  encoding: TextEncodingName = detectEncoding(bytes.subarray(0, 65536)),
): string {
  const text = new TextDecoder(encoding).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the sample looks like text: no NUL bytes and few control characters. */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) return false;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control / head.length < 0.01;
}

/** The first `maxBytes` decoded as text, for sniffing. */
export function headText(head: Uint8Array, maxBytes = 16384): string {
  return decodeText(head.subarray(0, maxBytes));
}

const LF = 10;
const CR = 13;

/** Text whose ASCII characters are single bytes, so a scanner can find tabs, digits and line ends. */
interface SingleByteText {
  bytes: Uint8Array;
  encoding: 'utf-8' | 'windows-1252';
  /** Where the text starts: after the byte-order marks decodeText drops. */
  start: number;
}

/**
 * UTF-8 and Windows-1252 as they are; UTF-16 re-encoded to UTF-8 one chunk at a time (a UTF-16 export
 * costs a UTF-8 copy, half its size for ASCII text, never one string of the whole file).
 * The byte-order marks dropped are the ones decodeText drops: the decoder's own and one more U+FEFF.
 */
function singleByteText(
  bytes: Uint8Array,
  encoding: TextEncodingName = detectEncoding(bytes.subarray(0, 65536)),
  chunkBytes = 1 << 20,
): SingleByteText {
  if (encoding === 'windows-1252') return { bytes, encoding, start: 0 };
  if (encoding === 'utf-8') {
    // Two marks at most: the decoder's own, and the U+FEFF decodeText then slices off.
    let start = 0;
    while (start < 6 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
      start += 3;
    return { bytes, encoding, start };
  }
  const decoder = new TextDecoder(encoding);
  const encoder = new TextEncoder();
  // ASCII text halves in size; anything wider grows the buffer on demand.
  let out = new Uint8Array((bytes.length >> 1) + 16);
  let written = 0;
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const end = Math.min(bytes.length, offset + chunkBytes);
    let text = decoder.decode(bytes.subarray(offset, end), { stream: end < bytes.length });
    if (offset === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const encoded = encoder.encode(text);
    if (written + encoded.length > out.length) {
      const grown = new Uint8Array(Math.max(out.length * 2, written + encoded.length));
      grown.set(out.subarray(0, written));
      out = grown;
    }
    out.set(encoded, written);
    written += encoded.length;
  }
  return { bytes: out.subarray(0, written), encoding: 'utf-8', start: 0 };
}

/** A position TextLines can return to. */
export interface LineMark {
  offset: number;
  number: number;
  ended: boolean;
}

/**
 * The lines of a file read one at a time straight from its bytes: only the line asked for is decoded, so
 * a 2 GB export never becomes one string. It knows where each line starts in the bytes, so a reader can hand a data line to a byte scanner instead of decoding it at all (the scanner
 * reads from `offset`, then advanceTo), and can go back to a mark (lookahead, a header read twice).
 * Decoding line by line also costs less than decoding chunks and slicing them into lines.
 *
 * Line breaks are either those of splitLines ('any': \r\n, \n or a lone \r, and the text after the last
 * break is one more line, empty or not) or the 'lf' rule of Gamry's own reader and the generic table
 * reader (\n with the \r before it; a lone \r stays in its line; no empty line after a final break).
 */
export class TextLines {
  /** The text as single-byte-friendly bytes (UTF-16 re-encoded as UTF-8). */
  readonly bytes: Uint8Array;
  /** Byte offset of the next line. */
  offset: number;
  /** Byte offset of the first line (after any byte-order mark). */
  readonly start: number;
  /** 1-based number of the line last read (0 before the first), as in "line N" of an error. */
  number = 0;
  /** Set by locate(): where the located line's text ends, and where the line after it starts. */
  private lineEnd = 0;
  private nextLine = 0;
  private ended = false;
  private lastLine = false;
  private nextLf = -1;
  private readonly decoder: TextDecoder;

  constructor(
    input: Uint8Array,
    readonly breaks: 'any' | 'lf' = 'any',
  ) {
    const text = singleByteText(input);
    this.bytes = text.bytes;
    this.start = text.start;
    this.offset = text.start;
    // A line inside the text keeps a U+FEFF it starts with (only the start of the text drops byte-order
    // marks), so UTF-8 lines are decoded with ignoreBOM. Windows-1252 has no byte-order mark to drop,
    // and Node's decoder given ignoreBOM loses a leading 0xFF ("ÿ").
    this.decoder = new TextDecoder(text.encoding, text.encoding === 'utf-8' ? { ignoreBOM: true } : {});
  }

  /** Finds the next line without reading it (sets lineEnd and nextLine); false after the last line. */
  private locate(): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    const at = this.offset;
    const lfOnly = this.breaks === 'lf';
    if (lfOnly ? at >= n : this.ended) return false;
    if (this.nextLf < at) this.nextLf = indexOrEnd(bytes, LF, at);
    const lf = this.nextLf;
    if (lfOnly) {
      this.lineEnd = lf > at && bytes[lf - 1] === CR ? lf - 1 : lf;
      this.nextLine = lf < n ? lf + 1 : n;
      return true;
    }
    // Only a \r before that \n can end the line sooner: look for one there, not through the whole file.
    let end = at;
    while (end < lf && bytes[end] !== CR) end++;
    this.lineEnd = end;
    this.lastLine = end === n;
    this.nextLine = end === n ? n : end + (bytes[end] === CR && bytes[end + 1] === LF ? 2 : 1);
    return true;
  }

  /** Moves past the line locate() found. */
  private advance(): void {
    this.offset = this.nextLine;
    this.number++;
    if (this.lastLine) this.ended = true;
  }

  /**
   * Moves past the line at the cursor when a byte scanner has read it up to `lineEnd` (where its line
   * break, or the end of the file, starts): locate() and advance() without searching for the break.
   */
  advanceTo(lineEnd: number): void {
    const bytes = this.bytes;
    this.number++;
    if (lineEnd >= bytes.length) {
      this.offset = bytes.length;
      if (this.breaks === 'any') this.ended = true;
      return;
    }
    this.offset = lineEnd + (bytes[lineEnd] === CR && bytes[lineEnd + 1] === LF ? 2 : 1);
  }

  /** The text of bytes [from, to) of this file. */
  decode(from: number, to: number): string {
    return this.decoder.decode(this.bytes.subarray(from, to));
  }

  /** The next line without its line break, or undefined after the last line. */
  next(): string | undefined {
    if (!this.locate()) return undefined;
    const line = this.decode(this.offset, this.lineEnd);
    this.advance();
    return line;
  }

  /**
   * Reads on until a line satisfies `test` and returns it, the cursor just after it (its index is then
   * number - 1); undefined at the end of the file.
   */
  find(test: (line: string) => boolean): string | undefined {
    for (let line = this.next(); line !== undefined; line = this.next()) if (test(line)) return line;
    return undefined;
  }

  /**
   * How many data lines follow the cursor, counted on line feeds (memchr-fast) so a table can allocate
   * its columns once: the lines that are not empty, or only the block of lines that start with the byte
   * `lead` (Gamry's tab-indented rows). Breaks at a lone \r are not counted; a table grows if need be.
   */
  countAhead(lead = -1): number {
    const bytes = this.bytes;
    let count = 0;
    for (let at = this.offset; at < bytes.length; ) {
      const first = bytes[at]!;
      if (lead >= 0 && first !== lead) break;
      if (first !== LF && first !== CR) count++;
      const lf = bytes.indexOf(LF, at);
      if (lf < 0) break;
      at = lf + 1;
    }
    return count;
  }

  mark(): LineMark {
    return { offset: this.offset, number: this.number, ended: this.ended };
  }

  /** Returns to a mark (earlier or later); the next line read is the one that followed it. */
  reset(mark: LineMark): void {
    this.offset = mark.offset;
    this.number = mark.number;
    this.ended = mark.ended;
    this.lastLine = false;
    this.nextLf = -1;
  }

  /** Runs `read` (which reads lines ahead) and puts the cursor back where it was. */
  lookahead<T>(read: () => T): T {
    const mark = this.mark();
    try {
      return read();
    } finally {
      this.reset(mark);
    }
  }

  /** Lines [0, count) read again from the start of the file, leaving the cursor where it was. */
  head(count: number): string[] {
    return this.lookahead(() => {
      this.reset({ offset: this.start, number: 0, ended: false });
      const lines: string[] = [];
      while (lines.length < count) {
        const line = this.next();
        if (line === undefined) break;
        lines.push(line);
      }
      return lines;
    });
  }

  /** True when no line with visible text follows, up to line index `end` (exclusive); the cursor stays. */
  restIsBlank(end = Number.POSITIVE_INFINITY): boolean {
    return this.lookahead(() => {
      while (this.number < end) {
        const line = this.next();
        if (line === undefined) return true;
        if (line.trim() !== '') return false;
      }
      return true;
    });
  }

  /** How far through the file the cursor is, for progress reports. */
  fraction(): number {
    return this.bytes.length === 0 ? 1 : this.offset / this.bytes.length;
  }
}

function indexOrEnd(bytes: Uint8Array, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

/** Splits text into lines (for small files already decoded). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/**
 * Parses a number written with either decimal point or decimal comma ("1,5E-3"), as instruments in
 * European locales write them. Returns NaN for an empty or non-numeric field; callers decide whether
 * that is an error (it usually is, and they say which line).
 */
export function parseLocaleNumber(field: string, decimalComma: boolean): number {
  const s = field.trim();
  if (s.length === 0) return Number.NaN;
  const normalised = decimalComma ? s.replace(',', '.') : s;
  const value = Number(normalised);
  return value;
}

/** Guesses the column delimiter of a data line: tab, then semicolon, then comma, then runs of spaces. */
export function guessDelimiter(line: string): '\t' | ';' | ',' | ' ' {
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  if (line.includes(',')) return ',';
  return ' ';
}

/** Splits one delimited line; ' ' means any run of white space. Handles simple "quoted" CSV fields. */
export function splitFields(line: string, delimiter: '\t' | ';' | ',' | ' '): string[] {
  if (delimiter === ' ') return line.trim().split(/\s+/);
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Throws a 'truncated' error when a reader needs more bytes than the file has. */
export function requireBytes(bytes: Uint8Array, needed: number, fileName: string, what: string): void {
  if (bytes.length < needed) {
    throw new ElyteError(
      'truncated',
      `the file ends at byte ${bytes.length} but ${what} needs ${needed} bytes; it looks truncated`,
      { file: fileName },
    );
  }
}
