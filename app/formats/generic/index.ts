/**
 * Generic CSV/TSV/XLSX tables: any file whose content is a table with no instrument layout we know.
 * It sniffs low (0.3) so every specific reader wins. The header row, delimiter and decimal comma are
 * found automatically; units come from headers ("Voltage (V)", "I/mA", "Current [µA]", "Z' / Ohm").
 * Channels come from `options.columns` (a ColumnMapping) or, without one, from header names; columns that
 * map to nothing are listed in a warning, and a table where nothing maps is refused with the headers
 * listed so the user can supply a mapping.
 */
import { ElyteError } from '../../errors';
import type {
  ColumnMapping,
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
} from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { decodeText, detectEncoding, looksLikeText, splitFields } from '../text';
import { isZip, readXlsxSheets } from '../xlsx';
import { detectInRows, detectLayout, isUnitsRow, type TableLayout } from './layout';
import { applyMapping } from './mapping';
import { ColumnSetBuilder, type Delimiter, readDelimitedTable } from './table';
import { parseHeaderUnit } from './units';

export { headerSignature, suggestMapping } from './mapping';

export const GENERIC_CONFIDENCE = 0.3;

/** Lines as the table reader splits them (on \n, dropping a \r before it), so indices agree. */
function headLines(head: Uint8Array): string[] {
  const text = decodeText(head.subarray(0, 65536), detectEncoding(head.subarray(0, 65536)));
  const lines = text.split(/\r?\n/);
  // The sample may end inside a line: drop that partial line unless it is the whole file.
  if (head.length >= 65536 && lines.length > 1) lines.pop();
  return lines;
}

function containsAscii(bytes: Uint8Array, text: string): boolean {
  const limit = Math.min(bytes.length, 65536) - text.length;
  outer: for (let i = 0; i <= limit; i++) {
    for (let j = 0; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) continue outer;
    return true;
  }
  return false;
}

function isXlsx(head: Uint8Array): boolean {
  return isZip(head) && containsAscii(head, 'xl/');
}

interface TableRead {
  headers: string[];
  columns: OriginalColumn[];
  aligned: (OriginalColumn | undefined)[];
  rows: number;
  preamble: string[];
  skipped: string[];
  warnings: string[];
  /** Delimiter of a text table (spreadsheet rows are joined with tabs in `skipped`). */
  delimiter: Delimiter | undefined;
  /** True when the table had no header row ("column 1", "column 2", …). */
  headerless: boolean;
  source: string;
}

function readTextTable(bytes: Uint8Array, fileName: string, guard: ParseGuard): TableRead {
  const layout = detectLayout(headLines(bytes));
  if (!layout) throw noTable(fileName);
  const headerless = layout.headerRow < 0;
  const headers = headerless ? numberedHeaders(layout.width) : undefined;
  const table = readDelimitedTable(bytes, {
    headerLine: layout.headerRow,
    ...(headers ? { headers } : {}),
    firstDataLine: layout.firstDataRow,
    delimiter: layout.delimiter,
    decimalComma: layout.decimalComma,
    guard,
    fileName,
  });
  const source = `${describeDelimiter(layout)}${layout.decimalComma ? ', decimal comma' : ''}`;
  return { ...table, delimiter: layout.delimiter, headerless, source };
}

function describeDelimiter(layout: TableLayout): string {
  switch (layout.delimiter) {
    case '\t':
      return 'tab-separated';
    case ';':
      return 'semicolon-separated';
    case ',':
      return 'comma-separated';
    default:
      return 'space-separated';
  }
}

function numberedHeaders(width: number): string[] {
  return Array.from({ length: width }, (_, i) => `column ${i + 1}`);
}

function readSpreadsheet(bytes: Uint8Array, fileName: string, guard: ParseGuard): TableRead {
  const sheets = readXlsxSheets(bytes, fileName);
  let best: { name: string; rows: string[][]; layout: ReturnType<typeof detectInRows> & object } | null =
    null;
  for (const sheet of sheets) {
    guard.check();
    const rows = sheet.rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))));
    const layout = detectInRows(rows, false);
    if (!layout) continue;
    if (!best || rows.length - layout.firstDataRow > best.rows.length - best.layout.firstDataRow) {
      best = { name: sheet.name, rows, layout };
    }
  }
  if (!best) throw noTable(fileName);
  const { rows, layout } = best;
  const headerless = layout.headerRow < 0;
  const headers = headerless ? numberedHeaders(layout.width) : rows[layout.headerRow]!.map((h) => h.trim());
  const builder = new ColumnSetBuilder(headers, false);
  for (let r = layout.firstDataRow; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.every((cell) => cell.trim().length === 0)) continue;
    builder.addRow(row, r + 1);
    guard.tick(r / rows.length);
  }
  const built = builder.finish();
  const warnings = [...built.warnings];
  const others = sheets.map((s) => s.name).filter((name) => name !== best.name);
  if (others.length > 0)
    warnings.push(`read sheet "${best.name}"; other sheets not read: ${others.join(', ')}`);
  return {
    headers,
    columns: built.columns,
    aligned: built.aligned,
    rows: built.rows,
    preamble: rows.slice(0, Math.max(0, layout.headerRow)).map((row) => row.join('\t')),
    skipped: rows.slice(layout.headerRow + 1, layout.firstDataRow).map((row) => row.join('\t')),
    warnings,
    delimiter: '\t',
    headerless,
    source: `spreadsheet sheet "${best.name}"`,
  };
}

