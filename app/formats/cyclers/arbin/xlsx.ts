/**
 * Arbin MITS Pro Excel exports: a Global_Info sheet (channel, start time, schedule, creator,
 * software version…) and one or more data sheets "Channel_<n>_<k>" with the columns of the CSV
 * export; long tests are split over several data sheets, which are read in order and joined.
 */
import { ElyteError } from '../../../errors';
import type { FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { ParseGuard } from '../../guard';
import { isZip, type XlsxCell, type XlsxSheet, xlsxHeadSheetNames } from '../../xlsx';
import type { DelimitedColumn } from './delimited';
import { ARBIN_RULES, looksLikeArbinHeader } from './rules';
import { columnsFromCells, finishCyclerTable, planColumns, sheetHeader, workbookDataSheets } from './table';

export const arbinXlsxReader: FormatReader = {
  id: 'arbin-xlsx',
  label: 'Arbin Excel export (.xlsx)',
  extensions: ['xlsx'],
  sniff(head) {
    if (!isZip(head)) return 0;
    // Arbin workbooks: a Global_Info sheet beside data sheets named Channel_<n>_<k>.
    const names = xlsxHeadSheetNames(head);
    const channelSheets = names.filter((name) => /^Channel_\d+/i.test(name)).length;
    if (channelSheets > 0 && names.some((name) => /^Global_Info/i.test(name))) return 0.9;
    return channelSheets > 0 ? 0.6 : 0;
  },
  parse: parseArbinXlsx,
};

export function parseArbinXlsx(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const { sheets, data: dataSheets } = workbookDataSheets(
    bytes,
    fileName,
    guard,
    looksLikeArbinHeader,
    'the Arbin columns Test_Time, Voltage and Current',
  );
  const headers = sheetHeader(dataSheets[0]!);
  const plan = planColumns(headers, ARBIN_RULES, fileName);
  const parts = dataSheets.map((sheet) => {
    if (sheetHeader(sheet).join('\u0000') !== headers.join('\u0000')) {
      throw new ElyteError(
        'malformed',
        `sheet "${sheet.name}" has different columns from "${dataSheets[0]!.name}"`,
        {
          file: fileName,
        },
      );
    }
    return columnsFromCells(sheet.rows, 1, plan, fileName, sheet.name);
  });
  const columns = joinParts(parts);
  const metadata = globalInfo(sheets.find((s) => s.name.toLowerCase().startsWith('global_info')));
  metadata.extra = { ...metadata.extra, 'Data sheets': dataSheets.map((s) => s.name).join(', ') };
  return finishCyclerTable({
    format: 'arbin-xlsx',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    plan,
    columns,
    metadata,
    warnings: [],
  });
}

function joinParts(parts: DelimitedColumn[][]): DelimitedColumn[] {
  if (parts.length === 1) return parts[0]!;
  return parts[0]!.map((column, c) => {
    const pieces = parts.map((p) => p[c]!.values);
    if (pieces.every((v) => v instanceof Float64Array)) {
      const total = pieces.reduce((sum, v) => sum + v.length, 0);
      const joined = new Float64Array(total);
      let at = 0;
      for (const v of pieces as Float64Array[]) {
        joined.set(v, at);
        at += v.length;
      }
      return { ...column, values: joined };
    }
    const texts = pieces.flatMap((v) => (v instanceof Float64Array ? Array.from(v, String) : v));
    return { ...column, kind: 'text' as const, values: texts };
  });
}

/** Global_Info: a row of field names followed by a row of values (plus a title row). */
function globalInfo(
  sheet: XlsxSheet | undefined,
): Partial<Measurement['metadata']> & { extra: Record<string, string> } {
  const metadata: Partial<Measurement['metadata']> & { extra: Record<string, string> } = {
    instrument: 'Arbin',
    extra: {},
  };
  if (!sheet) return metadata;
  const rows = sheet.rows;
  const nameRow = rows.findIndex((row) =>
    row.some((cell) => cell === 'Channel' || cell === 'Start DateTime'),
  );
  if (nameRow < 0 || !rows[nameRow + 1]) return metadata;
  const names = rows[nameRow]!;
  const values = rows[nameRow + 1]!;
  names.forEach((name, c) => {
    if (typeof name !== 'string' || name.trim() === '') return;
    const value: XlsxCell = values[c] ?? null;
    if (value === null) return;
    if (name === 'Start DateTime' && typeof value === 'number') {
      // An Excel serial date on the tester's clock (no zone).
      metadata.startTime = new Date(Math.round((value - 25569) * 86400000)).toISOString().replace('Z', '');
      metadata.extra[name] = metadata.startTime;
      return;
    }
    metadata.extra[name] = String(value);
  });
  if (metadata.extra.Channel) metadata.channel = metadata.extra.Channel;
  if (metadata.extra['Software Version']) metadata.softwareVersion = metadata.extra['Software Version'];
  // The title rows above hold the test name and "Serial Number" label beside a value.
  for (const row of rows.slice(0, nameRow)) {
    const at = row.indexOf('Serial Number');
    if (at >= 0) {
      const value = row.slice(at + 1).find((cell) => cell !== null);
      if (value !== undefined && value !== null) metadata.extra['Serial Number'] = String(value);
    }
    const title = row.find(
      (cell) => typeof cell === 'string' && cell !== 'TEST REPORT' && cell !== 'Serial Number',
    );
    if (title !== undefined && !metadata.extra['Test name']) metadata.extra['Test name'] = String(title);
  }
  return metadata;
}
