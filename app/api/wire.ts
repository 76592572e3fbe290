/**
 * JSON over the loopback HTTP transport: byte arrays travel as {"$bytes": base64} and typed arrays of
 * numbers as plain arrays, so the same contract serves IPC (structured clone) and HTTP (JSON).
 */
import type { ErrorInfo } from '../errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Base64 of file bytes. Written into a byte buffer and decoded once (no string concatenation per
 * character), so a 60 MB file encodes in well under a second in a browser or in Node.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const codes = new Uint8Array(ALPHABET.length);
  for (let i = 0; i < ALPHABET.length; i++) codes[i] = ALPHABET.charCodeAt(i);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = codes[(triple >> 18) & 63]!;
    out[o++] = codes[(triple >> 12) & 63]!;
    out[o++] = codes[(triple >> 6) & 63]!;
    out[o++] = codes[triple & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const a = bytes[whole]!;
    const b = rest === 2 ? bytes[whole + 1]! : 0;
    const triple = (a << 16) | (b << 8);
    out[o++] = codes[(triple >> 18) & 63]!;
    out[o++] = codes[(triple >> 12) & 63]!;
    out[o++] = rest === 2 ? codes[(triple >> 6) & 63]! : 61; // '='
    out[o++] = 61;
  }
  // Decoded in slices: one giant TextDecoder call is fine, but slices keep peak memory lower.
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const slice = 1 << 24;
  for (let start = 0; start < out.length; start += slice)
    parts.push(decoder.decode(out.subarray(start, start + slice)));
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 61 || text.charCodeAt(end - 1) <= 32)) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  const sextet = (at: number): number => {
    const code = text.charCodeAt(at);
    const value = code < 128 ? LOOKUP[code]! : 255;
    if (value === 255) throw new Error(`invalid base64 character at ${at}`);
    return value;
  };
  for (; i + 4 <= end; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = end - i;
  if (rest === 1) throw new Error('invalid base64 length');
  if (rest >= 2) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (rest === 3 ? sextet(i + 2) << 6 : 0);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out.subarray(0, o);
}

/** JSON.stringify replacer: Uint8Array → {$bytes}, other typed arrays → number arrays. */
export function wireReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: bytesToBase64(value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** JSON.parse reviver: {$bytes} → Uint8Array. */
export function wireReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$bytes === 'string') return base64ToBytes(record.$bytes);
  }
  return value;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, wireReplacer);
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, wireReviver);
}
