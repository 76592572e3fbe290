/**
 * Decimal numbers read straight from bytes, as instrument software writes them ("1.2345678E-003",
 * "-3.640213997266856E-002", "0,0000000E+000" in decimal-comma locales, "41", Gamry's "5.00012E-001").
 * Shared by the byte-level table readers (EC-Lab text, Gamry .DTA, NOVA ASCII).
 *
 * Number(string) per field costs a string allocation plus a generic parse; for a 100 MB export that is
 * most of the time. The fast path here accumulates the digits into an exact integer mantissa and applies
 * the power of ten in one IEEE operation (Clinger's fast path), which is correctly rounded, so the result
 * is bit-identical to Number(). Anything outside that path (a mantissa of 2^53 or more: 16 or more
 * digits, trailing zeros included; |exponent| > 22; spaces, odd characters) goes through Number() on the
 * field's text, validated first where the syntax was not plain.
 */

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_POW_53 = 2 ** 53;

/**
 * -1 for "-", 1 for "+", 0 for any other byte. One lookup and one compare whatever the sign: with
 * `b === 45 || b === 43` the second compare first runs at the first "+" (exponents are often all "-" for
 * thousands of rows), and the JIT throws its compiled code away there.
 */
const SIGN = new Int8Array(256);
SIGN[45] = -1;
SIGN[43] = 1;

const TAB = 9;
const LF = 10;
const CR = 13;

/** True for the bytes that end a field in EC-Lab data (tab, CR, LF). */
export function isFieldEnd(byte: number): boolean {
  return byte === TAB || byte === LF || byte === CR;
}

/**
 * Where the field starting at `start` ends: the first tab, CR or LF at or after it, or `limit`.
 */
export function fieldEnd(bytes: Uint8Array, start: number, limit: number): number {
  let i = start;
  while (i < limit) {
    const b = bytes[i]!;
    if (b === TAB || b === LF || b === CR) break;
    i++;
  }
  return i;
}

/**
 * Scans the plain decimal number ([+-]digits[.digits][E[+-]digits]) that starts at `start`, stopping at
 * the first byte that cannot continue it or at `limit`; `comma` lets "," stand for the decimal point.
 * What follows the number is the caller's to judge, so one scanner serves tab-, semicolon- and
 * comma-separated tables. Returns where the number ends, having written its value to out[index]:
 * the exact value (Clinger's fast path, see the top of this file), or NaN when the syntax is plain but
 * the value cannot be rounded exactly here (mantissa past 2^53, exponent past ±22; Number() on the same
 * text gives it). Returns -1, writing nothing, when no plain decimal starts here (empty, text, hex,
 * "Infinity", 6+ exponent digits…).
 *
 * The value goes straight into the caller's column rather than being returned: a returned double is
 * boxed in a heap number per call, and a million fields would each leave one behind for the collector.
 */
export function scanDecimal(
  bytes: Uint8Array,
  start: number,
  limit: number,
  comma: boolean,
  out: Float64Array,
  index: number,
): number {
  let i = start;
  let b = i < limit ? bytes[i]! : -1;
  const sign = SIGN[b & 0xff]!;
  if (sign !== 0) b = ++i < limit ? bytes[i]! : -1;
  // Every digit, zeros included, goes into the mantissa: one multiply-add per digit is exact while the
  // mantissa stays below 2^53, and a short loop is compiled early (a 200k-row file is mostly warm-up).
  // Past 2^53 the mantissa only grows, so the check at the end catches any rounding on the way.
  let mantissa = 0;
  const first = i;
  while (b >= 48 && b <= 57) {
    mantissa = mantissa * 10 + (b - 48);
    b = ++i < limit ? bytes[i]! : -1;
  }
  let digits = i - first;
  let exponent = 0;
  if (b === 46 /* . */ || (comma && b === 44) /* , */) {
    b = ++i < limit ? bytes[i]! : -1;
    const fraction = i;
    while (b >= 48 && b <= 57) {
      mantissa = mantissa * 10 + (b - 48);
      b = ++i < limit ? bytes[i]! : -1;
    }
    digits += i - fraction;
    exponent = fraction - i;
  }
  if (digits === 0) return -1;
  if (b === 69 /* E */ || b === 101 /* e */) {
    b = ++i < limit ? bytes[i]! : -1;
    const expSign = SIGN[b & 0xff]!;
    if (expSign !== 0) b = ++i < limit ? bytes[i]! : -1;
    let explicit = 0;
    const expFirst = i;
    while (b >= 48 && b <= 57) {
      if (i - expFirst < 6) explicit = explicit * 10 + (b - 48);
      b = ++i < limit ? bytes[i]! : -1;
    }
    if (i === expFirst || i - expFirst > 5) return -1;
    exponent += expSign === 0 ? explicit : expSign * explicit;
  }
  // One store for every outcome: a store the JIT has not yet seen run (zeros are rare in some columns)
  // would throw its compiled code away the first time it does.
  let value = Number.NaN;
  if (mantissa === 0) {
    value = 0;
  } else if (mantissa < TWO_POW_53) {
    // 2^53 itself may be an inexact intermediate rounded down onto the limit, so it falls back too.
    if (exponent >= 0) {
      if (exponent <= 22) value = mantissa * POW10[exponent]!;
    } else if (exponent >= -22) {
      value = mantissa / POW10[-exponent]!;
    }
  }
  // sign × value, not -value: a multiply the JIT has seen for "+" works for the first "-" too.
  out[index] = sign === 0 ? value : sign * value;
  return i;
}

/** Where scanNumber's fast path leaves its value (see scanDecimal). */
const scanned = new Float64Array(1);

/**
 * Scans one number starting at `start` and stopping at the first tab, CR, LF or `limit`.
 * Writes where it stopped into `end.at`, returns the value, or NaN when the field is not a plain
 * decimal number (empty, text, hex, "Infinity"…). Decimal point and decimal comma both work.
 */
export function scanNumber(bytes: Uint8Array, start: number, limit: number, end: { at: number }): number {
  const stop = scanDecimal(bytes, start, limit, true, scanned, 0);
  if (stop < 0 || (stop < limit && !isFieldEnd(bytes[stop]!))) return careful(bytes, start, limit, end);
  end.at = stop;
  const value = scanned[0]!;
  return Number.isNaN(value) ? validText(bytes, start, stop) : value;
}

/**
 * The fast path already checked the syntax but cannot round this one exactly (a mantissa past 2^53, or
 * an exponent past ±22): let Number() do it on the field's text, built in one call.
 */
function validText(bytes: Uint8Array, start: number, stop: number): number {
  const text = String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]);
  return Number(text.includes(',') ? text.replace(',', '.') : text);
}

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The slow, strict path: text of the field (comma → point, trimmed), validated, then Number(). */
function careful(bytes: Uint8Array, start: number, limit: number, end: { at: number }): number {
  const stop = fieldEnd(bytes, start, limit);
  end.at = stop;
  let text = '';
  for (let k = start; k < stop; k++) {
    const c = bytes[k]!;
    text += c === 44 ? '.' : String.fromCharCode(c);
  }
  text = text.trim();
  return PLAIN_DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** Parses a whole string the same way (for header values and tests). */
export function parseDecimal(text: string): number {
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    bytes[k] = code < 256 ? code : 63;
  }
  const end = { at: 0 };
  const value = scanNumber(bytes, 0, bytes.length, end);
  return end.at === bytes.length ? value : Number.NaN;
}
