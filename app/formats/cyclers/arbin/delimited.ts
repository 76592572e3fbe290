/**
 * A fast reader for the large comma/tab-separated tables cyclers export (Arbin, Neware BTSDA).
 * Numbers are parsed straight from the bytes (no substring, no Number() per field) into growable
 * Float64 columns; only text columns build strings, and repeated short strings are shared. This is
 * what lets a 1,000,000-row export parse at well over 100 MB/s.
 *
 * Column kinds:
 * - 'number': decimal or exponent notation; an empty field is NaN (a missing value, kept as such).
 * - 'text': kept verbatim.
 * - 'duration': "[d-]hh:mm:ss[.fff]" or plain seconds → seconds.
 * - 'datetime': "YYYY-MM-DD hh:mm:ss[.fff]", "MM/DD/YYYY hh:mm:ss[.fff] [AM|PM]" or POSIX seconds →
 *   seconds since 1970 on the file's clock (no time zone is implied).
 * - 'auto': number until a field is not one; then the column becomes text (for unmapped columns).
 */
import { ElyteError } from '../../../errors';
import { Float64Builder } from '../../columns';
import type { ParseGuard } from '../../guard';

export type ColumnKind = 'number' | 'text' | 'duration' | 'datetime' | 'auto';

export interface DelimitedColumn {
  name: string;
  kind: ColumnKind;
  values: Float64Array | string[];
}

interface ColumnState {
  name: string;
  kind: ColumnKind;
  numbers: Float64Builder | null;
  texts: string[] | null;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Parses bytes[from, to) as a number, or returns NaN for an empty field and undefined when it is not one. */
export function parseNumberBytes(bytes: Uint8Array, from: number, to: number): number | undefined {
  while (from < to && (bytes[from] === 32 || bytes[from] === 9)) from++;
  while (to > from && (bytes[to - 1] === 32 || bytes[to - 1] === 9 || bytes[to - 1] === 13)) to--;
  if (from === to) return Number.NaN;
  let i = from;
  let negative = false;
  if (bytes[i] === 45) {
    negative = true;
    i++;
  } else if (bytes[i] === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < to) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) break;
    any = true;
    if (digits < 15) {
      mantissa = mantissa * 10 + d;
      if (mantissa > 0) digits++;
    } else scale++;
    i++;
  }
  if (i < to && bytes[i] === 46) {
    i++;
    while (i < to) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      any = true;
      if (digits < 15) {
        mantissa = mantissa * 10 + d;
        if (mantissa > 0) digits++;
        scale--;
      }
      i++;
    }
  }
  if (!any) return undefined;
  if (i < to && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (bytes[i] === 45) {
      expNegative = true;
      i++;
    } else if (bytes[i] === 43) i++;
    let exponent = 0;
    let expDigits = 0;
    while (i < to) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
      expDigits++;
      i++;
    }
    if (expDigits === 0) return undefined;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== to) return undefined;
  let value: number;
  // Exact fast path (Clinger): mantissa < 2^53 and |scale| ≤ 22 gives a correctly rounded result.
  if (digits < 15 && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
  } else {
    value = Number(latin1(bytes, from, to));
  }
  return negative && value !== 0 ? -value : negative ? -0 : value;
}

/** Reads `count` ASCII digits at `at`, or -1. */
function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const d = bytes[at + i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Fast path for "h:mm:ss[.fff]" (any number of hour digits); undefined for anything else. */
function clockBytes(bytes: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  let hours = 0;
  while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) hours = hours * 10 + bytes[i++]! - 48;
  if (i === from || bytes[i] !== 58 || bytes[i + 3] !== 58 || i + 6 > to) return undefined;
  const minutes = digits(bytes, i + 1, 2);
  const seconds = digits(bytes, i + 4, 2);
  if (minutes < 0 || seconds < 0) return undefined;
  let value = hours * 3600 + minutes * 60 + seconds;
  i += 6;
  if (i < to) {
    if (bytes[i] !== 46) return undefined;
    const fraction = parseNumberBytes(bytes, i, to);
    if (fraction === undefined || Number.isNaN(fraction)) return undefined;
    value += fraction;
  }
  return value;
}

/** Fast path for "YYYY-MM-DD hh:mm:ss" (19 bytes, optional .fff) → seconds since 1970 on that clock. */
function isoDateBytes(bytes: Uint8Array, from: number, to: number): number | undefined {
  if (to - from < 19 || bytes[from + 4] !== 45 || bytes[from + 7] !== 45 || bytes[from + 13] !== 58)
    return undefined;
  const year = digits(bytes, from, 4);
  const month = digits(bytes, from + 5, 2);
  const day = digits(bytes, from + 8, 2);
  const hour = digits(bytes, from + 11, 2);
  const minute = digits(bytes, from + 14, 2);
  const second = digits(bytes, from + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || minute < 0 || second < 0) {
    return undefined;
  }
  let value = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  if (to > from + 19) {
    if (bytes[from + 19] !== 46) return undefined;
    const fraction = parseNumberBytes(bytes, from + 19, to);
    if (fraction === undefined || Number.isNaN(fraction)) return undefined;
    value += fraction;
  }
  return value;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** "[d-]hh:mm:ss[.fff]" or seconds; undefined when it is neither. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return Number.NaN;
  const m = /^(?:(\d+)[-d]\s*)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)$/.exec(t);
  if (m) return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Wall-clock date-time text (or POSIX seconds) → seconds since 1970 on that clock; undefined if neither. */
