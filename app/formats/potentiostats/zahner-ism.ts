/**
 * Zahner Thales / Zahner Analysis .ism impedance spectra (binary, big-endian), layout as documented by
 * Zahner's own zahner_analysis package: a 6-byte version, a 6-byte (N − 1), then N float64 frequencies
 * (Hz), N float64 |Z| (Ω), N float64 phases (rad), N float64 timestamps (s since 1980-01-01), N int16
 * significances, then length-prefixed strings with swapped letter case (date DDMMYY, system, voltage,
 * current, temperature, time window, four comment lines) and an acquisition block we do not need.
 *
 * A Thales sweep starts at a middle frequency, runs to one end, jumps back and runs to the other end, so
 * its first points overlap the second branch. Like Zahner Analysis, the measurement is the largest
 * non-overlapping range (between the highest and the lowest frequency), in measured order; the dropped
 * overlap is reported in a warning.
 */
import type { FormatReader, Measurement, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { requireBytes } from '../text';
import { type Channels, completeImpedance, fail, isoLocal } from './shared';

const HEADER_BYTES = 12;
/** Thales versions seen in the field are small negative numbers in a signed 6-byte integer. */
const MAX_SAMPLES = 10_000_000;
const SECONDS_1970_TO_1980 = 315_532_800;

function readInt48(view: DataView, offset: number): number {
  const high = view.getInt16(offset, false);
  const low = view.getUint32(offset + 2, false);
  return high * 2 ** 32 + low;
}

class Cursor {
  constructor(
    private readonly view: DataView,
    public offset: number,
    private readonly fileName: string,
  ) {}

  /** Zahner strings: int16 length, ASCII bytes with swapped case. */
  string(what: string): string {
    if (this.offset + 2 > this.view.byteLength) {
      fail(
        'truncated',
        `the file ends before the ${what} text; it looks truncated`,
        this.fileName,
        `byte ${this.offset}`,
      );
    }
    const length = this.view.getInt16(this.offset, false);
    this.offset += 2;
    if (length < 0 || this.offset + length > this.view.byteLength) {
      fail(
        length < 0 ? 'malformed' : 'truncated',
        `the ${what} text claims ${length} bytes, which the file does not have`,
        this.fileName,
        `byte ${this.offset - 2}`,
      );
    }
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(this.view.getUint8(this.offset + i));
    this.offset += length;
    return swapCase(text);
  }
}

function swapCase(text: string): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    out += c === lower ? c.toUpperCase() : lower;
  }
  return out;
}

export interface IsmSpectrum {
  version: number;
  /** Every stored sample, in measured order (including the overlapping start of the sweep). */
  frequency_Hz: Float64Array;
  z_mod_ohm: Float64Array;
  phase_rad: Float64Array;
  /** Seconds since 1980-01-01 (Thales' epoch). */
  timestamp_s: Float64Array;
  significance: Float64Array;
  /** Date (DDMMYY), system, voltage, current, temperature, time window and comment texts. */
  texts: Record<string, string>;
}

/** Decodes every sample and the text block of an .ism file. */
export function decodeIsm(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): IsmSpectrum {
  const guard = new ParseGuard(fileName, options);
  requireBytes(bytes, HEADER_BYTES, fileName, 'the .ism header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = readInt48(view, 0);
  const n = readInt48(view, 6) + 1;
  if (n < 1 || n > MAX_SAMPLES) {
    fail('malformed', `the header gives ${n} samples, which is not a plausible spectrum`, fileName, 'byte 6');
  }
  const arraysEnd = HEADER_BYTES + n * (8 * 4 + 2);
  requireBytes(bytes, arraysEnd, fileName, `${n} samples`);
  const frequency = new Float64Array(n);
  const modulus = new Float64Array(n);
  const phaseRad = new Float64Array(n);
  const stamp = new Float64Array(n);
  const significance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    frequency[i] = view.getFloat64(HEADER_BYTES + 8 * i, false);
    modulus[i] = view.getFloat64(HEADER_BYTES + 8 * (n + i), false);
    phaseRad[i] = view.getFloat64(HEADER_BYTES + 8 * (2 * n + i), false);
    stamp[i] = view.getFloat64(HEADER_BYTES + 8 * (3 * n + i), false);
    significance[i] = view.getInt16(HEADER_BYTES + 32 * n + 2 * i, false);
    guard.tick(i / n);
  }
  for (let i = 0; i < n; i++) {
    const f = frequency[i]!;
    const z = modulus[i]!;
    const p = phaseRad[i]!;
    if (
      !(f > 0 && f < 1e12) ||
      !(z >= 0 && Number.isFinite(z)) ||
      !(Math.abs(p) <= 2 * Math.PI) ||
      !Number.isFinite(stamp[i])
    ) {
      fail(
        'malformed',
        `sample ${i + 1} is not a plausible impedance point (f=${f} Hz, |Z|=${z} Ω, phase=${p} rad)`,
        fileName,
      );
    }
  }
  const cursor = new Cursor(view, arraysEnd, fileName);
  const texts: Record<string, string> = {};
  for (const label of TEXT_LABELS) texts[label] = cursor.string(label);
  return {
    version,
    frequency_Hz: frequency,
    z_mod_ohm: modulus,
    phase_rad: phaseRad,
    timestamp_s: stamp,
    significance,
    texts,
  };
}

