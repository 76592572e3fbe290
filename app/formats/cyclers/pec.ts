/**
 * PEC (SBT battery tester) CSV export: a preamble of "Key:,value" lines (test, regime, start time…), an
 * optional "#RESULTS CHECK … #END RESULTS CHECK" block, then the table whose header starts
 * "Test,Cell,Rack,Shelf,Position,…" with units in parentheses (mV, mA, mAh, mWh, °C). Current is signed
 * in the file (negative on discharge). The two capacity columns in mWh are energies and are kept as
 * original columns only; capacities in mAh become charge/discharge_capacity_Ah.
 */
import { ElyteError } from '../../errors';
import type { CanonicalChannel, FormatReader, Measurement, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { parseDateTime } from '../generic/dates';
import { findColumn, numericCopy, readDelimitedTable, siChannel } from '../generic/table';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, splitLines } from '../text';

const HEADER = /^Test,Cell,(Rack,)?.*Total Time/i;

function headerLineOf(lines: string[]): number {
  return lines.findIndex((line) => HEADER.test(line));
}

export function parsePec(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const headerLine = headerLineOf(splitLines(headText(bytes, 65536)));
  if (headerLine < 0) {
    throw new ElyteError('malformed', 'no PEC column header ("Test,Cell,…,Total Time (Seconds),…")', {
      file: fileName,
    });
  }
  const table = readDelimitedTable(bytes, {
    headerLine,
    delimiter: ',',
    decimalComma: false,
    guard,
    fileName,
  });
  const { columns } = table;
  const warnings = [...table.warnings];
  const time = siChannel(columns, 'time_s', fileName, ['Total Time'], 's');
  if (!time?.every(Number.isFinite)) {
    throw new ElyteError('malformed', 'the "Total Time (Seconds)" column is missing or has blank cells', {
      file: fileName,
    });
  }
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = { time_s: time };
  const add = (channel: CanonicalChannel, names: string[], unit: string): void => {
    const values = siChannel(columns, channel, fileName, names, unit);
    if (values) channels[channel] = values;
  };
  add('voltage_V', ['Voltage (mV)', 'Voltage (V)', 'Voltage'], 'mV');
  add('current_A', ['Current (mA)', 'Current (A)', 'Current'], 'mA');
  add('charge_capacity_Ah', ['Charge Capacity (mAh)', 'Charge Capacity (Ah)'], 'mAh');
  add('discharge_capacity_Ah', ['Discharge Capacity (mAh)', 'Discharge Capacity (Ah)'], 'mAh');
  add('temperature_C', ['Cell surface temperature', 'Cell temperature'], '°C');
  const cycle = numericCopy(findColumn(columns, 'Cycle'));
  if (cycle) channels.cycle = cycle;
  const step = numericCopy(findColumn(columns, 'Step'));
  if (step) channels.step = step;
  const temperature = channels.temperature_C;
  if (temperature) {
    const blank = temperature.filter(Number.isNaN).length;
    if (blank > 0)
      warnings.push(`temperature_C: ${blank} row(s) have no temperature reading (left as missing)`);
  }

  const extra: Record<string, string> = {};
  let inResults = false;
  const results: string[] = [];
  for (const line of table.preamble) {
    if (/^#RESULTS CHECK/i.test(line)) inResults = true;
    else if (/^#END RESULTS CHECK/i.test(line)) inResults = false;
    else if (inResults) results.push(line);
    else {
      const comma = line.indexOf(',');
      const key = (comma < 0 ? line : line.slice(0, comma)).replace(/:$/, '').trim();
      const value =
        comma < 0
          ? ''
          : line
              .slice(comma + 1)
              .replace(/,+$/, '')
              .trim();
      if (key) extra[key] = value;
    }
  }
  if (results.length > 0) extra['Results check'] = results.join('\n');
  const start = extra['Start Time'] ? parseDateTime(extra['Start Time']) : undefined;
  const regime = extra['TestRegime Name'];
  return finishMeasurement({
    format: 'pec-csv',
    fileName,
    technique: regime ? `PEC regime ${regime}` : 'PEC cycling',
    channels,
    original: columns,
    metadata: {
      instrument: 'PEC',
      ...(start ? { startTime: start } : {}),
      extra,
    },
    warnings,
  });
}

export const pecReader: FormatReader = {
  id: 'pec-csv',
  label: 'PEC battery tester CSV',
  extensions: ['csv'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 65536));
    if (headerLineOf(lines) >= 0) return lines.some((l) => /^TestRegime Name:,/.test(l)) ? 0.95 : 0.8;
    return 0;
  },
  parse: parsePec,
};

export const pecReaders: FormatReader[] = [pecReader];
