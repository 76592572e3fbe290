/**
 * Neware BTSDA exports: the CSV "record" table (DataPoint, Cycle Index, Step Index, Step Type, Time,
 * Cumulative Time, Current(A), Voltage(V), Capacity(Ah)…) and the XLSX workbook whose record sheet
 * has the same columns (other sheets: test info, cycle and step summaries). Current sign as BTSDA
 * writes it: positive = charge. Time is the step time; Cumulative/Total Time is the test time.
 */
import { ElyteError } from '../../../errors';
import type { FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { ParseGuard } from '../../guard';
import { headText, looksLikeText } from '../../text';
import { isZip, xlsxHeadSheetNames } from '../../xlsx';
import { type ColumnKind, firstLine, readDelimitedColumns } from '../arbin/delimited';
import {
  type ColumnRule,
  columnsFromCells,
  finishCyclerTable,
  type PlannedColumn,
  planColumns,
  sheetHeader,
  workbookDataSheets,
} from '../arbin/table';

const NEWARE_RULES: readonly ColumnRule[] = [
  {
    names: ['datapoint', 'data point', 'record id', 'record index', 'record number'],
    kind: 'number',
    defaultUnit: '',
  },
  { names: ['cycle index', 'cycle id', 'cycle'], channel: 'cycle', kind: 'number', defaultUnit: '' },
  { names: ['step index', 'step id', 'step number'], channel: 'step', kind: 'number', defaultUnit: '' },
  { names: ['step type', 'status', 'step name', 'state'], kind: 'text', defaultUnit: '' },
  { names: ['time', 'step time', 'relative time'], kind: 'duration', defaultUnit: 's' },
  {
    names: ['cumulative time', 'total time', 'test time'],
    channel: 'time_s',
    kind: 'duration',
    defaultUnit: 's',
  },
  { names: ['current'], channel: 'current_A', kind: 'number', defaultUnit: 'A' },
  { names: ['voltage'], channel: 'voltage_V', kind: 'number', defaultUnit: 'V' },
  { names: ['capacity'], channel: 'capacity_Ah', kind: 'number', defaultUnit: 'Ah' },
  {
    names: ['chg. cap.', 'charge capacity', 'chg. capacity'],
    channel: 'charge_capacity_Ah',
    kind: 'number',
    defaultUnit: 'Ah',
  },
  {
    names: ['dchg. cap.', 'discharge capacity', 'dchg. capacity'],
    channel: 'discharge_capacity_Ah',
    kind: 'number',
    defaultUnit: 'Ah',
  },
  { names: ['energy'], channel: 'energy_Wh', kind: 'number', defaultUnit: 'Wh' },
  {
    names: ['date', 'realtime', 'real time', 'system time', 'absolute time'],
    kind: 'datetime',
    defaultUnit: '',
  },
  {
    names: ['t1', 'temperature', 'aux temperature', 'auxiliary temperature'],
    channel: 'temperature_C',
    kind: 'number',
    defaultUnit: '°C',
  },
  { names: ['module start-stop switch'], kind: 'text', defaultUnit: '' },
];

function bases(headers: readonly string[]): Set<string> {
  return new Set(
    headers.map((h) =>
      h
        .replace(/\s*[([][^()[\]]*[)\]]\s*$/, '')
        .trim()
        .toLowerCase(),
    ),
  );
}

/** A BTSDA record table: voltage, current, a step type and a data point / cycle column. */
export function looksLikeNewareHeader(headers: readonly string[]): boolean {
  const b = bases(headers);
  const stepType = b.has('step type') || b.has('status');
  const id =
    b.has('datapoint') ||
    b.has('data point') ||
    b.has('record id') ||
    b.has('record index') ||
    b.has('cycle index');
  return stepType && id && b.has('voltage') && b.has('current');
}

function splitCsvHeader(line: string): { fields: string[]; delimiter: number } {
  const delimiter = line.includes('\t') ? 9 : 44;
  const fields = line.split(delimiter === 9 ? '\t' : ',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
  return { fields, delimiter };
}

export const newareCsvReader: FormatReader = {
  id: 'neware-csv',
  label: 'Neware BTSDA CSV export',
  extensions: ['csv', 'txt'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const line = headText(head, 8192).split(/\r?\n/, 1)[0] ?? '';
    return looksLikeNewareHeader(splitCsvHeader(line).fields) ? 0.85 : 0;
  },
  parse: parseNewareCsv,
};

export function parseNewareCsv(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const header = firstLine(bytes);
  if (!header) throw new ElyteError('truncated', 'the file has no complete header line', { file: fileName });
  const { fields, delimiter } = splitCsvHeader(header.text);
  if (!looksLikeNewareHeader(fields)) {
    throw new ElyteError(
      'malformed',
      'the header does not name the BTSDA columns (Step Type, Voltage, Current…)',
      {
        file: fileName,
        where: 'line 1',
      },
    );
  }
  const plan = timePlan(planColumns(fields, NEWARE_RULES, fileName), fileName);
  const guard = new ParseGuard(fileName, options);
  const kinds: ColumnKind[] = plan.map((p) => p.kind);
  const columns = readDelimitedColumns(bytes, header.next, delimiter, fields, kinds, fileName, guard, 2);
  return finishCyclerTable({
    format: 'neware-csv',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    plan,
    columns,
    metadata: { instrument: 'Neware BTS', extra: {}, ...startTime(plan, columns) },
    warnings: [],
  });
}

/** Without a cumulative time column, the step Time cannot be test time: refuse rather than guess. */
function timePlan(plan: PlannedColumn[], fileName: string): PlannedColumn[] {
  if (plan.some((p) => p.channel === 'time_s')) return plan;
  throw new ElyteError(
    'unsupported',
    'this export has no Cumulative Time / Total Time column, so test time is unknown; ' +
      'export again from BTSDA with "Total Time" ticked',
    { file: fileName },
  );
}

function startTime(
  plan: readonly PlannedColumn[],
  columns: readonly { values: Float64Array | string[] }[],
): { startTime?: string } {
  const at = plan.findIndex((p) => p.kind === 'datetime');
  const values = at >= 0 ? columns[at]!.values : null;
  if (!(values instanceof Float64Array) || !Number.isFinite(values[0])) return {};
  // BTSDA writes the tester's wall clock without a zone.
  return { startTime: new Date(Math.round(values[0]! * 1000)).toISOString().replace('Z', '') };
}

export const newareXlsxReader: FormatReader = {
  id: 'neware-xlsx',
  label: 'Neware BTSDA Excel export (.xlsx)',
  extensions: ['xlsx'],
  sniff(head) {
    if (!isZip(head)) return 0;
    const names = xlsxHeadSheetNames(head).map((n) => n.toLowerCase());
    const record = names.some((n) => n === 'record' || n.startsWith('detail') || n === 'record_layer');
    const summary = names.some(
      (n) => n === 'statis' || n === 'step' || n === 'cycle' || n === 'info' || n === 'test',
    );
    return record && summary ? 0.85 : 0;
  },
  parse: parseNewareXlsx,
};

export function parseNewareXlsx(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions = {},
): Measurement {
  const guard = new ParseGuard(fileName, options);
  const { sheets, data: records } = workbookDataSheets(
    bytes,
    fileName,
    guard,
    looksLikeNewareHeader,
    'the BTSDA record columns',
  );
  const sheet = records[0]!;
  const plan = timePlan(planColumns(sheetHeader(sheet), NEWARE_RULES, fileName), fileName);
  const columns = columnsFromCells(sheet.rows, 1, plan, fileName, sheet.name);
  const extra: Record<string, string> = { 'Record sheet': sheet.name };
  // Info/test sheets are label–value pairs across each row.
  for (const info of sheets.filter((s) => s !== sheet && /^(info|test)$/i.test(s.name))) {
    for (const row of info.rows) {
      for (let c = 0; c + 1 < row.length; c += 2) {
        const key = row[c];
        const value = row[c + 1];
        if (typeof key === 'string' && key.trim() && value !== null && value !== undefined) {
          extra[`${info.name}.${key.trim().replace(/[:：]$/, '')}`] = String(value);
        }
      }
    }
  }
  const metadata: Partial<Measurement['metadata']> = {
    instrument: 'Neware BTS',
    extra,
    ...startTime(plan, columns),
  };
  return finishCyclerTable({
    format: 'neware-xlsx',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    plan,
    columns,
    metadata,
    warnings: records.length > 1 ? [`${records.length} record sheets; read "${sheet.name}"`] : [],
  });
}
