/**
 * Metrohm Autolab NOVA exports. NOVA's "Export ASCII data" writes one column line of `Name (unit)` fields
 * — "Frequency (Hz)", "Z' (Ω)", "-Z'' (Ω)", "Z (Ω)", "-Phase (°)", "Time (s)", "WE(1).Potential (V)",
 * "WE(1).Current (A)", "Scan", "Index" … — separated by tabs, semicolons or commas, then rows in the PC's
 * locale (decimal commas included). NOVA's Excel export has the same columns on its first sheet.
 * NOVA negates the imaginary part and the phase ("-Z''", "-Phase"): they are negated back here so
 * z_imag_ohm is negative for capacitive behaviour.
 */
import { Inflate } from 'fflate';
import type { FormatReader, Measurement, OriginalColumn, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { guessDelimiter, headText, looksLikeText, splitFields, splitLines, TextLines } from '../text';
import { isZip, readXlsxSheets, type XlsxCell } from '../xlsx';
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

/** Column names only NOVA writes: enough to tell its exports from any other table. */
const NOVA_MARKERS = [
  /WE\(\d+\)\./,
  /-Z'' \((Ω|Ohm|ohm)\)/,
  /Z' \((Ω|Ohm|ohm)\)/,
  /-Phase \(°\)/,
  /Potential applied \(V\)/,
];

export function isNovaHeader(line: string): boolean {
  return NOVA_MARKERS.some((marker) => marker.test(line));
}

interface NovaTarget {
  channel: keyof Channels;
  negate: boolean;
}

/** NOVA column (without the "WE(1)." prefix) → canonical channel. */
function novaTarget(name: string, unit: string): NovaTarget | undefined {
  const n = name.replace(/^WE\(\d+\)\./, '').trim();
  const base = siFactor(unit)?.base;
  switch (n) {
    case 'Frequency':
      return { channel: 'frequency_Hz', negate: false };
    case "Z'":
      return { channel: 'z_real_ohm', negate: false };
    case "-Z''":
      return { channel: 'z_imag_ohm', negate: true };
    case "Z''":
      return { channel: 'z_imag_ohm', negate: false };
    case 'Z':
      return { channel: 'z_mod_ohm', negate: false };
    case '-Phase':
      return { channel: 'z_phase_deg', negate: true };
    case 'Phase':
      return { channel: 'z_phase_deg', negate: false };
    case 'Time':
      return base === 's' ? { channel: 'time_s', negate: false } : undefined;
    case 'Potential':
      return base === 'V' ? { channel: 'voltage_V', negate: false } : undefined;
    case 'Current':
      return base === 'A' ? { channel: 'current_A', negate: false } : undefined;
    case 'Potential applied':
      return base === 'V' ? { channel: 'control_V', negate: false } : undefined;
    case 'Charge':
      return base === 'C' ? { channel: 'charge_C', negate: false } : undefined;
    case 'Scan':
      return { channel: 'cycle', negate: false };
    default:
      return undefined;
  }
}

function toMeasurement(
  format: string,
  fileName: string,
  original: OriginalColumn[],
  extra: Record<string, string>,
): Measurement {
  const channels: Channels = {};
  for (const column of original) {
    const target = novaTarget(column.name, column.unit);
    if (!target || channels[target.channel] || !(column.values instanceof Float64Array)) continue;
    const angleOrFrequency = target.channel === 'z_phase_deg' || target.channel === 'frequency_Hz';
    const factor = angleOrFrequency || target.channel === 'cycle' ? 1 : (siFactor(column.unit)?.factor ?? 1);
    channels[target.channel] = scaled(column.values, target.negate ? -factor : factor);
  }
  const isEis = Boolean(channels.frequency_Hz && (channels.z_real_ohm || channels.z_mod_ohm));
  if (isEis) completeImpedance(channels);
  requireFinite(channels, fileName);
  const draft = { format, fileName, channels, original, metadata: { extra, instrument: 'Metrohm Autolab' } };
  return finishMeasurement(isEis ? { ...draft, kind: 'eis', technique: 'FRA impedance' } : draft);
}

function parseNovaText(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const headerLine = lines.find((l) => isNovaHeader(l));
  if (headerLine === undefined)
    fail(
      'malformed',
      'no NOVA column line (such as "Frequency (Hz)", "Z\' (Ω)", "WE(1).Potential (V)")',
      fileName,
    );
  const header = lines.number - 1;
  const delimiter = guessDelimiter(headerLine);
  const headers = splitFields(headerLine, delimiter).map((h) => splitNameUnit(h));
  const firstData = lines.lookahead(() => lines.find((l) => l.trim() !== '') ?? '');
  // With ';' or tab between fields, a comma inside a number is a decimal comma.
  const decimalComma = delimiter !== ',' && /\d,\d/.test(firstData);
  const table = new TableBuilder(
    headers.map((h) => (h.unit ? `${h.name}` : h.name)),
    headers.map((h) => h.unit),
    decimalComma,
    lines.countAhead(),
  );
  readRows(lines, table, splitQuoted(delimiter), fileName, guard);
  const extra: Record<string, string> = {};
  lines.head(header).forEach((l, i) => {
    if (l.trim()) extra[`header line ${i + 1}`] = l.trim();
  });
  return toMeasurement('autolab-txt', fileName, table.columns(), extra);
}

export const autolabTextReader: FormatReader = {
  id: 'autolab-txt',
  label: 'Metrohm Autolab NOVA ASCII export (.txt)',
  extensions: ['txt', 'csv', 'dat'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 8192)).slice(0, 20);
    return lines.some((l) => isNovaHeader(l)) ? 0.85 : 0;
  },
  parse: parseNovaText,
};

