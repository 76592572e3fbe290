/**
 * Two small CSV layouts that carry no instrument banner, recognised by their exact shape:
 * - Pine Research AfterMath CSV export: a column line `Segment,Potential (V),Current (A)[,Time (s)…]`
 *   (optionally after a short preamble naming AfterMath), one row per point, the sweep segment first.
 * - impedance.py's plain spectrum CSV: no header, exactly three numeric columns f (Hz), Re Z (Ω),
 *   Im Z (Ω) with Im negative for capacitive points (impedance.py's readCSV convention).
 */
import type { FormatReader, Measurement, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, splitFields, splitLines, TextLines } from '../text';
import {
  type Channels,
  completeImpedance,
  fail,
  requireFinite,
  scaled,
  siFactor,
  splitNameUnit,
} from './shared';
import { readRows, splitQuoted, TableBuilder } from './table';

// ---------- Pine AfterMath ----------

function isPineHeader(line: string): boolean {
  const fields = splitFields(line, ',').map((f) => f.trim().toLowerCase());
  return (
    fields[0] === 'segment' &&
    fields.some((f) => /^potential \(/.test(f)) &&
    fields.some((f) => /^current \(/.test(f))
  );
}

function parsePine(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const headerLine = lines.find(isPineHeader);
  if (headerLine === undefined)
    fail('malformed', 'no "Segment,Potential (V),Current (A)" column line', fileName);
  const header = lines.number - 1;
  const headers = splitFields(headerLine, ',').map((h) => splitNameUnit(h));
  const table = new TableBuilder(
    headers.map((h) => h.name),
    headers.map((h) => h.unit),
    false,
    lines.countAhead(),
  );
  readRows(lines, table, splitQuoted(','), fileName, guard);
  const original = table.columns();
  const channels: Channels = {};
  for (const column of original) {
    if (!(column.values instanceof Float64Array)) continue;
    const name = column.name.toLowerCase();
    const si = siFactor(column.unit);
    if (name === 'segment') channels.half_cycle = scaled(column.values, 1);
    else if (name === 'potential' && si?.base === 'V') channels.voltage_V = scaled(column.values, si.factor);
    else if (name === 'current' && si?.base === 'A') channels.current_A = scaled(column.values, si.factor);
    else if (name === 'time' && si?.base === 's') channels.time_s = scaled(column.values, si.factor);
  }
  requireFinite(channels, fileName);
  const extra: Record<string, string> = {};
  lines.head(header).forEach((l, i) => {
    if (l.trim()) extra[`header line ${i + 1}`] = l.trim();
  });
  const segments = new Set(channels.half_cycle ?? []).size;
  // AfterMath writes one segment per sweep direction: several segments of a potential sweep is a CV.
  const draft = {
    format: 'pine-aftermath-csv',
    fileName,
    channels,
    original,
    metadata: { extra, instrument: 'Pine Research' },
  };
  return finishMeasurement(segments > 1 ? { ...draft, technique: 'CV', kind: 'voltammetry' } : draft);
}

export const pineAftermathReader: FormatReader = {
  id: 'pine-aftermath-csv',
  label: 'Pine Research AfterMath CSV',
  extensions: ['csv'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const text = headText(head, 4096);
    const lines = splitLines(text).slice(0, 15);
    if (!lines.some(isPineHeader)) return 0;
    return /aftermath|pine research/i.test(text) ? 0.9 : 0.6;
  },
  parse: parsePine,
};

// ---------- impedance.py 3-column CSV ----------

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * True when every complete line is three numbers and the first column is a frequency sweep: positive,
 * monotone, log-spaced (steps by a near-constant ratio of at least 1 %, whereas a headerless time series
 * steps by a constant difference, so its ratios shrink towards 1), spanning a decade or more.
 */
function looksLikeSpectrumCsv(lines: string[]): boolean {
  const rows = lines.filter((l) => l.trim() !== '');
  if (rows.length < 5) return false;
  let direction = 0;
  let previous = Number.NaN;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  let smallestStep = Number.POSITIVE_INFINITY;
  let largestStep = 0;
  for (const row of rows) {
    const fields = row.split(',');
    if (fields.length !== 3 || !fields.every((f) => NUMBER.test(f))) return false;
    const f = Number(fields[0]);
    if (!(f > 0)) return false;
    if (Number.isFinite(previous)) {
      const ratio = f / previous;
      const step = ratio > 1 ? 1 : -1;
      const logStep = Math.abs(Math.log(ratio));
      if (logStep < Math.log(1.01) || (direction !== 0 && step !== direction)) return false;
      direction = step;
      smallestStep = Math.min(smallestStep, logStep);
      largestStep = Math.max(largestStep, logStep);
    }
    previous = f;
    lo = Math.min(lo, f);
    hi = Math.max(hi, f);
  }
  return hi / lo >= 10 && largestStep <= 3 * smallestStep;
}

function parseSpectrumCsv(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const table = new TableBuilder(['frequency', 'Re(Z)', 'Im(Z)'], ['Hz', 'Ω', 'Ω'], false);
  for (let line = lines.next(); line !== undefined; line = lines.next()) {
    guard.tick(lines.fraction());
    if (line.trim() === '') continue;
    const fields = line.split(',');
    if (fields.length !== 3 || !fields.every((f) => NUMBER.test(f))) {
      const last = lines.restIsBlank();
      fail(
        last && fields.length < 3 ? 'truncated' : 'malformed',
        `expected three numbers (frequency, Re Z, Im Z), found "${line.slice(0, 60)}"`,
        fileName,
        `line ${lines.number}`,
      );
    }
    table.push(fields);
  }
  const original = table.columns();
  const [f, re, im] = original.map((c) => c.values as Float64Array);
  const channels: Channels = {
    frequency_Hz: scaled(f!, 1),
    z_real_ohm: scaled(re!, 1),
    z_imag_ohm: scaled(im!, 1),
  };
  if (channels.frequency_Hz!.some((v) => !(v > 0)))
    fail('malformed', 'a frequency is zero or negative', fileName);
  completeImpedance(channels);
  requireFinite(channels, fileName);
  return finishMeasurement({
    format: 'impedance-csv',
    fileName,
    technique: 'EIS',
    kind: 'eis',
    channels,
    original,
    metadata: { extra: {} },
  });
}

export const impedanceCsvReader: FormatReader = {
  id: 'impedance-csv',
  label: 'Impedance spectrum CSV (frequency, Re Z, Im Z; no header)',
  extensions: ['csv', 'txt'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 16384));
    // The sample may end mid-line: judge complete lines only.
    if (head.length >= 16384) lines.pop();
    return looksLikeSpectrumCsv(lines.slice(0, 400)) ? 0.6 : 0;
  },
  parse: parseSpectrumCsv,
};
