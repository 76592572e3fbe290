/**
 * Arbin CSV exports: MITS Pro/Data Watcher tables ("Data_Point,Date_Time,Test_Time(s),…") and the
 * tables beep and battery-data-toolkit write ("Data_Point,Test_Time,DateTime,…", DateTime in POSIX
 * seconds). The *_Metadata.csv companion those tools collect holds only the channel's test record;
 * it is refused with a message pointing at the data file beside it.
 */
import { ElyteError } from '../../../errors';
import type { FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { ParseGuard } from '../../guard';
import { headText, looksLikeText } from '../../text';
import { firstLine, readDelimitedColumns } from './delimited';
import { ARBIN_RULES, looksLikeArbinHeader } from './rules';
import { finishCyclerTable, planColumns } from './table';

function headerFields(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

function isMetadataCompanion(fields: readonly string[]): boolean {
  const lower = new Set(fields.map((f) => f.toLowerCase()));
  return lower.has('test_id') && lower.has('iv_ch_id') && lower.has('schedule_file_name');
}

export const arbinCsvReader: FormatReader = {
  id: 'arbin-csv',
  label: 'Arbin CSV export',
  extensions: ['csv'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const line = headText(head, 8192).split(/\r?\n/, 1)[0] ?? '';
    const fields = headerFields(line);
    if (looksLikeArbinHeader(fields)) return 0.85;
    return isMetadataCompanion(fields) ? 0.8 : 0;
  },
  parse: parseArbinCsv,
};

export function parseArbinCsv(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const header = firstLine(bytes);
  if (!header) {
    throw new ElyteError('truncated', 'the file has no complete header line', { file: fileName });
  }
  const fields = headerFields(header.text);
  if (isMetadataCompanion(fields)) {
    const dataFile = fileName.replace(/_Metadata(\.csv)$/i, '$1');
    throw new ElyteError(
      'unsupported',
      `this is the metadata companion of an Arbin CSV export (test id, channel, schedule only; no data); ` +
        `open the data file ${dataFile === fileName ? 'beside it' : `"${dataFile}"`} instead`,
      { file: fileName },
    );
  }
  if (!looksLikeArbinHeader(fields)) {
    throw new ElyteError(
      'malformed',
      'the header does not name the Arbin columns Test_Time, Voltage and Current',
      { file: fileName, where: 'line 1' },
    );
  }
  const plan = planColumns(fields, ARBIN_RULES, fileName);
  const guard = new ParseGuard(fileName, options);
  const columns = readDelimitedColumns(
    bytes,
    header.next,
    44,
    fields,
    plan.map((p) => p.kind),
    fileName,
    guard,
    2,
  );
  const metadata: Partial<Measurement['metadata']> = { instrument: 'Arbin', extra: {} };
  const dateIndex = plan.findIndex((p) => p.kind === 'datetime');
  const dates = dateIndex >= 0 ? columns[dateIndex]!.values : null;
  if (dates instanceof Float64Array && Number.isFinite(dates[0])) {
    const iso = new Date(Math.round(dates[0]! * 1000)).toISOString();
    // A plain number is POSIX time (UTC); a written date is the tester's wall clock (no zone).
    metadata.startTime = /^\s*[\d.]+\s*$/.test(firstField(bytes, header.next, dateIndex))
      ? iso
      : iso.replace('Z', '');
  }
  return finishCyclerTable({
    format: 'arbin-csv',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    plan,
    columns,
    metadata,
    warnings: [],
  });
}

/** The text of field `index` on the line starting at `from` (for telling number from date text). */
function firstField(bytes: Uint8Array, from: number, index: number): string {
  const nl = bytes.indexOf(10, from);
  const line = new TextDecoder().decode(bytes.subarray(from, nl < 0 ? bytes.length : nl));
  return line.split(',')[index] ?? '';
}
