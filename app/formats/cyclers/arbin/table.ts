/**
 * Turns a cycler export's columns (from CSV bytes or XLSX cells) into a Measurement: header names are
 * matched to canonical channels with their units, values are scaled to SI, and every column is kept as
 * an original column. Shared by the Arbin and Neware CSV/XLSX readers.
 */
import { ElyteError } from '../../../errors';
import type { CanonicalChannel, Measurement, OriginalColumn, TechniqueKind } from '../../../measurement';
import { finishMeasurement } from '../../finish';
import type { ParseGuard } from '../../guard';
import { readXlsxSheets, type XlsxCell, type XlsxSheet } from '../../xlsx';
import { type ColumnKind, type DelimitedColumn, parseDateTime, parseDuration } from './delimited';

/** How one header maps: its canonical channel (if any), read kind, and the unit assumed when none is written. */
export interface ColumnRule {
  /** Lower-case header without its "(unit)" part, e.g. 'charge_capacity'. */
  names: readonly string[];
  channel?: CanonicalChannel;
  kind: ColumnKind;
  defaultUnit: string;
}

export interface PlannedColumn {
  header: string;
  unit: string;
  kind: ColumnKind;
  channel?: CanonicalChannel;
  /** Multiplier from the file's unit to the channel's SI unit. */
  scale: number;
}

/** "Current(mA)" → { base: 'current', unit: 'mA' }; "Voltage" → { base: 'voltage', unit: '' }. */
export function splitHeader(header: string): { base: string; unit: string } {
  const m = /^(.*?)\s*[([]([^()[\]]*)[)\]]\s*$/.exec(header.trim());
  if (m && m[1]!.length > 0) return { base: m[1]!.toLowerCase(), unit: m[2]!.trim() };
  return { base: header.trim().toLowerCase(), unit: '' };
}

const UNIT_SCALE: Record<string, Record<string, number>> = {
  s: { s: 1, sec: 1, ms: 1e-3, min: 60, h: 3600, hr: 3600 },
  V: { v: 1, mv: 1e-3 },
  A: { a: 1, ma: 1e-3, µa: 1e-6, ua: 1e-6 },
  Ah: { ah: 1, mah: 1e-3, µah: 1e-6, uah: 1e-6 },
  Wh: { wh: 1, mwh: 1e-3 },
  '°C': { c: 1, '°c': 1, '℃': 1, degc: 1 },
  '': { '': 1 },
};

/** Matches headers to rules; an unknown unit on a canonical column is an error, never a guess. */
export function planColumns(
  headers: readonly string[],
  rules: readonly ColumnRule[],
  fileName: string,
): PlannedColumn[] {
  const used = new Set<CanonicalChannel>();
  return headers.map((header) => {
    const { base, unit } = splitHeader(header);
    const rule = rules.find((r) => r.names.includes(base));
    if (!rule) return { header, unit, kind: 'auto', scale: 1 };
    const fileUnit = unit || rule.defaultUnit;
    // Dates become seconds since 1970 on the file's clock; say so in the unit.
    const shownUnit = rule.kind === 'datetime' ? 's since 1970' : fileUnit;
    const planned: PlannedColumn = { header, unit: shownUnit, kind: rule.kind, scale: 1 };
    if (rule.channel && !used.has(rule.channel)) {
      const siUnit = channelUnit(rule.channel);
      const scale = UNIT_SCALE[siUnit]?.[fileUnit.toLowerCase()];
      if (scale === undefined) {
        throw new ElyteError(
          'unsupported',
          `column "${header}" has unit "${fileUnit}", which cannot be converted to ${siUnit}`,
          { file: fileName, where: `column "${header}"` },
        );
      }
      planned.channel = rule.channel;
      planned.scale = scale;
      used.add(rule.channel);
    }
    return planned;
  });
}

function channelUnit(channel: CanonicalChannel): string {
  switch (channel) {
    case 'time_s':
      return 's';
    case 'voltage_V':
      return 'V';
    case 'current_A':
      return 'A';
    case 'capacity_Ah':
    case 'charge_capacity_Ah':
    case 'discharge_capacity_Ah':
      return 'Ah';
    case 'energy_Wh':
      return 'Wh';
    case 'temperature_C':
      return '°C';
    default:
      return '';
  }
}

