/**
 * Gamry Framework .DTA ("EXPLAIN" text): a header of `KEY<TAB>TYPE<TAB>value<TAB>label` lines, then one
 * or more TABLE blocks (a name line, a column-name line, a unit line, then tab-indented rows).
 * EIS files hold ZCURVE; CV holds CURVE1…CURVEn (one per cycle, joined here with a `cycle` channel);
 * CHRONOA/CHRONOP/CORPOT hold CURVE; many also hold an OCVCURVE measured before the experiment, which is
 * kept in the parsed structure and summarised in metadata but is not the measurement itself.
 * Numbers follow the PC's locale, so a decimal comma is detected from the header and the data.
 */
import type {
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
  TechniqueKind,
} from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { headText, looksLikeText, parseLocaleNumber, splitLines, TextLines } from '../text';
import {
  addSeconds,
  type Channels,
  completeImpedance,
  fail,
  isoLocal,
  parseClock,
  requireFinite,
  scaled,
  siFactor,
} from './shared';
import { shortRow, TableBuilder } from './table';

export interface GamryTable {
  name: string;
  /** Points the header line declares (Gamry writes the allocated count for some techniques). */
  declaredPoints: number | undefined;
  rows: number;
  columns: OriginalColumn[];
}

export interface GamryFile {
  tag: string;
  header: Record<string, string>;
  notes: string;
  tables: GamryTable[];
  aborted: boolean;
  decimalComma: boolean;
}

const TAB = 9;

/** Decodes the EXPLAIN structure: header keys and every table, without choosing the measurement. */
export function parseGamryFile(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): GamryFile {
  const guard = new ParseGuard(fileName, options);
  // Lines as Gamry's own reader splits them: on \n, dropping the \r before it.
  const lines = new TextLines(bytes, 'lf');
  if (lines.next()?.trim() !== 'EXPLAIN') {
    fail(
      'malformed',
      'a Gamry .DTA file starts with the line EXPLAIN; this one does not',
      fileName,
      'line 1',
    );
  }
  const decimalComma = usesDecimalComma(splitLines(headText(bytes, 65536)));
  const header: Record<string, string> = {};
  const tables: GamryTable[] = [];
  let notes = '';
  let aborted = false;
  let tag = '';
  for (let line = lines.next(); line !== undefined; line = lines.next()) {
    guard.tick();
    if (line.trim() === '' || line.startsWith('\t')) continue;
    const fields = line.split('\t');
    const key = fields[0]!.trim();
    const type = fields[1]?.trim() ?? '';
    if (key === 'TAG') {
      tag = type;
    } else if (type === 'TABLE') {
      tables.push(readTable(lines, fields, decimalComma, fileName, guard));
    } else if (type === 'NOTES') {
      const count = Number(fields[2]);
      const noteLines: string[] = [];
      // Note lines are tab-indented; the first line that is not ends the notes and is read as header.
      for (let n = 0; Number.isInteger(count) && n < count && startsWithTab(lines); n++) {
        noteLines.push(lines.next()!.trim());
      }
      notes = noteLines.filter((s) => s.length > 0).join('\n');
      header[key] = notes;
    } else {
      readHeaderValue(header, key, type, fields);
      if (key === 'EXPERIMENTABORTED' && header[key] === 'T') aborted = true;
    }
  }
  if (!tag) fail('malformed', 'the Gamry header has no TAG line naming the technique', fileName);
  return { tag, header, notes, tables, aborted, decimalComma };
}

/** True when the next line starts with a tab (a table row or a note line); the cursor stays. */
function startsWithTab(lines: TextLines): boolean {
  return lines.offset < lines.bytes.length && lines.bytes[lines.offset] === TAB;
}

/**
 * `KEY TYPE value … label`: the label (last field) is for people. POTEN adds a "vs. Eoc" toggle and
 * TWOPARAM an enable toggle with two values; those get their own keys so each value stays a plain number.
 */
function readHeaderValue(header: Record<string, string>, key: string, type: string, fields: string[]): void {
  const value = (index: number) => fields[index]?.trim() ?? '';
  if (type === 'POTEN') {
    header[key] = value(2);
    if (fields.length > 4) header[`${key}.vsEoc`] = value(3);
  } else if (type === 'TWOPARAM') {
    header[key] = value(2);
    header[`${key}.start`] = value(3);
    header[`${key}.finish`] = value(4);
  } else {
    header[key] = value(2);
  }
}

