/**
 * Delimited text tables (CSV, TSV, semicolon, decimal comma) turned into original columns, streamed line
 * by line. Shared by the generic reader and by the cycler readers whose exports are tables under a
 * preamble (Maccor, Novonix, PEC). A column is numeric when its first rows are all numbers or blank;
 * text columns stay text so nothing in the file is lost.
 */
import { ElyteError } from '../../errors';
import type { CanonicalChannel, OriginalColumn } from '../../measurement';
import { Float64Builder } from '../columns';
import type { ParseGuard } from '../guard';
import { parseLocaleNumber, splitFields, TextLines } from '../text';
import { parseHeaderUnit, requireUnitConversion } from './units';

export type Delimiter = '\t' | ';' | ',' | ' ';

/** Rows looked at before a column's type (number or text) is fixed. */
const TYPE_SAMPLE_ROWS = 200;

export interface TableOptions {
  /** 0-based index of the header line in the file; -1 when the table has none (give `headers`). */
  headerLine: number;
  /** Column names for a table without a header line. */
  headers?: string[];
  /** 0-based first data line (default: the line after the header); lines before it are skipped. */
  firstDataLine?: number;
  delimiter: Delimiter;
  decimalComma: boolean;
  /** Novonix writes each whole row inside one pair of quotes: strip them before splitting. */
  unquoteWholeLine?: boolean;
  /** A data line starting with this ends the table (e.g. "[End"); default: read to the end. */
  stopAt?: (line: string) => boolean;
  guard: ParseGuard;
  fileName: string;
}

export interface DelimitedTable {
  /** Lines before the header line, for the reader's metadata. */
  preamble: string[];
  /** Lines between the header and the first data line (a units row, a separator), verbatim. */
  skipped: string[];
  headers: string[];
  columns: OriginalColumn[];
  /** Columns in header order; undefined where an empty, unnamed column was dropped. */
  aligned: (OriginalColumn | undefined)[];
  rows: number;
  warnings: string[];
}

/** Strips one pair of quotes wrapping the whole line ("a,b,c" → a,b,c). */
export function unquoteLine(line: string): string {
  if (line.length >= 2 && line.startsWith('"') && line.endsWith('"') && !line.slice(1, -1).includes('"')) {
    return line.slice(1, -1);
  }
  return line;
}

/** Reads a delimited table below a preamble, streaming so a large export never becomes one string. */
export function readDelimitedTable(bytes: Uint8Array, options: TableOptions): DelimitedTable {
  const preamble: string[] = [];
  const skipped: string[] = [];
  let headers: string[] | null = options.headers ?? null;
  let builder: ColumnSetBuilder | null = headers ? new ColumnSetBuilder(headers, options.decimalComma) : null;
  const firstDataLine = options.firstDataLine ?? options.headerLine + 1;
  let lineIndex = -1;
  // Lines split on \n (the \r before it dropped), as the sniffer's headLines splits them.
  const lines = new TextLines(bytes, 'lf');
  for (let rawLine = lines.next(); rawLine !== undefined; rawLine = lines.next()) {
    lineIndex++;
    const line = options.unquoteWholeLine ? unquoteLine(rawLine) : rawLine;
    if (lineIndex < options.headerLine || (options.headerLine < 0 && lineIndex < firstDataLine)) {
      preamble.push(rawLine);
      continue;
    }
    if (lineIndex === options.headerLine) {
      headers = splitFields(line, options.delimiter).map((h) => h.trim());
      builder = new ColumnSetBuilder(headers, options.decimalComma);
      continue;
    }
    if (lineIndex < firstDataLine) {
      skipped.push(rawLine);
      continue;
    }
    if (line.trim().length === 0) continue;
    if (options.stopAt?.(line)) break;
    builder!.addRow(splitFields(line, options.delimiter), lineIndex + 1);
    options.guard.tick(Math.min(1, lines.offset / Math.max(1, lines.bytes.length)));
  }
  if (!headers || !builder) {
    throw new ElyteError(
      'truncated',
      `the file ends before its column header (line ${options.headerLine + 1})`,
      {
        file: options.fileName,
      },
    );
  }
  const { columns, aligned, rows, warnings } = builder.finish();
  return { preamble, skipped, headers, columns, aligned, rows, warnings };
}

/** Accumulates rows of string fields into typed columns. */
export class ColumnSetBuilder {
  private readonly sample: string[][] = [];
  private readonly sampleLines: number[] = [];
  private numeric: boolean[] | null = null;
  private numbers: Float64Builder[] = [];
  private texts: string[][] = [];
  private rows = 0;
  private extraFieldRows = 0;
  private badNumbers: number[];
  private firstBadLine: number[];

  constructor(
    private readonly headers: string[],
    private readonly decimalComma: boolean,
  ) {
    this.badNumbers = headers.map(() => 0);
    this.firstBadLine = headers.map(() => 0);
  }

  addRow(fields: string[], lineNumber: number): void {
    if (fields.length > this.headers.length) {
      for (let i = this.headers.length; i < fields.length; i++) {
        if (fields[i]!.trim().length > 0) {
          this.extraFieldRows++;
          break;
        }
      }
    }
    this.rows++;
    if (!this.numeric) {
      this.sample.push(fields);
      this.sampleLines.push(lineNumber);
      if (this.sample.length >= TYPE_SAMPLE_ROWS) this.fixTypes();
      return;
    }
    this.append(fields, lineNumber);
  }