export function parseDateTime(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return Number.NaN;
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?$/.exec(t);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, Number(m[6] ?? 0));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*(AM|PM)?$/i.exec(t);
  if (m) {
    let hour = +m[4]!;
    const half = m[7]?.toUpperCase();
    if (half === 'PM' && hour < 12) hour += 12;
    if (half === 'AM' && hour === 12) hour = 0;
    return utc(+m[3]!, +m[1]!, +m[2]!, hour, +m[5]!, Number(m[6] ?? 0));
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second >= 61)
    return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, 0) / 1000 + second;
}

/**
 * Reads the data lines of a delimited table starting at byte `start` (just after the header line).
 * `kinds[c]` says how to read column c; lines with more fields than columns are an error, shorter
 * lines (a trailing partial line) are too, except a final blank line.
 */
export function readDelimitedColumns(
  bytes: Uint8Array,
  start: number,
  delimiter: number,
  names: readonly string[],
  kinds: readonly ColumnKind[],
  fileName: string,
  guard: ParseGuard,
  firstLineNumber: number,
): DelimitedColumn[] {
  const estimate = Math.max(16, Math.ceil((bytes.length - start) / Math.max(16, names.length * 8)));
  const columns: ColumnState[] = names.map((name, c) => {
    const kind = kinds[c] ?? 'auto';
    return {
      name,
      kind,
      numbers: kind === 'text' ? null : new Float64Builder(estimate),
      texts: kind === 'text' ? [] : null,
    };
  });
  const width = columns.length;
  const textCache = new Map<string, string>();
  const fail = (line: number, message: string): never => {
    throw new ElyteError('malformed', message, { file: fileName, where: `line ${line}` });
  };
  let line = firstLineNumber;
  let at = start;
  const end = bytes.length;
  while (at < end) {
    // Skip a blank line (including the CR of CRLF).
    if (bytes[at] === 10 || (bytes[at] === 13 && bytes[at + 1] === 10)) {
      at += bytes[at] === 13 ? 2 : 1;
      line++;
      continue;
    }
    let c = 0;
    let fieldStart = at;
    let quoted = false;
    for (;;) {
      // Fast path: a numeric column whose field is a plain number is parsed while it is scanned.
      const column = columns[c];
      if (at === fieldStart && column?.numbers) {
        const stop = scanNumberField(bytes, at, end, delimiter);
        if (stop >= 0) {
          column.numbers.push(scanned);
          c++;
          const t = stop < end ? bytes[stop]! : 10;
          if (t === delimiter) {
            at = stop + 1;
            fieldStart = at;
            continue;
          }
          at = t === 13 && bytes[stop + 1] === 10 ? stop + 2 : stop + 1;
          if (t === 13 && stop + 1 < end && bytes[stop + 1] !== 10) at = stop + 1;
          break;
        }
      }
      const b = at < end ? bytes[at]! : 10;
      if (b === 34 && at === fieldStart) quoted = true;
      if (quoted) {
        // Slow path for a quoted field: find its closing quote, then the delimiter.
        let close = at + 1;
        for (;;) {
          close = bytes.indexOf(34, close);
          if (close < 0) fail(line, 'a quoted field is never closed');
          if (bytes[close + 1] === 34) close += 2;
          else break;
        }
        const text = new TextDecoder().decode(bytes.subarray(fieldStart + 1, close)).replaceAll('""', '"');
        if (c >= width) fail(line, `has more fields than the ${width} header columns`);
        storeText(columns[c]!, text, line, fail);
        c++;
        at = close + 1;
        quoted = false;
        const next = at < end ? bytes[at]! : 10;
        if (next === delimiter) {
          at++;
          fieldStart = at;
          continue;
        }
        if (next === 13) at++;
        if (at < end && bytes[at] !== 10) fail(line, 'unexpected text after a closing quote');
        at++;
        break;
      }
      if (b !== delimiter && b !== 10) {
        at++;
        continue;
      }
      if (c >= width) fail(line, `has more fields than the ${width} header columns`);
      storeField(columns[c]!, bytes, fieldStart, at, line, textCache, fail);
      c++;
      at++;
      if (b === 10) break;
      fieldStart = at;
    }
    if (c < width) {
      // Only a last line that ends the file early (a truncated export) gets here.
      fail(line - 0, `has ${c} fields but the header has ${width}; the file looks truncated or damaged`);
    }
    line++;
    if ((line & 4095) === 0) guard.check(at / end);
  }
  return columns.map((column) => ({
    name: column.name,
    kind: column.kind,
    values: column.texts ?? column.numbers!.finish(),
  }));
}

