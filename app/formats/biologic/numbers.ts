/**
 * Decimal numbers read straight from bytes, as EC-Lab writes them ("1.2345678E-003",
 * "-3.640213997266856E-002", "0,0000000E+000" in decimal-comma locales, "41").
 *
 * Number(string) per field costs a string allocation plus a generic parse; for a 100 MB export that is
 * most of the time. The fast path here accumulates the digits into an exact integer mantissa and applies
 * the power of ten in one IEEE operation (Clinger's fast path), which is correctly rounded, so the result
 * is bit-identical to Number(). Anything outside that path (17+ significant digits, |exponent| > 22,
 * spaces, odd characters) goes through the careful path, which validates the text and calls Number().
 */

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_POW_53 = 2 ** 53;

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
 * Scans one number starting at `start` and stopping at the first tab, CR, LF or `limit`.
 * Writes where it stopped into `end.at`, returns the value, or NaN when the field is not a plain
 * decimal number (empty, text, hex, "Infinity"…). Decimal point and decimal comma both work.
 */
export function scanNumber(bytes: Uint8Array, start: number, limit: number, end: { at: number }): number {
  let i = start;
  let b = i < limit ? bytes[i]! : -1;
  let negative = false;
  if (b === 45 /* - */ || b === 43 /* + */) {
    negative = b === 45;
    b = ++i < limit ? bytes[i]! : -1;
  }
  let mantissa = 0;
  let pendingZeros = 0;
  let digits = 0;
  let fractionDigits = 0;
  let exact = true;
  // Integer part.
  while (b >= 48 && b <= 57) {
    digits++;
    const d = b - 48;
    if (d === 0) {
      if (mantissa !== 0) pendingZeros++;
    } else {
      if (pendingZeros > 21) exact = false;
      else mantissa = mantissa * POW10[pendingZeros + 1]! + d;
      pendingZeros = 0;
    }
    b = ++i < limit ? bytes[i]! : -1;
  }
  // Zeros at the end of the integer part scale the mantissa up.
  let exponent = pendingZeros;
  pendingZeros = 0;
  if (b === 46 /* . */ || b === 44 /* , */) {
    b = ++i < limit ? bytes[i]! : -1;
    if (exponent > 0) {
      // "100.5": the integer zeros become part of the mantissa before fraction digits append.
      if (exponent > 21) exact = false;
      else mantissa *= POW10[exponent]!;
      exponent = 0;
    }
    while (b >= 48 && b <= 57) {
      digits++;
      fractionDigits++;
      const d = b - 48;
      if (d === 0) {
        if (mantissa !== 0) pendingZeros++;
      } else {
        if (pendingZeros > 21) exact = false;
        else mantissa = mantissa * POW10[pendingZeros + 1]! + d;
        pendingZeros = 0;
      }
      b = ++i < limit ? bytes[i]! : -1;
    }
    // Trailing fraction zeros ("1.500000E+000") do not enter the mantissa.
    exponent = pendingZeros - fractionDigits;
  }
  if (digits === 0) return careful(bytes, start, limit, end);
  if (b === 69 /* E */ || b === 101 /* e */) {
    b = ++i < limit ? bytes[i]! : -1;
    let expNegative = false;
    if (b === 45 || b === 43) {
      expNegative = b === 45;
      b = ++i < limit ? bytes[i]! : -1;
    }
    let explicit = 0;
    let expDigits = 0;
    while (b >= 48 && b <= 57) {
      if (expDigits < 6) explicit = explicit * 10 + (b - 48);
      expDigits++;
      b = ++i < limit ? bytes[i]! : -1;
    }
    if (expDigits === 0 || expDigits > 5) return careful(bytes, start, limit, end);
    exponent += expNegative ? -explicit : explicit;
  }
  if (b !== -1 && b !== TAB && b !== LF && b !== CR) return careful(bytes, start, limit, end);
  end.at = i;
  if (mantissa === 0) return negative ? -0 : 0;
  // At 2^53 an inexact intermediate may have rounded down onto the limit, so the limit itself falls back.
  if (!exact || mantissa >= TWO_POW_53) return validText(bytes, start, i);
  let value: number;
  if (exponent >= 0) {
    if (exponent > 22) return validText(bytes, start, i);
    value = mantissa * POW10[exponent]!;
  } else {
    if (exponent < -22) return validText(bytes, start, i);
    value = mantissa / POW10[-exponent]!;
  }
  return negative ? -value : value;
}

/**
 * The fast path already checked the syntax but cannot round this one exactly (17+ digits, or an
 * exponent past ±22): let Number() do it on the field's text, built in one call.
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