  private fixTypes(): void {
    const n = this.headers.length;
    this.numeric = new Array<boolean>(n).fill(true);
    const seenValue = new Array<boolean>(n).fill(false);
    for (const fields of this.sample) {
      for (let c = 0; c < n; c++) {
        const field = (fields[c] ?? '').trim();
        if (field.length === 0) continue;
        seenValue[c] = true;
        if (!Number.isFinite(parseLocaleNumber(field, this.decimalComma))) this.numeric[c] = false;
      }
    }
    for (let c = 0; c < n; c++) if (!seenValue[c]) this.numeric[c] = false;
    this.numbers = this.numeric.map((isNumber) => new Float64Builder(isNumber ? 4096 : 16));
    this.texts = this.numeric.map(() => []);
    const sample = this.sample.splice(0);
    const lines = this.sampleLines.splice(0);
    sample.forEach((fields, i) => {
      this.append(fields, lines[i]!);
    });
  }

  private append(fields: string[], lineNumber: number): void {
    const numeric = this.numeric!;
    for (let c = 0; c < numeric.length; c++) {
      const field = fields[c] ?? '';
      if (numeric[c]) {
        // Fast path: Number() ignores surrounding spaces; only 0 (maybe a blank) and NaN need a closer look.
        let value = Number(field);
        if (value === 0 || Number.isNaN(value) || !Number.isFinite(value)) {
          const trimmed = field.trim();
          value = trimmed.length === 0 ? Number.NaN : parseLocaleNumber(trimmed, this.decimalComma);
          if (trimmed.length > 0 && !Number.isFinite(value)) {
            if (this.badNumbers[c]! === 0) this.firstBadLine[c] = lineNumber;
            this.badNumbers[c]!++;
            value = Number.NaN;
          }
        }
        this.numbers[c]!.push(value);
      } else {
        this.texts[c]!.push(field.trim());
      }
    }
  }

  /** `aligned[i]` is the column of header i (undefined for a dropped empty, unnamed column). */
  finish(): {
    columns: OriginalColumn[];
    aligned: (OriginalColumn | undefined)[];
    rows: number;
    warnings: string[];
  } {
    if (!this.numeric) this.fixTypes();
    const warnings: string[] = [];
    const columns: OriginalColumn[] = [];
    const aligned: (OriginalColumn | undefined)[] = [];
    const numeric = this.numeric!;
    for (let c = 0; c < this.headers.length; c++) {
      const header = this.headers[c]!;
      const { name, unit } = parseHeaderUnit(header);
      const values = numeric[c] ? this.numbers[c]!.finish() : this.texts[c]!;
      // A trailing delimiter makes an unnamed, empty column: it holds nothing, so it is not kept.
      if (header.length === 0 && !numeric[c] && (values as string[]).every((v) => v.length === 0)) {
        aligned.push(undefined);
        continue;
      }
      const column: OriginalColumn = { name: name.length > 0 ? name : `column ${c + 1}`, unit, values };
      columns.push(column);
      aligned.push(column);
      if (this.badNumbers[c]! > 0) {
        const where = this.firstBadLine[c]! > 0 ? ` (first at line ${this.firstBadLine[c]})` : '';
        warnings.push(
          `column "${header}": ${this.badNumbers[c]} non-numeric value(s) in a numeric column read as missing${where}`,
        );
      }
    }
    if (this.extraFieldRows > 0) {
      warnings.push(
        `${this.extraFieldRows} row(s) had more fields than the header; the extra fields were ignored`,
      );
    }
    return { columns, aligned, rows: this.rows, warnings };
  }
}

/**
 * The original column whose header (case-insensitive) matches one of `names`: a name written with its
 * unit ("Test (Sec)") matches the full header first, then a bare name matches a column's name.
 */
export function findColumn(columns: OriginalColumn[], ...names: string[]): OriginalColumn | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  const label = (column: OriginalColumn): string =>
    (column.unit ? `${column.name} (${column.unit})` : column.name).toLowerCase();
  return (
    columns.find((column) => wanted.includes(label(column))) ??
    columns.find((column) => wanted.includes(column.name.toLowerCase()))
  );
}

/** A copy of a numeric column scaled to SI (copy: finishMeasurement rebases time in place). */
export function numericCopy(
  column: OriginalColumn | undefined,
  scale = 1,
  offset = 0,
): Float64Array | undefined {
  if (!column || !(column.values instanceof Float64Array)) return undefined;
  const out = new Float64Array(column.values.length);
  const values = column.values;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * scale + offset;
  return out;
}

/** Number of NaN (blank or unreadable) entries. */
export function countMissing(values: Float64Array): number {
  let missing = 0;
  for (const v of values) if (Number.isNaN(v)) missing++;
  return missing;
}

/**
 * The first column matching `names`, converted to the SI unit of `channel` using the unit in its header
 * (`defaultUnit` when the header has none). Undefined when no numeric column matches.
 */
export function siChannel(
  columns: OriginalColumn[],
  channel: CanonicalChannel,
  fileName: string,
  names: string[],
  defaultUnit = '',
): Float64Array | undefined {
  const column = findColumn(columns, ...names);
  if (!column || !(column.values instanceof Float64Array)) return undefined;
  const label = column.unit ? `${column.name} (${column.unit})` : column.name;
  const conversion = requireUnitConversion(channel, column.unit || defaultUnit, label, fileName);
  return numericCopy(column, conversion.scale, conversion.offset);
}