/** A TABLE block: the name line (already read), column names, units, then tab-indented rows. */
function readTable(
  lines: TextLines,
  fields: string[],
  decimalComma: boolean,
  fileName: string,
  guard: ParseGuard,
): GamryTable {
  const name = fields[0]!.trim();
  const declared = fields[2] !== undefined && fields[2].trim() !== '' ? Number(fields[2]) : undefined;
  const namesLine = lines.next();
  const unitsLine = lines.next();
  if (namesLine === undefined || unitsLine === undefined || !namesLine.startsWith('\t')) {
    fail(
      'truncated',
      `table ${name} has no column-name and unit lines; the file looks cut short`,
      fileName,
      `line ${lines.number}`,
    );
  }
  const names = namesLine.split('\t').slice(1);
  const units = unitsLine.split('\t').slice(1);
  if (names.length === 0 || names.some((n) => n.trim() === '')) {
    fail('malformed', `table ${name} has an empty column name`, fileName, `line ${lines.number - 1}`);
  }
  const table = new TableBuilder(
    names.map((n) => n.trim()),
    units.map((u) => u.trim()),
    decimalComma,
    lines.countAhead(TAB),
  );
  while (startsWithTab(lines)) {
    guard.tick();
    // The row's fields follow its leading tab; rows the byte scanner cannot take go through strings.
    const lineEnd = table.pushBytes(lines, lines.offset + 1, TAB);
    if (lineEnd >= 0) {
      lines.advanceTo(lineEnd);
      continue;
    }
    const row = lines.next()!.split('\t').slice(1);
    if (row.length < names.length) {
      shortRow(lines, row.length, names.length, fileName, Number.POSITIVE_INFINITY, `table ${name} row`);
    }
    table.push(row);
  }
  return {
    name,
    declaredPoints: declared !== undefined && Number.isFinite(declared) ? declared : undefined,
    rows: table.rows,
    columns: table.columns(),
  };
}

/** Decimal comma when numbers like "1,5E-003" appear and "1.5E-003" do not (Gamry writes one or the other). */
function usesDecimalComma(lines: string[]): boolean {
  let comma = 0;
  let point = 0;
  for (const line of lines.slice(0, 400)) {
    for (const field of line.split('\t')) {
      if (/^-?\d+,\d+(E[+-]?\d+)?$/i.test(field)) comma++;
      else if (/^-?\d+\.\d+(E[+-]?\d+)?$/i.test(field)) point++;
    }
  }
  return comma > point;
}

const KIND_BY_TAG: Record<string, TechniqueKind> = {
  EISPOT: 'eis',
  EISGALV: 'eis',
  EISMON: 'eis',
  GALVEIS: 'eis',
  HYBRIDEIS: 'eis',
  CV: 'voltammetry',
  RCV: 'voltammetry',
  LSV: 'voltammetry',
  POTDYN: 'voltammetry',
  CHRONOA: 'potentiostatic',
  PSTAT: 'potentiostatic',
  CHRONOP: 'galvanostatic',
  GSTAT: 'galvanostatic',
  GALVDYN: 'galvanostatic',
  CORPOT: 'ocv',
  OCP: 'ocv',
};

/** Column name → canonical channel. Gamry writes SI units; a prefixed unit row is still honoured. */
const CHANNEL_BY_COLUMN: Record<string, keyof Channels> = {
  T: 'time_s',
  Time: 'time_s',
  Vf: 'voltage_V',
  Im: 'current_A',
  Freq: 'frequency_Hz',
  Zreal: 'z_real_ohm',
  Zimag: 'z_imag_ohm',
  Zmod: 'z_mod_ohm',
  Zphz: 'z_phase_deg',
  Idc: 'current_A',
  Vdc: 'voltage_V',
  Temp: 'temperature_C',
};

/** OCVCURVE and other pre-experiment tables: recorded, but the measurement is the main curve. */
const AUXILIARY_TABLES = new Set(['OCVCURVE', 'EOC', 'OCV']);