/** Converts XLSX rows (after the header row) to columns of the planned kinds. Dates may be Excel serials. */
export function columnsFromCells(
  rows: readonly XlsxCell[][],
  firstDataRow: number,
  plan: readonly PlannedColumn[],
  fileName: string,
  sheetName: string,
): DelimitedColumn[] {
  const n = rows.length - firstDataRow;
  return plan.map((column, c) => {
    let kind = column.kind;
    const numbers = new Float64Array(Math.max(0, n));
    let texts: string[] | null = kind === 'text' ? [] : null;
    for (let r = 0; r < n; r++) {
      const cell = rows[firstDataRow + r]?.[c] ?? null;
      if (texts) {
        texts.push(cell === null ? '' : String(cell));
        continue;
      }
      let value: number | undefined;
      if (cell === null) value = Number.NaN;
      else if (typeof cell === 'number') {
        value =
          kind === 'datetime'
            ? (cell - 25569) * 86400
            : kind === 'duration' && cell < 1
              ? cell * 86400
              : cell;
      } else if (kind === 'duration') value = parseDuration(cell);
      else if (kind === 'datetime') value = parseDateTime(cell);
      else value = cell.trim() === '' ? Number.NaN : Number(cell);
      if (value === undefined || (Number.isNaN(value) && typeof cell === 'string' && cell.trim() !== '')) {
        if (kind === 'auto') {
          texts = Array.from(numbers.subarray(0, r), (v) => (Number.isNaN(v) ? '' : String(v)));
          texts.push(String(cell));
          kind = 'text';
          continue;
        }
        throw new ElyteError('malformed', `column "${column.header}": "${String(cell)}" is not a ${kind}`, {
          file: fileName,
          where: `sheet "${sheetName}", row ${firstDataRow + r + 1}`,
        });
      }
      numbers[r] = value;
    }
    return { name: column.header, kind, values: texts ?? numbers };
  });
}

export interface CyclerTableDraft {
  format: string;
  fileName: string;
  technique: string;
  kind: TechniqueKind;
  plan: readonly PlannedColumn[];
  columns: readonly DelimitedColumn[];
  metadata: Partial<Measurement['metadata']>;
  warnings: string[];
}

/** Builds canonical channels (SI) and original columns, fills gaps in cycle/step, finishes. */
export function finishCyclerTable(draft: CyclerTableDraft): Measurement {
  const warnings = [...draft.warnings];
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {};
  const original: OriginalColumn[] = [];
  draft.columns.forEach((column, c) => {
    const planned = draft.plan[c]!;
    original.push({ name: column.name, unit: planned.unit, values: column.values });
    if (!planned.channel || !(column.values instanceof Float64Array)) return;
    const source = column.values;
    const scaled = new Float64Array(source.length);
    for (let i = 0; i < source.length; i++) scaled[i] = source[i]! * planned.scale;
    if (planned.channel === 'cycle' || planned.channel === 'step') {
      const filled = fillMissing(scaled);
      if (filled === null) {
        warnings.push(`column "${column.name}" is empty; no ${planned.channel} numbers`);
        return;
      }
      if (filled > 0) {
        warnings.push(`${filled} empty cell(s) in "${column.name}" were filled from the neighbouring rows`);
      }
    } else if (
      planned.channel === 'time_s' ||
      planned.channel === 'voltage_V' ||
      planned.channel === 'current_A'
    ) {
      const missing = countNaN(scaled);
      if (missing > 0) {
        throw new ElyteError(
          'malformed',
          `column "${column.name}" has ${missing} empty or non-numeric cell(s)`,
          {
            file: draft.fileName,
          },
        );
      }
    }
    channels[planned.channel] = scaled;
  });
  return finishMeasurement({
    format: draft.format,
    fileName: draft.fileName,
    technique: draft.technique,
    kind: draft.kind,
    channels,
    original,
    metadata: draft.metadata,
    warnings,
  });
}

function countNaN(values: Float64Array): number {
  let n = 0;
  for (const v of values) if (Number.isNaN(v)) n++;
  return n;
}

/** Fills NaN from the previous value (leading gaps from the first value). Returns how many, or null if all NaN. */
function fillMissing(values: Float64Array): number | null {
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i]!)) {
      first = i;
      break;
    }
  }
  if (first < 0) return null;
  let filled = first;
  for (let i = 0; i < first; i++) values[i] = values[first]!;
  for (let i = first + 1; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) {
      values[i] = values[i - 1]!;
      filled++;
    }
  }
  return filled;
}

/** The first row of a sheet as trimmed header names. */
export function sheetHeader(sheet: XlsxSheet): string[] {
  return (sheet.rows[0] ?? []).map((cell) => (cell === null ? '' : String(cell).trim()));
}

/**
 * Reads a cycler workbook and picks its data sheets, those whose header `isData` accepts; none is
 * malformed, naming `wanted` (what such a header has) and the sheets the workbook holds.
 */
export function workbookDataSheets(
  bytes: Uint8Array,
  fileName: string,
  guard: ParseGuard,
  isData: (header: string[]) => boolean,
  wanted: string,
): { sheets: XlsxSheet[]; data: XlsxSheet[] } {
  const sheets = readXlsxSheets(bytes, fileName);
  guard.check(0.5);
  const data = sheets.filter((s) => isData(sheetHeader(s)));
  if (data.length === 0) {
    throw new ElyteError(
      'malformed',
      `no sheet has ${wanted} (sheets: ${sheets.map((s) => s.name).join(', ')})`,
      { file: fileName },
    );
  }
  return { sheets, data };
}