/** Value of the last scanNumberField that succeeded (a module slot avoids allocating a result). */
let scanned = 0;

/**
 * Parses a plain number starting at `from` up to the next delimiter, CR, LF or the end, in one pass.
 * Returns the terminator's position and sets `scanned`, or -1 when the field is anything else (the
 * caller then takes the general path). An empty field is NaN (a missing value).
 */
function scanNumberField(bytes: Uint8Array, from: number, end: number, delimiter: number): number {
  let i = from;
  let b = i < end ? bytes[i]! : 10;
  if (b === delimiter || b === 10 || b === 13) {
    scanned = Number.NaN;
    return i;
  }
  let negative = false;
  if (b === 45 || b === 43) {
    negative = b === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  for (; i < end; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) break;
    any = true;
    if (digits < 15) {
      mantissa = mantissa * 10 + d;
      if (mantissa > 0) digits++;
    } else scale++;
  }
  if (i < end && bytes[i] === 46) {
    for (i++; i < end; i++) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      any = true;
      if (digits < 15) {
        mantissa = mantissa * 10 + d;
        if (mantissa > 0) digits++;
        scale--;
      }
    }
  }
  if (!any) return -1;
  b = i < end ? bytes[i]! : 10;
  if (b === 101 || b === 69) {
    i++;
    let expNegative = false;
    if (bytes[i] === 45 || bytes[i] === 43) {
      expNegative = bytes[i] === 45;
      i++;
    }
    let exponent = 0;
    const expStart = i;
    for (; i < end; i++) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
    }
    if (i === expStart || exponent > 400) return -1;
    scale += expNegative ? -exponent : exponent;
    b = i < end ? bytes[i]! : 10;
  }
  if (b !== delimiter && b !== 10 && b !== 13) return -1;
  // Exact only within Clinger's fast path; otherwise let the general path use Number().
  if (digits >= 15 || scale < -22 || scale > 22) return -1;
  const value = scale < 0 ? mantissa / POW10[-scale]! : mantissa * POW10[scale]!;
  scanned = negative ? -value : value;
  return i;
}

function storeField(
  column: ColumnState,
  bytes: Uint8Array,
  from: number,
  to: number,
  line: number,
  cache: Map<string, string>,
  fail: (line: number, message: string) => never,
): void {
  if (to > from && bytes[to - 1] === 13) to--;
  // Plain numbers are valid in every non-text kind (seconds for durations, POSIX seconds for dates).
  if (column.numbers) {
    const value =
      column.kind === 'duration'
        ? clockBytes(bytes, from, to)
        : column.kind === 'datetime'
          ? isoDateBytes(bytes, from, to)
          : undefined;
    const number = value ?? parseNumberBytes(bytes, from, to);
    if (number !== undefined) {
      column.numbers.push(number);
      return;
    }
  }
  let text: string;
  if (to - from <= 24) {
    let ascii = true;
    for (let i = from; i < to; i++) if (bytes[i]! > 127) ascii = false;
    const key = ascii ? latin1(bytes, from, to) : new TextDecoder().decode(bytes.subarray(from, to));
    text = cache.get(key) ?? key;
    if (cache.size < 4096) cache.set(key, text);
  } else {
    text = new TextDecoder().decode(bytes.subarray(from, to));
  }
  storeText(column, text, line, fail);
}

function storeText(
  column: ColumnState,
  text: string,
  line: number,
  fail: (line: number, message: string) => never,
): void {
  switch (column.kind) {
    case 'text':
      column.texts!.push(text);
      return;
    case 'duration':
    case 'datetime': {
      const value = column.kind === 'duration' ? parseDuration(text) : parseDateTime(text);
      if (value === undefined)
        fail(
          line,
          `column "${column.name}": "${text}" is not a ${column.kind === 'duration' ? 'duration' : 'date and time'}`,
        );
      column.numbers!.push(value ?? Number.NaN);
      return;
    }
    case 'number': {
      const value = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value) && text.trim() !== '')
        fail(line, `column "${column.name}": "${text}" is not a number`);
      column.numbers!.push(value);
      return;
    }
    case 'auto': {
      const value = Number(text);
      if (text.trim() !== '' && Number.isFinite(value)) {
        column.numbers!.push(value);
        return;
      }
      if (text.trim() === '') {
        column.numbers!.push(Number.NaN);
        return;
      }
      // A text value in an unmapped column: it was a text column all along.
      const previous = column.numbers!.finish();
      column.texts = Array.from(previous, (v) => (Number.isNaN(v) ? '' : String(v)));
      column.texts.push(text);
      column.numbers = null;
      column.kind = 'text';
    }
  }
}

/** Byte offset just after the first line (and the line as text), or null when there is no newline. */
export function firstLine(bytes: Uint8Array, from = 0): { text: string; next: number } | null {
  const nl = bytes.indexOf(10, from);
  if (nl < 0) return null;
  const end = nl > from && bytes[nl - 1] === 13 ? nl - 1 : nl;
  let start = from;
  if (bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
  return { text: new TextDecoder().decode(bytes.subarray(start, end)), next: nl + 1 };
}
