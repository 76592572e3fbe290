/**
 * The columns of a generic table (CSV/TSV/XLSX) for the column-mapping dialog: its header names,
 * the signature under which the library remembers a mapping, and the mapping Elyte would guess.
 */
import { ElyteError } from '../errors';
import { headerSignature, suggestMapping } from '../formats/generic/index';
import { detectInRows, detectLayout } from '../formats/generic/layout';
import { decodeText, splitFields, splitLines } from '../formats/text';
import { readXlsxSheets } from '../formats/xlsx';
import type { ColumnMapping } from '../measurement';

export interface TableColumns {
  headers: string[];
  signature: string;
  suggested: ColumnMapping;
}

const HEAD_BYTES = 256 * 1024;

export function tableColumns(bytes: Uint8Array, fileName: string): TableColumns {
  const headers = isZip(bytes) ? spreadsheetHeaders(bytes, fileName) : textHeaders(bytes, fileName);
  return { headers, signature: headerSignature(headers), suggested: suggestMapping(headers) };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b;
}

function textHeaders(bytes: Uint8Array, fileName: string): string[] {
  const lines = splitLines(decodeText(bytes.subarray(0, HEAD_BYTES)));
  const layout = detectLayout(lines);
  if (!layout)
    throw new ElyteError('unknown-format', 'no table of two or more columns found', { file: fileName });
  if (layout.headerRow < 0) return Array.from({ length: layout.width }, (_, i) => `column ${i + 1}`);
  return splitFields(lines[layout.headerRow]!, layout.delimiter).map((h) => h.trim());
}

function spreadsheetHeaders(bytes: Uint8Array, fileName: string): string[] {
  for (const sheet of readXlsxSheets(bytes, fileName)) {
    const rows = sheet.rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))));
    const layout = detectInRows(rows, false);
    if (!layout) continue;
    if (layout.headerRow < 0) return Array.from({ length: layout.width }, (_, i) => `column ${i + 1}`);
    return rows[layout.headerRow]!.map((h) => h.trim());
  }
  throw new ElyteError('unknown-format', 'no sheet holds a table of two or more columns', { file: fileName });
}
