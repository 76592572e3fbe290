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

/**
 * Iterates the lines of `bytes` without building one string for the whole file: decodes 1 MiB
 * chunks and yields each line without its terminator (\n, \r\n or lone \r).
 * `startByte` lets a reader skip a header it has already read.
 */
export function* iterateLines(
  bytes: Uint8Array,
  encoding: TextEncodingName = detectEncoding(bytes.subarray(0, 65536)),
  startByte = 0,
  chunkBytes = 1 << 20,
): Generator<string> {
  const decoder = new TextDecoder(encoding);
  let carry = '';
  let first = startByte === 0;
  for (let offset = startByte; offset < bytes.length; offset += chunkBytes) {
    const end = Math.min(bytes.length, offset + chunkBytes);
    let chunk = carry + decoder.decode(bytes.subarray(offset, end), { stream: end < bytes.length });
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    first = false;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      const lineEnd = nl > start && chunk.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield chunk.slice(start, lineEnd);
      start = nl + 1;
    }
    carry = chunk.slice(start);
  }
  carry += decoder.decode();
  if (carry.length > 0) yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
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
