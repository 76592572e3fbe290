/**
 * Finds the table in a text or spreadsheet with no known instrument layout: the delimiter, whether
 * numbers use a decimal comma, and the header row — the first row whose fields are mostly words,
 * followed by rows that are mostly numbers with at least as many fields. A table with no header row
 * (only numbers from the first line) is recognised too; its columns are then called "column 1" ….
 */
import { splitFields } from '../text';
import type { Delimiter } from './table';
import { isKnownUnit } from './units';

export interface TableLayout {
  delimiter: Delimiter;
  decimalComma: boolean;
  /** 0-based row of the header; -1 when the table has no header row. */
  headerRow: number;
  /** 0-based first data row. */
  firstDataRow: number;
  /** Number of fields in the header (or the first data row). */
  width: number;
}

const DELIMITERS: Delimiter[] = ['\t', ';', ',', ' '];
/** Data rows that must follow a header before we believe it is one. */
const CONFIRM_ROWS = 3;
const MAX_HEADER_SEARCH = 200;

const DECIMAL_COMMA_NUMBER = /^[-+]?\d*,\d+([eE][-+]?\d+)?$/;

/** A field is a number (decimal point, or decimal comma when allowed). */
export function isNumberField(field: string, decimalComma: boolean): boolean {
  const s = field.trim();
  if (s.length === 0) return false;
  if (decimalComma && DECIMAL_COMMA_NUMBER.test(s)) return true;
  if (!/^[-+]?(\d|\.\d)/.test(s)) return false;
  return Number.isFinite(Number(s));
}

/** Fraction of the non-empty fields that are numbers; -1 for a row with no content. */
function numericFraction(fields: string[], decimalComma: boolean): number {
  let filled = 0;
  let numbers = 0;
  for (const field of fields) {
    if (field.trim().length === 0) continue;
    filled++;
    if (isNumberField(field, decimalComma)) numbers++;
  }
  return filled === 0 ? -1 : numbers / filled;
}

function isDataRow(fields: string[], width: number, decimalComma: boolean): boolean {
  return fields.length >= width && numericFraction(fields, decimalComma) >= 0.5;
}

/**
 * The layout of rows of text lines, or null when no delimiter gives a table of at least two columns.
 * `rowsOf` splits a line with a delimiter (the caller can pass pre-split spreadsheet rows instead).
 */
export function detectLayout(lines: string[]): TableLayout | null {
  let best: TableLayout | null = null;
  for (const delimiter of DELIMITERS) {
    const rows = lines
      .slice(0, MAX_HEADER_SEARCH + CONFIRM_ROWS + 1)
      .map((line) => splitFields(line, delimiter));
    const decimalComma = delimiter !== ',' && usesDecimalComma(rows);
    const layout = detectInRows(rows, decimalComma);
    if (!layout) continue;
    const candidate = { ...layout, delimiter, decimalComma };
    if (
      !best ||
      candidate.firstDataRow < best.firstDataRow ||
      (candidate.firstDataRow === best.firstDataRow && candidate.width > best.width)
    ) {
      best = candidate;
    }
  }
  return best;
}

function usesDecimalComma(rows: string[][]): boolean {
  let comma = 0;
  let point = 0;
  for (const fields of rows) {
    for (const field of fields) {
      const s = field.trim();
      if (DECIMAL_COMMA_NUMBER.test(s)) comma++;
      else if (/^[-+]?\d*\.\d+([eE][-+]?\d+)?$/.test(s)) point++;
    }
  }
  return comma > point;
}

/** Header and first data row in already-split rows (text or spreadsheet), or null. */
export function detectInRows(
  rows: string[][],
  decimalComma: boolean,
): Pick<TableLayout, 'headerRow' | 'firstDataRow' | 'width'> | null {
  const limit = Math.min(rows.length, MAX_HEADER_SEARCH);
  for (let i = 0; i < limit; i++) {
    const fields = rows[i]!;
    const width = trimmedWidth(fields);
    if (width < 2) continue;
    const fraction = numericFraction(fields, decimalComma);
    const confirmed = confirmData(rows, i + 1, width, decimalComma);
    if (!confirmed) continue;
    if (fraction >= 0 && fraction < 0.5) {
      // "Time;Voltage" over "s;mV": the names are the header, the row of units sits between it and the data.
      const above = i > 0 ? rows[i - 1]! : undefined;
      if (
        above &&
        isUnitsRow(fields) &&
        trimmedWidth(above) >= width &&
        numericFraction(above, decimalComma) === 0
      ) {
        return { headerRow: i - 1, firstDataRow: confirmed, width };
      }
      return { headerRow: i, firstDataRow: confirmed, width };
    }
    if (fraction === 1 && isDataRow(fields, width, decimalComma)) {
      return { headerRow: -1, firstDataRow: i, width };
    }
  }
  return null;
}

/** Every non-empty field is a unit ("s", "[mA]", "(V)"). */
export function isUnitsRow(fields: string[]): boolean {
  const filled = fields.map((f) => f.trim()).filter((f) => f.length > 0);
  return filled.length > 0 && filled.every((f) => isKnownUnit(f.replace(/^[[(]|[\])]$/g, '')));
}

/** Fields up to the last non-empty one (a trailing delimiter does not make a column). */
function trimmedWidth(fields: string[]): number {
  let width = fields.length;
  while (width > 0 && fields[width - 1]!.trim().length === 0) width--;
  return width;
}

/** Index of the first data row when the rows after `start` are data of at least `width` fields. */
function confirmData(rows: string[][], start: number, width: number, decimalComma: boolean): number {
  let seen = 0;
  let first = 0;
  let j = start;
  for (; j < rows.length && seen < CONFIRM_ROWS; j++) {
    const fields = rows[j]!;
    if (numericFraction(fields, decimalComma) < 0) continue; // blank line, or a units row of blanks
    if (!isDataRow(fields, width, decimalComma)) return 0;
    if (seen === 0) first = j;
    seen++;
  }
  // A short file may have fewer than CONFIRM_ROWS data rows: then all of its remaining rows must be data.
  const complete = seen >= CONFIRM_ROWS || j >= rows.length;
  return complete && seen > 0 ? first : 0;
}
