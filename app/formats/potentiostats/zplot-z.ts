/**
 * Scribner ZPlot/ZView text: "ZPLOT2 ASCII" (.z: `Key: value` header, the column line, "End Comments",
 * then tab or ", " separated rows) and the older "Z60W"/"ZPlotW Data File" layout (a quoted title, a
 * settings line, the point count, a quoted column line, then comma rows). impedance.py's Autolab
 * example (exampleDataAutolab.txt) is a Z60W file, so it is read here, not by the Autolab reader.
 * Z''(b) is the imaginary part with its physical sign (negative for capacitive behaviour).
 */
import type { FormatReader, Measurement, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, splitLines, TextLines } from '../text';
import {
  type Channels,
  completeImpedance,
  fail,
  isoLocal,
  parseClock,
  requireFinite,
  scaled,
} from './shared';
import { readRows, TableBuilder, tabularDecimalComma } from './table';

interface ZColumn {
  channel?: keyof Channels;
  unit: string;
}

/** ZPlot's fixed column names → unit and canonical channel. */
function describeColumn(name: string): ZColumn {
  const n = name.replace(/\s+/g, '').toLowerCase();
  if (n.startsWith('freq')) return { channel: 'frequency_Hz', unit: 'Hz' };
  if (n.startsWith("z''")) return { channel: 'z_imag_ohm', unit: 'Ω' };
  if (n.startsWith("z'")) return { channel: 'z_real_ohm', unit: 'Ω' };
  if (n.startsWith('time')) return { channel: 'time_s', unit: 's' };
  if (n === 'bias') return { channel: 'voltage_V', unit: 'V' };
  if (n === 'ampl') return { unit: '' };
  return { unit: '' };
}

const SEPARATOR = /\t|,\s*/;

function parseZ(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const first = lines.next()?.replace(/^"|"$/g, '').trim() ?? '';
  const extra: Record<string, string> = {};
  let headerLine: string;
  let dataStart: number;
  let declared: number | undefined;
  let variant: string;
  if (/^ZPLOT2 ASCII/i.test(first)) {
    variant = 'ZPLOT2 ASCII';
    if (lines.find((l) => /^\s*End Comments\s*$/i.test(l)) === undefined)
      fail('truncated', 'no "End Comments" line ends the ZPlot header; the file looks cut short', fileName);
    const head = lines.head(lines.number - 1);
    headerLine = head[head.length - 1]!;
    dataStart = lines.number;
    for (const line of head.slice(1, -1)) {
      const match = /^\s*([^:]+?):\s*(.*)$/.exec(line);
      if (match) extra[match[1]!.trim()] = match[2]!.trim();
    }
    const points = Number(extra['Data Points']);
    if (Number.isInteger(points)) declared = points;
  } else if (/^(Z60W|ZPlotW|ZView\w*) Data File/i.test(first)) {
    variant = first;
    const found = lines.find((l) => /freq/i.test(l) && /z'/i.test(l));
    if (found === undefined)
      fail('truncated', "no column line (Freq … Z'(a) Z''(b)) after the Z60W header", fileName);
    headerLine = found;
    dataStart = lines.number;
    const head = lines.head(dataStart - 1);
    const count = Number(head[head.length - 1]?.trim());
    if (Number.isInteger(count)) declared = count;
    extra.settings = head[head.length - 2]?.trim() ?? '';
  } else {
    fail(
      'malformed',
      'not a ZPlot/ZView file: the first line is neither "ZPLOT2 ASCII" nor "Z60W Data File"',
      fileName,
      'line 1',
    );
  }
  extra.format = variant;
  const names = headerLine
    .replace(/"/g, '')
    .trim()
    .split(/\t|\s{2,}/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const described = names.map(describeColumn);
  if (
    !described.some((d) => d.channel === 'frequency_Hz') ||
    !described.some((d) => d.channel === 'z_imag_ohm')
  ) {
    fail(
      'malformed',
      `the column line "${headerLine.trim()}" has no Freq or Z'' column`,
      fileName,
      `line ${dataStart}`,
    );
  }
  // ZPlot separates with tabs or ", "; on a decimal-comma PC only tabs can be separators.
  const decimalComma = tabularDecimalComma(lines, '\t');
  const separator = decimalComma ? /\t/ : SEPARATOR;
  const table = new TableBuilder(
    names,
    described.map((d) => d.unit),
    decimalComma,
    lines.countAhead(),
  );
  // ", " with any white space after the comma, and the line trimmed first: no one-byte split for bytes.
  readRows(
    lines,
    table,
    { split: (line) => line.trim().split(separator), byte: -1, quoted: false },
    fileName,
    guard,
  );
  const original = table.columns();
  const channels: Channels = {};
  original.forEach((column, c) => {
    const channel = described[c]!.channel;
    if (channel && !channels[channel] && column.values instanceof Float64Array)
      channels[channel] = scaled(column.values, 1);
  });
  completeImpedance(channels);
  requireFinite(channels, fileName);
  const warnings: string[] = [];
  if (declared !== undefined && declared !== table.rows) {
    warnings.push(
      `the header announces ${declared} points but the file holds ${table.rows} (sweep stopped early?)`,
    );
  }
  const metadata: Measurement['metadata'] = { extra };
  const software = extra['Measured Data, ZPlot'];
  if (software) metadata.softwareVersion = `ZPlot ${software}`;
  const area = Number(extra['Surface Area']);
  if (Number.isFinite(area) && area > 0) metadata.area_m2 = area * 1e-4;
  const date = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(extra.Date ?? '');
  const clock = parseClock(extra.Time ?? '');
  // ZPlot is a US program: its Date is month-day-year.
  if (date) {
    const start = isoLocal(Number(date[3]), Number(date[1]), Number(date[2]), ...(clock ?? [0, 0, 0]));
    if (start) metadata.startTime = start;
  }
  return finishMeasurement({
    format: 'zplot-z',
    fileName,
    technique: extra['Experiment Type'] ?? 'EIS',
    kind: 'eis',
    channels,
    original,
    metadata,
    warnings,
  });
}

export const zplotReader: FormatReader = {
  id: 'zplot-z',
  label: 'Scribner ZPlot/ZView (.z, Z60W text)',
  extensions: ['z', 'txt'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const first = splitLines(headText(head, 512))[0]?.replace(/^"/, '') ?? '';
    if (/^ZPLOT2 ASCII/i.test(first)) return 0.97;
    if (/^(Z60W|ZPlotW|ZView\w*) Data File/i.test(first)) return 0.95;
    return 0;
  },
  parse: parseZ,
};
