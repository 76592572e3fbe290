/**
 * Helpers shared by the potentiostat readers: unit prefixes to SI factors, impedance completion (|Z| and
 * phase from Re/Im or the reverse), and dates. Delimited data tables are in table.ts.
 * Each reader still owns its layout; this file only holds what three or more readers need.
 */
import { ElyteError, type ErrorKind } from '../../errors';
import type { CanonicalChannel, OriginalColumn } from '../../measurement';

export type Channels = Partial<Record<CanonicalChannel, Float64Array>>;

export function fail(kind: ErrorKind, message: string, fileName: string, where?: string): never {
  throw new ElyteError(kind, message, where === undefined ? { file: fileName } : { file: fileName, where });
}

const PREFIX: Record<string, number> = {
  f: 1e-15,
  p: 1e-12,
  n: 1e-9,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
};

/** Base units we convert, by the spellings instruments use. */
const BASE: Record<string, string> = {
  v: 'V',
  a: 'A',
  s: 's',
  sec: 's',
  hz: 'Hz',
  ω: 'Ω',
  ohm: 'Ω',
  ohms: 'Ω',
  c: 'C',
};

/**
 * SI factor of a unit string ('mA' → 1e-3 A, 'kOhm' → 1e3 Ω, 'min' → 60 s), or undefined when the unit
 * is not one of V, A, s, Hz, Ω, C with a decimal prefix. Unknown units are kept as original columns only.
 */
export function siFactor(unit: string): { base: string; factor: number } | undefined {
  const u = unit.trim();
  if (u === 'min') return { base: 's', factor: 60 };
  if (u === 'h') return { base: 's', factor: 3600 };
  const direct = BASE[u.toLowerCase()];
  if (direct && u !== 'S' && u !== 'MV') return { base: direct, factor: 1 };
  for (const [prefix, factor] of Object.entries(PREFIX)) {
    if (prefix === '' || !u.startsWith(prefix)) continue;
    const rest = u.slice(prefix.length);
    const base = BASE[rest.toLowerCase()];
    // 'ms' is millisecond, 'mS' would be millisiemens: only lower-case s counts as seconds.
    if (base && !(rest === 'S')) return { base, factor };
  }
  return undefined;
}

/** "Potential (V)" → { name: "Potential", unit: "V" }; "Freq/Hz" style is handled by the CHI reader. */
export function splitNameUnit(header: string): { name: string; unit: string } {
  const match = /^(.*?)\s*[([]([^()[\]]*)[)\]]\s*$/.exec(header.trim());
  if (!match) return { name: header.trim(), unit: '' };
  return { name: match[1]!.trim(), unit: match[2]!.trim() };
}

/** Numeric column by exact name (first match), or undefined. */
export function numericColumn(columns: OriginalColumn[], name: string): Float64Array | undefined {
  const column = columns.find((c) => c.name === name);
  return column && column.values instanceof Float64Array ? column.values : undefined;
}

/**
 * A scaled copy (values × factor), or the same array when factor is 1: a channel in the file's own unit
 * shares the original column, as BioLogic's do (finishMeasurement copies time before rebasing it).
 */
export function scaled(values: Float64Array, factor: number): Float64Array {
  if (factor === 1) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}

/**
 * Fills |Z| and phase from Re/Im, or Re/Im from |Z| and phase (degrees), whichever pair is missing.
 * Imaginary parts are already in the capacitive-negative convention when this is called.
 */
export function completeImpedance(channels: Channels): void {
  const re = channels.z_real_ohm;
  const im = channels.z_imag_ohm;
  if (re && im) {
    if (!channels.z_mod_ohm) channels.z_mod_ohm = re.map((r, i) => Math.hypot(r, im[i]!));
    if (!channels.z_phase_deg)
      channels.z_phase_deg = re.map((r, i) => (Math.atan2(im[i]!, r) * 180) / Math.PI);
    return;
  }
  const mod = channels.z_mod_ohm;
  const phase = channels.z_phase_deg;
  if (mod && phase) {
    channels.z_real_ohm = mod.map((m, i) => m * Math.cos((phase[i]! * Math.PI) / 180));
    channels.z_imag_ohm = mod.map((m, i) => m * Math.sin((phase[i]! * Math.PI) / 180));
  }
}

/** Keeps only the rows where keep[i] is true, in every channel and original column. */
export function filterRows(
  channels: Channels,
  original: OriginalColumn[],
  keep: (row: number) => boolean,
  rows: number,
): { channels: Channels; original: OriginalColumn[] } {
  const index: number[] = [];
  for (let i = 0; i < rows; i++) if (keep(i)) index.push(i);
  const pick = (values: Float64Array): Float64Array => Float64Array.from(index, (i) => values[i]!);
  const outChannels: Channels = {};
  for (const [name, values] of Object.entries(channels) as [CanonicalChannel, Float64Array][]) {
    outChannels[name] = pick(values);
  }
  const outOriginal = original.map((column) => ({
    name: column.name,
    unit: column.unit,
    values:
      column.values instanceof Float64Array
        ? pick(column.values)
        : index.map((i) => column.values[i] as string),
  }));
  return { channels: outChannels, original: outOriginal };
}

/** "2018-04-23T16:43:15" from numbers, or undefined when they do not make a real date. */
export function isoLocal(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): string | undefined {
  if (![year, month, day, hour, minute, second].every(Number.isFinite)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second >= 61)
    return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, 0) + second * 1000);
  if (date.getUTCDate() !== day && second < 60) return undefined;
  return date
    .toISOString()
    .replace(/\.000Z$/, '')
    .replace(/Z$/, '');
}

/** Adds seconds to a local ISO time (no zone), keeping milliseconds when there are any. */
export function addSeconds(iso: string, seconds: number): string {
  const ms = Date.parse(`${iso}Z`) + seconds * 1000;
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, '')
    .replace(/Z$/, '');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month number from an English name or abbreviation ("Feb.", "July"), or NaN. */
export function monthFromName(name: string): number {
  const index = MONTHS.indexOf(name.trim().slice(0, 3).toLowerCase());
  return index < 0 ? Number.NaN : index + 1;
}

/** "16:43:15", "9:40:30 AM" → [h, m, s], or undefined. */
export function parseClock(text: string): [number, number, number] | undefined {
  const match = /(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*([AaPp][Mm])?/.exec(text);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const meridiem = match[4]?.toLowerCase();
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  return [hour, Number(match[2]), Number(match[3] ?? 0)];
}

/** Checks each canonical channel is finite; a NaN would silently poison every analysis downstream. */
export function requireFinite(channels: Channels, fileName: string): void {
  for (const [name, values] of Object.entries(channels)) {
    if (!values) continue;
    const row = firstNonFinite(values);
    if (row >= 0)
      fail('malformed', `channel ${name} has a non-numeric value in data row ${row + 1}`, fileName);
  }
}

/**
 * Index of the first NaN or infinity, or -1. One small function for every channel, so the JIT compiles
 * the loop once; v - v is 0 exactly for finite v, without a call per value while still unoptimised.
 */
function firstNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}