function noTable(fileName: string): ElyteError {
  return new ElyteError(
    'malformed',
    'no table found: expected a header row followed by rows of numbers (CSV, TSV or a spreadsheet)',
    { file: fileName },
  );
}

/**
 * A headerless three-column table whose first column is a positive frequency sweep over more than a
 * decade is read as frequency, Re(Z), Im(Z): the layout impedance.py and many scripts write.
 */
function headerlessImpedanceMapping(columns: OriginalColumn[]): ColumnMapping | undefined {
  if (columns.length !== 3 || !columns.every((c) => c.values instanceof Float64Array)) return undefined;
  const f = columns[0]!.values as Float64Array;
  if (f.length < 3 || !f.every((v) => v > 0)) return undefined;
  const rising = f.every((v, i) => i === 0 || v > f[i - 1]!);
  const falling = f.every((v, i) => i === 0 || v < f[i - 1]!);
  const span = Math.max(f[0]!, f[f.length - 1]!) / Math.min(f[0]!, f[f.length - 1]!);
  if (!(rising || falling) || span < 10) return undefined;
  return {
    frequency_Hz: { column: 0, unit: 'Hz' },
    z_real_ohm: { column: 1, unit: 'Ohm' },
    z_imag_ohm: { column: 2, unit: 'Ohm' },
  };
}

/**
 * A row of units between the header and the data ("s;mV;mA") gives the unit of each column whose header
 * has none: the column's unit is set and its header text gains "(unit)" so mapping sees it.
 */
function applyUnitsRow(table: TableRead): void {
  for (const line of table.skipped) {
    const fields = table.delimiter === undefined ? [] : splitFields(line, table.delimiter);
    if (!isUnitsRow(fields)) continue;
    table.headers = table.headers.map((header, i) => {
      const unit = (fields[i] ?? '').trim().replace(/^[[(]|[\])]$/g, '');
      const column = table.aligned[i];
      if (!unit || parseHeaderUnit(header).unit) return header;
      if (column) column.unit = unit;
      return `${header} (${unit})`;
    });
    return;
  }
}

export function parseGenericTable(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): Measurement {
  const guard = new ParseGuard(fileName, options);
  const table = isXlsx(bytes)
    ? readSpreadsheet(bytes, fileName, guard)
    : readTextTable(bytes, fileName, guard);
  const warnings = [...table.warnings];
  applyUnitsRow(table);
  let mapping = options.columns;
  if (!mapping && table.headerless) {
    mapping = headerlessImpedanceMapping(table.columns);
    if (mapping) warnings.push('the table has no header: read as frequency (Hz), Re(Z) (Ω), Im(Z) (Ω)');
  }
  const applied = applyMapping(table.headers, table.aligned, mapping, fileName);
  if (Object.keys(applied.channels).length === 0) {
    throw new ElyteError(
      'invalid-argument',
      'no column could be recognised as time, voltage, current, frequency or impedance; supply a column ' +
        `mapping (the mapping dialog, or --columns) for its columns: ${table.headers.map((h) => `"${h}"`).join(', ')}`,
      { file: fileName },
    );
  }
  warnings.push(...applied.warnings);
  const usedHeaders = new Set(Object.values(applied.used));
  const unmapped = table.headers.filter(
    (header, i) => !usedHeaders.has(header) && table.aligned[i]?.values instanceof Float64Array,
  );
  if (unmapped.length > 0) {
    warnings.push(`columns kept but not mapped to a channel: ${unmapped.map((h) => `"${h}"`).join(', ')}`);
  }
  const { channels } = applied;
  const time = channels.time_s;
  if (time && !time.every(Number.isFinite)) {
    const message = `the time column "${applied.used.time_s}" has blank or unreadable cells`;
    // A mapping the user chose is an instruction: refuse. A guessed one is dropped, and we say so.
    if (options.columns) throw new ElyteError('malformed', message, { file: fileName });
    delete channels.time_s;
    warnings.push(`${message}; it is kept as a column but not used as time_s`);
  }
  const extra: Record<string, string> = { layout: table.source };
  table.preamble.forEach((line, i) => {
    if (line.trim()) extra[`line ${i + 1}`] = line;
  });
  table.skipped.forEach((line, i) => {
    if (line.trim()) extra[`below header ${i + 1}`] = line;
  });
  for (const [channel, header] of Object.entries(applied.used)) extra[`mapping ${channel}`] = header;
  return finishMeasurement({
    format: 'generic-table',
    fileName,
    channels,
    original: table.columns,
    metadata: { extra },
    warnings,
  });
}

export const genericTableReader: FormatReader = {
  id: 'generic-table',
  label: 'Generic table (CSV, TSV, XLSX) with a column mapping',
  extensions: ['csv', 'tsv', 'txt', 'xlsx'],
  sniff(head) {
    if (isXlsx(head)) return GENERIC_CONFIDENCE;
    if (!looksLikeText(head)) return 0;
    return detectLayout(headLines(head)) ? GENERIC_CONFIDENCE : 0;
  },
  parse: parseGenericTable,
};

/** Generic CSV/TSV/XLSX with a column mapping; last in the registry. */
export const genericReaders: FormatReader[] = [genericTableReader];
