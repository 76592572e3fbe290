/**
 * JSON over the loopback HTTP transport: byte arrays travel as {"$bytes": base64} and typed arrays of
 * numbers as plain arrays, so the same contract serves IPC (structured clone) and HTTP (JSON).
 */
import type { ErrorInfo } from '../errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    let out = '';
    const end = Math.min(bytes.length, start + chunk);
    for (let i = start; i < end; i += 3) {
      const a = bytes[i]!;
      const b = i + 1 < end ? bytes[i + 1]! : 0;
      const c = i + 2 < end ? bytes[i + 2]! : 0;
      const triple = (a << 16) | (b << 8) | c;
      out += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
      out += i + 1 < end ? ALPHABET[(triple >> 6) & 63]! : '=';
      out += i + 2 < end ? ALPHABET[triple & 63]! : '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+$/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const value = code < 128 ? LOOKUP[code]! : 255;
    if (value === 255) throw new Error(`invalid base64 character at ${i}`);
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
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
