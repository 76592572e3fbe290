/**
 * Maccor cycler data as tab-separated text: the "raw" file the tester writes (one preamble line starting
 * "Today's Date", then the header "Rec#  Cyc#  Step  Test (Sec) …"; the file extension is the channel
 * number) and the MacTest32/MIMS "text export" (three "Key:<tab>Value" preamble lines, Aux columns each
 * followed by a " Units" column). Both share the table layout, so one module reads both.
 *
 * - Test time is either a number with its unit in the header ("Test (Sec)", "Test (Min)") or text in
 *   "Nd hh:mm:ss.ffff" form ("TestTime"); both become seconds.
 * - Current sign: some exports write Amps unsigned and mark discharge with State "D". When no Amps value
 *   in the file is negative and discharge rows carry positive current, discharge (State D) rows are
 *   negated so current_A is negative on discharge, as everywhere in Elyte; a warning says so.
 * - capacity_Ah / energy_Wh are Amp-hr / Watt-hr exactly as written: Maccor counts them up from zero
 *   within each step (charge and discharge alike), so they are per-step values.
 * - Aux columns with unit C become temperature_C (the first one holding physically possible values).
 */
import { ElyteError } from '../../../errors';
import type {
  CanonicalChannel,
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
} from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { isoLocal, parseCalendarDate, parseDateTime, parseTimeOfDay } from '../../generic/dates';
import { findColumn, numericCopy, readDelimitedTable } from '../../generic/table';
import { requireUnitConversion } from '../../generic/units';
import { ParseGuard } from '../../guard';
import { headText, looksLikeText, splitLines } from '../../text';

/** Labels Maccor writes in its preamble, in the order they can appear. */
const PREAMBLE_LABELS = [
  "Today's Date",
  'Date of Test',
  'Filename',
  'Tester Channel',
  'Procedure',
  'Description',
  'Comment/Barcode',
];

/** Index of the "Rec#" header line within the first lines, or -1 (tab-separated, or a comma export). */
export function maccorHeaderLine(lines: string[]): number {
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    const line = lines[i]!.replace(/^\ufeff/, '');
    if (/^Rec#\t(.*\t)?Cyc#\t/i.test(line) || /^Rec#,(.*,)?Cyc#,/i.test(line)) return i;
  }
  return -1;
}

/** 'raw' when the header is preceded by at most one line, 'txt' for the multi-line export preamble. */
export function sniffMaccorTable(head: Uint8Array): { layout: 'raw' | 'txt'; confidence: number } | null {
  if (!looksLikeText(head)) return null;
  const lines = splitLines(headText(head, 8192));
  const header = maccorHeaderLine(lines);
  if (header < 0) return null;
  const first = lines[0] ?? '';
  const confidence = first.startsWith("Today's Date") || header === 0 ? 0.95 : 0.8;
  return { layout: header <= 1 ? 'raw' : 'txt', confidence };
}