// ---------- Excel ----------

function parseNovaXlsx(bytes: Uint8Array, fileName: string): Measurement {
  const sheets = readXlsxSheets(bytes, fileName);
  for (const sheet of sheets) {
    const headerRow = sheet.rows.findIndex((row) => isNovaHeader(row.map((c) => String(c ?? '')).join('\t')));
    if (headerRow < 0) continue;
    const headers = sheet.rows[headerRow]!.map((c) => splitNameUnit(String(c ?? '')));
    const body = sheet.rows.slice(headerRow + 1).filter((row) => row.some((c) => c !== null && c !== ''));
    const original: OriginalColumn[] = headers.map((h, c) =>
      columnFromCells(
        h.name,
        h.unit,
        body.map((row) => row[c] ?? null),
      ),
    );
    return toMeasurement('autolab-xlsx', fileName, original, { sheet: sheet.name });
  }
  return fail(
    'malformed',
    'no sheet of this workbook has NOVA column names (such as "WE(1).Potential (V)")',
    fileName,
  );
}

function columnFromCells(name: string, unit: string, cells: XlsxCell[]): OriginalColumn {
  if (cells.every((c) => typeof c === 'number'))
    return { name, unit, values: Float64Array.from(cells as number[]) };
  return { name, unit, values: cells.map((c) => (c === null ? '' : String(c))) };
}

/**
 * Content sniffing of a zip needs its shared strings, which are compressed: find the local headers of
 * xl/sharedStrings.xml or the first sheet in the first 64 KiB, inflate what of them is there and look
 * for NOVA column names. Signatures are searched, not walked, because writers that stream (sizes in a
 * trailing data descriptor) give no size to skip by.
 */
export function xlsxHeadMentionsNova(head: Uint8Array, inflate: (data: Uint8Array) => string): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (let offset = 0; offset + 30 <= head.length; offset++) {
    if (head[offset] !== 0x50 || view.getUint32(offset, true) !== 0x04034b50) continue;
    const method = view.getUint16(offset + 8, true);
    const compressed = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const name = new TextDecoder().decode(
      head.subarray(offset + 30, Math.min(head.length, offset + 30 + nameLength)),
    );
    if (!/^xl\/(sharedStrings\.xml|worksheets\/sheet1\.xml)$/.test(name)) continue;
    const dataStart = offset + 30 + nameLength + extraLength;
    const dataEnd = compressed > 0 ? Math.min(head.length, dataStart + compressed) : head.length;
    const data = head.subarray(dataStart, dataEnd);
    const text = method === 0 ? new TextDecoder().decode(data) : inflate(data);
    if (isNovaHeader(decodeXmlApostrophes(text))) return true;
  }
  return false;
}

/** Shared strings write ' as &apos; and sometimes " as &quot;: enough decoding to match column names. */
function decodeXmlApostrophes(text: string): string {
  return text
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Inflates as much of a raw-deflate prefix as there is; a cut or corrupt stream yields what came before. */
function inflatePartial(data: Uint8Array): string {
  const parts: Uint8Array[] = [];
  try {
    const inflater = new Inflate((chunk) => {
      parts.push(chunk);
    });
    inflater.push(data, false);
  } catch {
    // Corrupt or cut data: keep whatever was decoded before the damage.
  }
  const decoder = new TextDecoder();
  return parts.map((p) => decoder.decode(p)).join('');
}

export const autolabXlsxReader: FormatReader = {
  id: 'autolab-xlsx',
  label: 'Metrohm Autolab NOVA Excel export (.xlsx)',
  extensions: ['xlsx'],
  sniff(head) {
    if (!isZip(head)) return 0;
    return xlsxHeadMentionsNova(head, inflatePartial) ? 0.85 : 0;
  },
  parse: (bytes, fileName) => parseNovaXlsx(bytes, fileName),
};
