/**
 * Novonix HPC CSV: "[Summary] … [End Summary]" (Key: value lines: channel, cell, mass, area, start,
 * software version), "[Protocol] … [End Protocol]", then "[Data]" and a comma-separated table in which
 * each row is wrapped whole in one pair of quotes. Run Time is in hours and becomes seconds.
 *
 * The "*_metadata.csv" file the Novonix software writes beside it is a per-cycle summary
 * (",Cycle,AverageChargeVoltage,…"), not a measurement: it is recognised and refused with a message
 * naming the data file to open instead, so it is never mistaken for a generic table.
 */
import { ElyteError } from '../../errors';
import type { CanonicalChannel, FormatReader, Measurement, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { parseDateTime } from '../generic/dates';
import { findColumn, numericCopy, readDelimitedTable, siChannel } from '../generic/table';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, splitLines } from '../text';

const DATA_HEADER = /^"?Date and Time,Cycle Number,Step Type,Run Time/i;
const SUMMARY_COMPANION = /^,Cycle,AverageChargeVoltage,AverageDischargeVoltage/;

function dataHeaderLine(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '[Data]' && lines[i + 1] !== undefined) return i + 1;
    if (DATA_HEADER.test(lines[i]!)) return i;
  }
  return -1;
}

/** Key: value lines of the [Summary] block, verbatim. */
function summaryFields(preamble: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  let inSummary = false;
  for (const line of preamble) {
    const trimmed = line.trim();
    if (trimmed === '[Summary]') inSummary = true;
    else if (trimmed === '[End Summary]') inSummary = false;
    else if (inSummary) {
      const colon = trimmed.indexOf(':');
      if (colon > 0) fields[trimmed.slice(0, colon).trim()] = trimmed.slice(colon + 1).trim();
      else if (trimmed) fields[`summary line ${Object.keys(fields).length + 1}`] = trimmed;
    }
  }
  return fields;
}

function protocolText(preamble: string[]): string {
  const start = preamble.findIndex((line) => line.trim() === '[Protocol]');
  const end = preamble.findIndex((line) => line.trim() === '[End Protocol]');
  if (start < 0 || end < start) return '';
  return preamble
    .slice(start + 1, end)
    .map((line) => line.replace(/^"|"$/g, ''))
    .join('\n');
}

function positiveNumber(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function parseNovonix(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const head = splitLines(headText(bytes, 65536));
  if (SUMMARY_COMPANION.test(head[0] ?? '')) refuseCompanion(fileName);
  const headerLine = dataHeaderLine(head);
  if (headerLine < 0) {
    throw new ElyteError('malformed', 'no "[Data]" section with a "Date and Time,Cycle Number,…" header', {
      file: fileName,
    });
  }
  const table = readDelimitedTable(bytes, {
    headerLine,
    delimiter: ',',
    decimalComma: false,
    unquoteWholeLine: true,
    guard,
    fileName,
  });
  const { columns } = table;
  const warnings = [...table.warnings];
  const time = siChannel(columns, 'time_s', fileName, ['Run Time'], 'h');
  if (!time?.every(Number.isFinite)) {
    throw new ElyteError('malformed', 'the "Run Time (h)" column is missing or has blank cells', {
      file: fileName,
    });
  }
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = { time_s: time };
  const add = (channel: CanonicalChannel, names: string[], unit: string): void => {
    const values = siChannel(columns, channel, fileName, names, unit);
    if (values) channels[channel] = values;
  };
  add('voltage_V', ['Potential', 'Voltage'], 'V');
  add('current_A', ['Current'], 'A');
  add('capacity_Ah', ['Capacity'], 'Ah');
  add('energy_Wh', ['Energy'], 'Wh');
  add('temperature_C', ['Temperature'], '°C');
  const cycle = numericCopy(findColumn(columns, 'Cycle Number'));
  if (cycle) channels.cycle = cycle;
  const step = numericCopy(findColumn(columns, 'Step Number'));
  if (step) channels.step = step;

  const summary = summaryFields(table.preamble);
  const extra: Record<string, string> = { ...summary };
  const protocol = protocolText(table.preamble);
  if (protocol) extra['Protocol steps'] = protocol;
  const mass = positiveNumber(summary['Mass (g)']);
  const area = positiveNumber(summary['Area (cm2)']);
  const start = summary.Started ? parseDateTime(summary.Started, 'mdy') : undefined;
  const firstLine = table.preamble[1]?.trim();
  return finishMeasurement({
    format: 'novonix-csv',
    fileName,
    technique: summary.Protocol ? `Novonix protocol ${summary.Protocol}` : 'Novonix cycling',
    channels,
    original: columns,
    metadata: {
      instrument:
        firstLine && /novonix/i.test(firstLine) ? firstLine.replace(/\s*data file$/i, '') : 'Novonix',
      ...(summary.Channel ? { channel: summary.Channel } : {}),
      ...(summary.Version ? { softwareVersion: summary.Version } : {}),
      ...(summary['Serial Number'] ? { serialNumber: summary['Serial Number'] } : {}),
      ...(mass !== undefined ? { mass_kg: mass / 1000 } : {}),
      ...(area !== undefined ? { area_m2: area * 1e-4 } : {}),
      ...(start ? { startTime: start } : {}),
      extra,
    },
    warnings,
  });
}

function refuseCompanion(fileName: string): never {
  const dataFile = fileName.replace(/_metadata(\.csv)$/i, '$1');
  const named = dataFile !== fileName ? `"${dataFile}"` : 'the Novonix data file recorded with it';
  throw new ElyteError(
    'unsupported',
    `this is a Novonix per-cycle summary (metadata companion), not a measurement; open ${named} instead`,
    { file: fileName },
  );
}

export const novonixReader: FormatReader = {
  id: 'novonix-csv',
  label: 'Novonix HPC CSV',
  extensions: ['csv'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 16384));
    if (SUMMARY_COMPANION.test(lines[0] ?? '')) return 0.9;
    const novonix = lines.slice(0, 5).some((line) => /novonix/i.test(line));
    if (lines[0]?.trim() === '[Summary]' && novonix) return 0.95;
    return lines.some((line) => DATA_HEADER.test(line)) ? 0.85 : 0;
  },
  parse: parseNovonix,
};

export const novonixReaders: FormatReader[] = [novonixReader];