function toMeasurement(file: GamryFile, fileName: string): Measurement {
  const main = file.tables.filter((t) => !AUXILIARY_TABLES.has(t.name));
  if (main.length === 0) {
    fail(
      file.aborted ? 'truncated' : 'malformed',
      `the file has no data table (only ${file.tables.map((t) => t.name).join(', ') || 'a header'})` +
        (file.aborted ? '; the experiment was aborted before the first point' : ''),
      fileName,
    );
  }
  const warnings: string[] = [];
  const columns = concatTables(main, fileName);
  const rows = columns[0]?.values.length ?? 0;
  const channels: Channels = {};
  for (const column of columns) {
    const channel = CHANNEL_BY_COLUMN[column.name];
    if (!channel || channels[channel] || !(column.values instanceof Float64Array)) continue;
    // Gamry writes -327.67 °C when no thermocouple is connected: that is "no reading", not a temperature.
    if (channel === 'temperature_C' && column.values.some((v) => v <= -273.15)) continue;
    const factor =
      channel === 'temperature_C' || channel === 'z_phase_deg' ? 1 : (siFactor(column.unit)?.factor ?? 1);
    channels[channel] = scaled(column.values, factor);
  }
  if (main.length > 1) {
    const cycle = new Float64Array(rows);
    let offset = 0;
    main.forEach((table, index) => {
      const number = Number(/(\d+)$/.exec(table.name)?.[1] ?? index + 1);
      cycle.fill(number, offset, offset + table.rows);
      offset += table.rows;
    });
    channels.cycle = cycle;
  }
  const kind = KIND_BY_TAG[file.tag];
  if (kind === 'eis') completeImpedance(channels);
  requireFinite(channels, fileName);
  if (file.aborted)
    warnings.push('the experiment was aborted: the file holds only the points measured before that');
  for (const table of main) {
    if (file.aborted && table.declaredPoints !== undefined && table.rows < table.declaredPoints) {
      warnings.push(`table ${table.name} declares ${table.declaredPoints} points but holds ${table.rows}`);
    }
  }
  const header = file.header;
  const extra: Record<string, string> = { ...header, TAG: file.tag };
  for (const table of file.tables.filter((t) => AUXILIARY_TABLES.has(t.name))) {
    extra[`${table.name}.points`] = String(table.rows);
    const vf = table.columns.find((c) => c.name === 'Vf')?.values;
    if (vf instanceof Float64Array && vf.length > 0)
      extra[`${table.name}.lastVf_V`] = String(vf[vf.length - 1]);
  }
  const metadata: Measurement['metadata'] = { extra };
  const area = parseLocaleNumber(header.AREA ?? '', file.decimalComma);
  if (Number.isFinite(area) && area > 0) metadata.area_m2 = area * 1e-4;
  if (header.PSTAT) metadata.instrument = `Gamry ${header.PSTAT}`;
  if (header.PSTATSERIALNO) metadata.serialNumber = header.PSTATSERIALNO;
  if (header.FRAMEWORKVERSION) metadata.softwareVersion = `Gamry Framework ${header.FRAMEWORKVERSION}`;
  const start = startTime(header.DATE, header.TIME);
  const firstTime = channels.time_s?.[0];
  if (start) metadata.startTime = firstTime !== undefined ? addSeconds(start, firstTime) : start;
  const draft = {
    format: 'gamry-dta',
    fileName,
    technique: file.tag,
    channels,
    original: columns,
    metadata,
    warnings,
  };
  return finishMeasurement(kind ? { ...draft, kind } : draft);
}

/** Joins CURVE1…CURVEn, which share their columns; a table with other columns is a different experiment. */
function concatTables(tables: GamryTable[], fileName: string): OriginalColumn[] {
  if (tables.length === 1) return tables[0]!.columns;
  const names = tables[0]!.columns.map((c) => c.name);
  for (const table of tables) {
    if (table.columns.map((c) => c.name).join('\t') !== names.join('\t')) {
      fail('unsupported', `tables ${tables[0]!.name} and ${table.name} have different columns`, fileName);
    }
  }
  return names.map((name, c) => {
    const parts = tables.map((t) => t.columns[c]!.values);
    const unit = tables[0]!.columns[c]!.unit;
    if (parts.every((p) => p instanceof Float64Array)) {
      const total = parts.reduce((n, p) => n + p.length, 0);
      const out = new Float64Array(total);
      let offset = 0;
      for (const p of parts as Float64Array[]) {
        out.set(p, offset);
        offset += p.length;
      }
      return { name, unit, values: out };
    }
    const text: string[] = [];
    for (const p of parts) for (const v of p) text.push(String(v));
    return { name, unit, values: text };
  });
}

/**
 * Gamry writes the date in the PC's short-date format: "4/23/2018" (US, month first) or "10-2-2020" /
 * "10.2.2020" (day first, as gamry-parser reads them). A day above 12 settles any doubt.
 */
function startTime(date: string | undefined, time: string | undefined): string | undefined {
  if (!date) return undefined;
  const match = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})$/.exec(date.trim());
  if (!match) return undefined;
  let a = Number(match[1]);
  let b = Number(match[3]);
  let year = Number(match[4]);
  if (match[1]!.length === 4) {
    [year, a, b] = [a, b, year];
    return iso(year, a, b, time);
  }
  if (year < 100) year += 2000;
  const dayFirst = match[2] !== '/' || a > 12;
  return dayFirst ? iso(year, b, a, time) : iso(year, a, b, time);
}

function iso(year: number, month: number, day: number, time: string | undefined): string | undefined {
  const clock = time ? parseClock(time) : undefined;
  return clock ? isoLocal(year, month, day, ...clock) : isoLocal(year, month, day);
}

export const gamryDtaReader: FormatReader = {
  id: 'gamry-dta',
  label: 'Gamry Framework (.DTA)',
  extensions: ['dta'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const text = headText(head, 4096);
    if (!/^EXPLAIN\r?\n/.test(text)) return 0;
    return /\nTAG\t\w+/.test(text) ? 0.98 : 0.6;
  },
  parse(bytes: Uint8Array, fileName: string, options?: ParseOptions): Measurement {
    return toMeasurement(parseGamryFile(bytes, fileName, options), fileName);
  },
};