const TEXT_LABELS = [
  'date',
  'system',
  'voltage',
  'current',
  'temperature',
  'time window',
  'comment 1',
  'comment 2',
  'comment 3',
  'comment 4',
];

function parseIsm(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const spectrum = decodeIsm(bytes, fileName, options);
  const {
    frequency_Hz: frequency,
    z_mod_ohm: modulus,
    phase_rad: phaseRad,
    timestamp_s: stamp,
    significance,
  } = spectrum;
  const n = frequency.length;
  const extra: Record<string, string> = {
    version: String(spectrum.version),
    samples: String(n),
    ...spectrum.texts,
  };

  // The range between the extreme frequencies, as Zahner Analysis returns it.
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < n; i++) {
    if (frequency[i]! < frequency[lo]!) lo = i;
    if (frequency[i]! > frequency[hi]!) hi = i;
  }
  const from = Math.min(lo, hi);
  const to = Math.max(lo, hi) + 1;
  const pick = (values: Float64Array) => values.slice(from, to);
  const phaseDeg = pick(phaseRad).map((p) => (p * 180) / Math.PI);
  const times = pick(stamp);
  const channels: Channels = {
    frequency_Hz: pick(frequency),
    z_mod_ohm: pick(modulus),
    z_phase_deg: phaseDeg,
    time_s: Float64Array.from(times, (t) => Math.abs(t)),
  };
  completeImpedance(channels);
  const warnings: string[] = [];
  if (from > 0 || to < n) {
    warnings.push(
      `${n - (to - from)} of ${n} samples overlap the main sweep (the start of a Thales sweep) and were left out, as Zahner Analysis does`,
    );
  }
  const metadata: Measurement['metadata'] = { extra, instrument: 'Zahner' };
  if (extra.system) metadata.instrument = `Zahner ${extra.system}`;
  const firstStamp = Math.abs(times[0]!);
  const start = new Date((firstStamp + SECONDS_1970_TO_1980) * 1000);
  if (Number.isFinite(start.getTime())) {
    const iso = isoLocal(
      start.getUTCFullYear(),
      start.getUTCMonth() + 1,
      start.getUTCDate(),
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds() + start.getUTCMilliseconds() / 1000,
    );
    if (iso) metadata.startTime = iso;
  }
  const temperature = /^\s*(-?\d+(?:\.\d+)?)/.exec(extra.temperature ?? '');
  // Thales writes about 0 °C when no temperature probe is connected: only a real reading becomes metadata
  // (the text stays in extra either way).
  const celsius = temperature && /c\s*$/i.test(extra.temperature ?? '') ? Number(temperature[1]) : Number.NaN;
  if (Math.abs(celsius) >= 1) metadata.temperature_C = celsius;
  return finishMeasurement({
    format: 'zahner-ism',
    fileName,
    technique: 'EIS',
    kind: 'eis',
    channels,
    original: [
      { name: 'frequency', unit: 'Hz', values: pick(frequency) },
      { name: 'impedance', unit: 'Ω', values: pick(modulus) },
      { name: 'phase', unit: 'rad', values: pick(phaseRad) },
      { name: 'time stamp', unit: 's since 1980-01-01', values: times },
      { name: 'significance', unit: '', values: pick(significance) },
    ],
    metadata,
    warnings,
  });
}

export const zahnerIsmReader: FormatReader = {
  id: 'zahner-ism',
  label: 'Zahner Thales impedance spectrum (.ism)',
  extensions: ['ism'],
  sniff(head) {
    if (head.length < HEADER_BYTES + 8) return 0;
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const version = readInt48(view, 0);
    const n = readInt48(view, 6) + 1;
    // The version word is a small number (−2 written as an unsigned 32-bit value in the files we know).
    if (!(Math.abs(version) < 2 ** 33) || n < 2 || n > MAX_SAMPLES) return 0;
    const count = Math.min(n, Math.floor((head.length - HEADER_BYTES) / 8));
    if (count < 2) return 0;
    for (let i = 0; i < count; i++) {
      const f = view.getFloat64(HEADER_BYTES + 8 * i, false);
      if (!(f >= 1e-6 && f <= 1e9)) return 0;
    }
    // Frequencies that all look like frequencies over a few samples make a random match very unlikely.
    return count >= 4 ? 0.9 : 0.5;
  },
  parse: parseIsm,
};
