/**
 * CH Instruments "Convert to Text" exports: a date line ("Feb. 20, 2020   15:55:08"), the technique
 * name ("A.C. Impedance", "Cyclic Voltammetry", "Amperometric i-t Curve", …), `Key: value` and
 * `Parameter (unit) = value` lines, then a column line written `Name/unit, Name/unit, …`, a blank line
 * and comma-separated rows. Z" is the imaginary part with its physical sign (negative = capacitive).
 */
import type { FormatReader, Measurement, ParseOptions, TechniqueKind } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, splitLines, TextLines } from '../text';
import {
  type Channels,
  completeImpedance,
  fail,
  isoLocal,
  monthFromName,
  parseClock,
  requireFinite,
  scaled,
  siFactor,
} from './shared';
import { readRows, TableBuilder } from './table';

const COMMA = 44;

const COLUMN_LINE = /^\s*(Freq|Potential|Time|Current|E)\/[^,]*,/i;

const KIND_BY_TECHNIQUE: [RegExp, TechniqueKind][] = [
  [/impedance/i, 'eis'],
  [/voltammetry|sweep|tafel/i, 'voltammetry'],
  [/amperometr|chronoamperometry|i-t/i, 'potentiostatic'],
  [/chronopotentiometry/i, 'galvanostatic'],
  [/open circuit/i, 'ocv'],
];

function channelFor(name: string, base: string | undefined): keyof Channels | undefined {
  const n = name.toLowerCase();
  if (n === 'freq') return 'frequency_Hz';
  if (n === "z'") return 'z_real_ohm';
  if (n === 'z"' || n === "z''") return 'z_imag_ohm';
  if (n === 'z') return 'z_mod_ohm';
  if (n === 'phase') return 'z_phase_deg';
  if (n === 'time' && base === 's') return 'time_s';
  if ((n === 'potential' || n === 'e') && base === 'V') return 'voltage_V';
  if ((n === 'current' || n === 'i') && base === 'A') return 'current_A';
  if (n === 'charge' && base === 'C') return 'charge_C';
  return undefined;
}

function parseChi(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const columnLine = lines.find((l) => COLUMN_LINE.test(l));
  if (columnLine === undefined)
    fail('malformed', 'no column line such as "Freq/Hz, Z\'/ohm, …" or "Potential/V, Current/A"', fileName);
  const extra: Record<string, string> = {};
  const headerLines = lines.head(lines.number - 1).map((l) => l.trim());
  const technique = headerLines[1] ?? '';
  for (const line of headerLines.slice(2)) {
    const eq = /^(.+?)\s*=\s*(.*)$/.exec(line);
    const colon = /^([^:]+):\s*(.*)$/.exec(line);
    if (eq) extra[eq[1]!] = eq[2]!;
    else if (colon) extra[colon[1]!.trim()] = colon[2]!.trim();
    else if (line.length > 0) extra[line] = '';
  }
  const headers = columnLine.split(',').map((h) => h.trim());
  const parsed = headers.map((h) => {
    const slash = h.indexOf('/');
    return slash < 0 ? { name: h, unit: '' } : { name: h.slice(0, slash), unit: h.slice(slash + 1) };
  });
  const table = new TableBuilder(
    parsed.map((p) => p.name),
    parsed.map((p) => p.unit),
    false,
    lines.countAhead(),
  );
  // Trimming the line before splitting at ',' only trims the first and last fields, as push() does.
  const split = { split: (line: string) => line.trim().split(','), byte: COMMA, quoted: false };
  readRows(lines, table, split, fileName, guard);
  const original = table.columns();
  const channels: Channels = {};
  original.forEach((column, c) => {
    const { name, unit } = parsed[c]!;
    const si = unit === 'sec' ? { base: 's', factor: 1 } : siFactor(unit);
    const channel = channelFor(name, si?.base);
    if (!channel || channels[channel] || !(column.values instanceof Float64Array)) return;
    const factor = channel === 'z_phase_deg' || channel === 'frequency_Hz' ? 1 : (si?.factor ?? 1);
    channels[channel] = scaled(column.values, factor);
  });
  const kind = KIND_BY_TECHNIQUE.find(([pattern]) => pattern.test(technique))?.[1];
  if (kind === 'eis') completeImpedance(channels);
  requireFinite(channels, fileName);
  const metadata: Measurement['metadata'] = { extra };
  const model = extra['Instrument Model'];
  if (model) metadata.instrument = `CH Instruments ${model}`;
  const start = chiDate(headerLines[0] ?? '');
  if (start) metadata.startTime = start;
  const draft = { format: 'chi-txt', fileName, technique, channels, original, metadata, warnings: [] };
  return finishMeasurement(kind ? { ...draft, kind } : draft);
}

/** "Feb. 20, 2020   15:55:08" → "2020-02-20T15:55:08". */
function chiDate(line: string): string | undefined {
  const match = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\s+(.*)$/.exec(line);
  if (!match) return undefined;
  const clock = parseClock(match[4]!) ?? [0, 0, 0];
  return isoLocal(Number(match[3]), monthFromName(match[1]!), Number(match[2]), ...clock);
}

export const chiReader: FormatReader = {
  id: 'chi-txt',
  label: 'CH Instruments text export (.txt)',
  extensions: ['txt', 'csv'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 8192)).slice(0, 80);
    const hasColumns = lines.some((l) => COLUMN_LINE.test(l));
    if (!hasColumns) return 0;
    if (lines.some((l) => /^Instrument Model:\s*CHI/i.test(l))) return 0.95;
    return chiDate(lines[0]?.trim() ?? '') ? 0.7 : 0.2;
  },
  parse: parseChi,
};