/** "  2d 02:52:51.57" or "0d 00:00:5" → seconds; undefined when the text is not a duration. */
export function parseMaccorDuration(text: string): number | undefined {
  const m = /^\s*(?:(\d+)\s*d\s+)?(\d+):(\d{1,2}):(\d+(?:\.\d*)?)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** Splits the preamble into label → value using the labels Maccor writes. Every label found is kept. */
export function parseMaccorPreamble(preamble: string[]): Record<string, string> {
  const text = preamble.join('\t');
  const hits: { label: string; start: number; valueStart: number }[] = [];
  for (const label of PREAMBLE_LABELS) {
    const at = text.indexOf(label);
    if (at < 0) continue;
    let valueStart = at + label.length;
    const rest = /^\s*:?\s*/.exec(text.slice(valueStart));
    valueStart += rest ? rest[0].length : 0;
    hits.push({ label, start: at, valueStart });
  }
  hits.sort((a, b) => a.start - b.start);
  const fields: Record<string, string> = {};
  hits.forEach((hit, i) => {
    const end = i + 1 < hits.length ? hits[i + 1]!.start : text.length;
    fields[hit.label] = text.slice(hit.valueStart, end).replace(/\s+$/, '').replace(/\t+/g, ' ').trim();
  });
  return fields;
}

function timeChannel(columns: OriginalColumn[], fileName: string): { time: Float64Array; column: string } {
  const column =
    columns.find((c) => /^test\s*time$/i.test(c.name)) ??
    columns.find((c) => /^test$/i.test(c.name) && c.unit.length > 0);
  if (!column) {
    throw new ElyteError(
      'malformed',
      'no test-time column ("TestTime" or "Test (Sec)") in the Maccor header',
      {
        file: fileName,
      },
    );
  }
  const label = column.unit ? `${column.name} (${column.unit})` : column.name;
  if (!Array.isArray(column.values)) {
    const conversion = requireUnitConversion('time_s', column.unit || 's', label, fileName);
    const time = numericCopy(column, conversion.scale)!;
    const bad = time.findIndex((t) => !Number.isFinite(t));
    if (bad >= 0)
      throw new ElyteError('malformed', `data row ${bad + 1} has no test time`, { file: fileName });
    return { time, column: label };
  }
  const time = new Float64Array(column.values.length);
  column.values.forEach((text, i) => {
    const seconds = parseMaccorDuration(text) ?? (text.trim() === '' ? undefined : Number(text));
    if (seconds === undefined || !Number.isFinite(seconds)) {
      throw new ElyteError(
        'malformed',
        `data row ${i + 1}: test time "${text}" is not "Nd hh:mm:ss" or seconds`,
        {
          file: fileName,
        },
      );
    }
    time[i] = seconds;
  });
  return { time, column: label };
}

/** Negates discharge rows when the file writes Amps unsigned (see module comment). */
function signedCurrent(current: Float64Array, state: OriginalColumn | undefined, warnings: string[]): void {
  if (!state || !Array.isArray(state.values)) return;
  let negative = 0;
  let positiveDischarge = 0;
  for (let i = 0; i < current.length; i++) {
    if (current[i]! < 0) negative++;
    if (current[i]! > 0 && state.values[i] === 'D') positiveDischarge++;
  }
  if (negative > 0 || positiveDischarge === 0) return;
  for (let i = 0; i < current.length; i++) if (state.values[i] === 'D') current[i] = -current[i]!;
  warnings.push('Amps is unsigned in this file: current on discharge (State D) rows was made negative');
}

/** First Aux column whose unit column says C and whose values are possible temperatures. */
function temperatureChannel(columns: OriginalColumn[], warnings: string[]): Float64Array | undefined {
  const impossible: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    if (!/^aux\s*#?\d+$/i.test(column.name) || Array.isArray(column.values)) continue;
    const unitColumn = columns[i + 1];
    const unit = unitColumn && Array.isArray(unitColumn.values) ? (unitColumn.values[0] ?? '') : column.unit;
    if (unit.trim().toUpperCase() !== 'C') continue;
    column.unit = '°C';
    const values = column.values;
    let possible = true;
    for (const v of values) if (!(v > -100 && v < 300)) possible = false;
    if (possible) return numericCopy(column);
    impossible.push(column.name);
  }
  if (impossible.length > 0) {
    warnings.push(
      `${impossible.join(', ')} read impossible temperatures (outside −100…300 °C: no sensor?); not used as temperature_C`,
    );
  }
  return undefined;
}

function startTime(fields: Record<string, string>, dpt: OriginalColumn | undefined): string | undefined {
  const firstStamp = dpt && Array.isArray(dpt.values) ? dpt.values[0] : undefined;
  const testDate = fields['Date of Test'];
  if (firstStamp) {
    const full = parseDateTime(firstStamp);
    if (full) return full;
    // DPt Time may hold only the time of day: the date comes from "Date of Test".
    const seconds = parseTimeOfDay(firstStamp);
    const date = testDate ? parseCalendarDate(testDate) : undefined;
    if (seconds !== undefined && date) return isoLocal(date, seconds);
  }
  return testDate ? parseDateTime(testDate) : undefined;
}

export function parseMaccorTable(
  format: 'maccor-raw' | 'maccor-txt',
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = splitLines(headText(bytes, 65536));
  const headerLine = maccorHeaderLine(lines);
  if (headerLine < 0) {
    throw new ElyteError('malformed', 'no Maccor column header ("Rec#  Cyc#  Step …") in the first lines', {
      file: fileName,
    });
  }
  const table = readDelimitedTable(bytes, {
    headerLine,
    delimiter: lines[headerLine]?.replace(/^\ufeff/, '').charAt(4) === ',' ? ',' : '\t',
    decimalComma: false,
    guard,
    fileName,
  });
  const { columns } = table;
  const warnings = [...table.warnings];
  const fields = parseMaccorPreamble(table.preamble);
  const extra: Record<string, string> = { ...fields };
  table.preamble.forEach((line, i) => {
    extra[`preamble line ${i + 1}`] = line;
  });

  const { time } = timeChannel(columns, fileName);
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = { time_s: time };
  const voltage = numericCopy(findColumn(columns, 'Volts', 'Voltage'));
  if (voltage) channels.voltage_V = voltage;
  const current = numericCopy(findColumn(columns, 'Amps', 'Current'));
  const state = findColumn(columns, 'State', 'MD');
  if (current) {
    signedCurrent(current, state, warnings);
    channels.current_A = current;
  }
  const capacity = numericCopy(findColumn(columns, 'Amp-hr', 'Capacity'));
  if (capacity) channels.capacity_Ah = capacity;
  const energy = numericCopy(findColumn(columns, 'Watt-hr', 'Energy'));
  if (energy) channels.energy_Wh = energy;
  const cycle = numericCopy(findColumn(columns, 'Cyc#', 'Cycle'));
  if (cycle) channels.cycle = cycle;
  const step = numericCopy(findColumn(columns, 'Step'));
  if (step) channels.step = step;
  const temperature = temperatureChannel(columns, warnings);
  if (temperature) channels.temperature_C = temperature;

  // A raw file's extension is its tester channel; the header's Filename keeps it when the file was renamed
  // or split into parts (.001, .002 of one channel's run).
  const channelNumber =
    fields['Tester Channel'] ??
    /\.(\d{3})$/.exec((fields.Filename ?? '').trim())?.[1] ??
    /\.(\d{3})$/.exec(fileName)?.[1];
  const start = startTime(fields, findColumn(columns, 'DPt Time'));
  // "PredictionDiagnostics_000151.000" or "ABRHV-Form-4p1.000NCM 523, …": the procedure file name.
  const procedure = fields.Procedure
    ? (/^.*?\.\d{3}/.exec(fields.Procedure)?.[0] ?? fields.Procedure.split(/\s+/)[0])
    : undefined;
  return finishMeasurement({
    format,
    fileName,
    technique: procedure ? `Maccor procedure ${procedure}` : 'Maccor cycling',
    channels,
    original: columns,
    metadata: {
      instrument: 'Maccor',
      ...(channelNumber ? { channel: String(Number(channelNumber)) } : {}),
      ...(start ? { startTime: start } : {}),
      extra,
    },
    warnings,
  });
}

export const maccorRawReader: FormatReader = {
  id: 'maccor-raw',
  label: 'Maccor raw data (tab-separated text, channel number as extension)',
  extensions: ['txt', 'csv'],
  sniff(head) {
    const found = sniffMaccorTable(head);
    return found?.layout === 'raw' ? found.confidence : 0;
  },
  parse(bytes, fileName, options) {
    return parseMaccorTable('maccor-raw', bytes, fileName, options);
  },
};

export const maccorTextReader: FormatReader = {
  id: 'maccor-txt',
  label: 'Maccor text export (.txt)',
  extensions: ['txt'],
  sniff(head) {
    const found = sniffMaccorTable(head);
    return found?.layout === 'txt' ? found.confidence : 0;
  },
  parse(bytes, fileName, options) {
    return parseMaccorTable('maccor-txt', bytes, fileName, options);
  },
};
