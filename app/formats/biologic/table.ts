/**
 * The tab-separated data block of EC-Lab text exports, decoded straight from bytes into Float64Arrays.
 * No line or whole-file string is ever built: fields are scanned in place (numbers.ts), so a 2 GB
 * export costs its arrays and nothing more. Rows are counted first so each column is allocated once.
 */
import { ElyteError } from '../../errors';
import type { OriginalColumn, ParseOptions } from '../../measurement';
import { ParseGuard } from '../guard';
import { fieldEnd, scanNumber } from '../numbers';
import type { TextEncodingName } from '../text';
import { splitHeader } from './channels';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;

export interface TableInput {
  bytes: Uint8Array;
  fileName: string;
  encoding: TextEncodingName;
  /** Column names as written in the file, in file order (duplicates allowed). */
  headers: readonly string[];
  /** Byte offset of the first data line. */
  dataStart: number;
  /** 1-based line number of the first data line, for error messages. */
  firstLine: number;
  options: ParseOptions | undefined;
}

export interface TableResult {
  original: OriginalColumn[];
  rows: number;
  warnings: string[];
}

/** Splits the column-name line (tab separated; a trailing tab adds no column). */
export function splitHeaderLine(line: string): string[] {
  const names = line.split('\t').map((name) => name.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return names;
}

/**
 * Counts the lines from `start` (native indexOf is memchr-fast) so each column is allocated once at its
 * final size. A last line without a line feed counts too; lone-CR files are handled by growing.
 */
function countLines(bytes: Uint8Array, start: number): number {
  let count = 0;
  let last = start - 1;
  for (let at = bytes.indexOf(LF, start); at >= 0; at = bytes.indexOf(LF, at + 1)) {
    count++;
    last = at;
  }
  if (last < bytes.length - 1) count++;
  return Math.max(1, count);
}

export function readTable(input: TableInput): TableResult {
  const { bytes, fileName, headers } = input;
  const columns = headers.length;
  const guard = new ParseGuard(fileName, input.options);
  const n = bytes.length;
  let capacity = countLines(bytes, input.dataStart);
  let numeric: (Float64Array | null)[] = [];
  let text: (string[] | null)[] = [];
  const decoder = new TextDecoder(input.encoding);
  const warnings: string[] = [];
  const end = { at: 0 };
  let pos = input.dataStart;
  let line = input.firstLine - 1;
  let rows = 0;
  let decided = false;

  // A local binding: transpilers that turn ES imports into property reads (tsx, CommonJS output) would
  // otherwise pay a getter call per field.
  const scan = scanNumber;
  const fail = (message: string, lineNumber: number): never => {
    throw new ElyteError('malformed', message, { file: fileName, where: `line ${lineNumber}` });
  };

  while (pos < n) {
    line++;
    const first = bytes[pos]!;
    if (first === LF || first === CR) {
      pos = skipLineEnd(bytes, pos);
      continue;
    }
    if (!decided) {
      // The first data row decides which columns are numbers and which are text.
      const kinds = classifyRow(bytes, pos, columns);
      numeric = kinds.map((isNumber) => (isNumber ? new Float64Array(capacity) : null));
      text = kinds.map((isNumber) => (isNumber ? null : []));
      decided = true;
    }
    if (rows === capacity) {
      capacity *= 2;
      numeric = numeric.map((column) => grow(column, capacity));
    }
    const rowStart = pos;
    for (let c = 0; c < columns; c++) {
      const target = numeric[c];
      if (target) {
        const value = scan(bytes, pos, n, end);
        if (value - value !== 0) {
          const stop = fieldEnd(bytes, pos, n);
          if (isUnterminatedLastLine(bytes, pos)) return truncatedEnd();
          const field = decoder.decode(bytes.subarray(pos, Math.min(stop, pos + 40)));
          fail(`column "${headers[c]}" holds "${field}", which is not a number`, line);
        }
        target[rows] = value;
        pos = end.at;
      } else {
        const stop = fieldEnd(bytes, pos, n);
        text[c]!.push(decoder.decode(bytes.subarray(pos, stop)).trim());
        pos = stop;
      }
      if (c < columns - 1) {
        if (bytes[pos] !== TAB) {
          if (isUnterminatedLastLine(bytes, pos)) return truncatedEnd();
          fail(`the line has ${c + 1} values but the header names ${columns} columns`, line);
        }
        pos++;
      }
    }
    // EC-Lab ends some rows with a tab; anything else before the line end is an extra value.
    while (pos < n && (bytes[pos] === TAB || bytes[pos] === SPACE)) pos++;
    if (pos < n && bytes[pos] !== LF && bytes[pos] !== CR) {
      fail(`the line has more values than the ${columns} column names in the header`, line);
    }
    pos = skipLineEnd(bytes, pos);
    rows++;
    guard.tick((pos - input.dataStart) / Math.max(1, n - input.dataStart));
    if (pos === rowStart) fail('the reader made no progress (internal error)', line);
  }
  return finish();

  function truncatedEnd(): TableResult {
    warnings.push(`line ${line} is incomplete and was dropped: the file looks truncated`);
    return finish();
  }

  function finish(): TableResult {
    guard.check(1);
    const original: OriginalColumn[] = headers.map((header, c) => {
      const { unit } = splitHeader(header);
      const values = numeric[c];
      if (values) return { name: header, unit, values: trimTo(values, rows) };
      return { name: header, unit, values: text[c] ?? [] };
    });
    return { original, rows, warnings };
  }
}

/**
 * Trims a column to `rows` (a copy, so `.buffer` holds exactly the values for whoever stores it). Rows are
 * counted exactly up front, so this only copies when the file has blank or dropped lines.
 */
function trimTo(values: Float64Array, rows: number): Float64Array {
  return rows === values.length ? values : values.slice(0, rows);
}

function grow(column: Float64Array | null, capacity: number): Float64Array | null {
  if (!column) return null;
  const grown = new Float64Array(capacity);
  grown.set(column);
  return grown;
}

function skipLineEnd(bytes: Uint8Array, pos: number): number {
  if (bytes[pos] === CR) pos++;
  if (bytes[pos] === LF) pos++;
  return pos;
}

/** True when the line holding `pos` runs to the end of the file without a line end: a cut-off file. */
function isUnterminatedLastLine(bytes: Uint8Array, pos: number): boolean {
  let at = pos;
  while (at < bytes.length && bytes[at] !== LF && bytes[at] !== CR) at++;
  return at === bytes.length;
}

/** For each column of the row at `pos`: does its field read as a number? */
function classifyRow(bytes: Uint8Array, pos: number, columns: number): boolean[] {
  const kinds: boolean[] = [];
  const end = { at: 0 };
  let at = pos;
  for (let c = 0; c < columns; c++) {
    const value = scanNumber(bytes, at, bytes.length, end);
    // An empty field is not evidence of text; it will fail as "not a number" with its line.
    const stop = fieldEnd(bytes, at, bytes.length);
    kinds.push(value - value === 0 || stop === at);
    at = stop;
    if (bytes[at] !== TAB) {
      for (let rest = c + 1; rest < columns; rest++) kinds.push(true);
      break;
    }
    at++;
  }
  return kinds;
}
