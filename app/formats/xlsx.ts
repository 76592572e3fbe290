/**
 * A small, synchronous XLSX reader shared by the spreadsheet-export readers (Arbin, Neware, Landt,
 * generic). It reads only what instrument exports contain: sheet names and order (workbook.xml + its
 * relationships), shared strings, and cell values. Numbers stay numbers, dates stay Excel serial
 * numbers (the caller knows which column is a date), booleans become 1/0, error cells become null.
 * Sparse rows are placed by each cell's `r` reference, so a missing cell is a null, not a shift.
 *
 * A full XML parser is not needed: SpreadsheetML cells are flat (`<c r t s><v>…</v></c>` or an inline
 * `<is>`), so a careful indexOf scan is both simpler and several times faster than a DOM.
 */
import { Inflate, inflateSync } from 'fflate';
import { ElyteError } from '../errors';

export type XlsxCell = string | number | null;

export interface XlsxSheet {
  name: string;
  rows: XlsxCell[][];
}

/** True when the bytes start like a zip archive (local file header "PK\3\4"). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * Opens a zip archive: reads the central directory and inflates the members `filter` keeps.
 * (fflate's unzipSync is very slow on some instrument-written archives; its raw inflate is not.)
 * Any damage — a missing directory, sizes past the end, a bad deflate stream — is an ElyteError.
 */
export function unzipFile(
  bytes: Uint8Array,
  fileName: string,
  what: string,
  filter?: (name: string) => boolean,
): Record<string, Uint8Array> {
  if (!isZip(bytes)) {
    throw new ElyteError('malformed', `${what} is a zip archive, but this file does not start like one`, {
      file: fileName,
    });
  }
  const damaged = (reason: string): ElyteError =>
    new ElyteError('truncated', `the zip archive is damaged or incomplete (${reason})`, { file: fileName });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw damaged('no central directory at the end of the file');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files: Record<string, Uint8Array> = {};
  const latin1 = new TextDecoder('latin1');
  for (let entry = 0; entry < count; entry++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw damaged(`directory entry ${entry + 1}`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const next = at + 46 + nameLength + extraLength + view.getUint16(at + 32, true);
    let local = view.getUint32(at + 42, true);
    if (size === 0xffffffff || compressedSize === 0xffffffff || local === 0xffffffff) {
      // Zip64 (Neware writes it even for tiny members): the real values are in extra field 0x0001.
      const zip64 = zip64Fields(view, at + 46 + nameLength, extraLength);
      if (!zip64) throw damaged(`directory entry ${entry + 1} has no zip64 sizes`);
      let k = 0;
      if (size === 0xffffffff) size = zip64[k++] ?? Number.NaN;
      if (compressedSize === 0xffffffff) compressedSize = zip64[k++] ?? Number.NaN;
      if (local === 0xffffffff) local = zip64[k++] ?? Number.NaN;
      if (![size, compressedSize, local].every(Number.isFinite))
        throw damaged(`directory entry ${entry + 1}`);
    }
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = (flags & 0x800) !== 0 ? utf8.decode(nameBytes) : latin1.decode(nameBytes);
    at = next;
    if (name.endsWith('/') || (filter && !filter(name))) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50)
      throw damaged(`member ${name}`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressedSize > bytes.length)
      throw damaged(`member ${name} runs past the end of the file`);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (method === 0) files[name] = data.slice();
    else if (method === 8) {
      let inflated: Uint8Array;
      try {
        inflated = inflateSync(data);
      } catch (error) {
        throw damaged(`member ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (inflated.length !== size)
        throw damaged(`member ${name} inflates to ${inflated.length} bytes, not ${size}`);
      files[name] = inflated;
    } else {
      throw new ElyteError(
        'unsupported',
        `zip member ${name} uses compression method ${method}; only deflate is supported`,
        {
          file: fileName,
        },
      );
    }
  }
  return files;
}

const utf8 = new TextDecoder('utf-8');

/** The 64-bit values of a zip64 extended-information extra field (id 1), or null. */
function zip64Fields(view: DataView, from: number, length: number): number[] | null {
  let at = from;
  const end = Math.min(from + length, view.byteLength);
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 1) {
      const values: number[] = [];
      for (let k = at + 4; k + 8 <= Math.min(at + 4 + size, end); k += 8) {
        values.push(view.getUint32(k, true) + view.getUint32(k + 4, true) * 4294967296);
      }
      return values;
    }
    at += 4 + size;
  }
  return null;
}

/**
 * For sniffing: the (possibly partial) text of the zip members whose data starts inside `head`,
 * by member name. Lets an XLSX reader see sheet names (xl/workbook.xml) and often the first rows
 * without the whole file. Never throws; a damaged member is simply left out.
 */
export function zipHeadTexts(head: Uint8Array, maxMembers = 32): Map<string, string> {
  const texts = new Map<string, string>();
  if (!isZip(head)) return texts;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = 0;
  for (let m = 0; m < maxMembers && at + 30 <= head.length && view.getUint32(at, true) === 0x04034b50; m++) {
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const name = new TextDecoder('latin1').decode(head.subarray(at + 30, at + 30 + nameLength));
    const dataStart = at + 30 + nameLength + extraLength;
    let dataEnd: number;
    if ((flags & 8) !== 0 || view.getUint32(at + 18, true) === 0) {
      // Streamed member (sizes in a trailing data descriptor): it ends where the next member starts.
      dataEnd = nextLocalHeader(head, dataStart);
    } else {
      dataEnd = dataStart + view.getUint32(at + 18, true);
    }
    const data = head.subarray(Math.min(dataStart, head.length), Math.min(dataEnd, head.length));
    try {
      if (method === 0) texts.set(name, utf8.decode(data));
      else if (method === 8) {
        const parts: Uint8Array[] = [];
        const inflater = new Inflate((chunk) => parts.push(chunk));
        inflater.push(data, false);
        texts.set(name, parts.map((part) => utf8.decode(part)).join(''));
      }
    } catch {
      // A member cut by the end of the head or damaged: nothing to show for it.
    }
    if (dataEnd >= head.length) break;
    at = (flags & 8) !== 0 ? nextLocalHeader(head, dataEnd) : dataEnd;
  }
  return texts;
}

function nextLocalHeader(head: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= head.length; i++) {
    if (head[i] === 0x50 && head[i + 1] === 0x4b && head[i + 2] === 0x03 && head[i + 3] === 0x04) return i;
  }
  return head.length;
}

/** Sheet names of an XLSX from its head (empty when workbook.xml is not inside the head). */
export function xlsxHeadSheetNames(head: Uint8Array): string[] {
  const workbook = zipHeadTexts(head).get('xl/workbook.xml');
  if (!workbook) return [];
  return [...tags(workbook, 'sheet')].map((tag) => decodeEntities(attribute(tag, 'name') ?? ''));
}

/** Reads every worksheet of an .xlsx workbook, in workbook order. */
export function readXlsxSheets(bytes: Uint8Array, fileName: string): XlsxSheet[] {
  const files = unzipFile(bytes, fileName, 'an Excel workbook (.xlsx)', (name) => name.startsWith('xl/'));
  const workbook = files['xl/workbook.xml'];
  if (!workbook) {
    throw new ElyteError(
      'malformed',
      'this zip archive is not an Excel .xlsx workbook (it has no xl/workbook.xml); ' +
        'if it is an old .xls file, save it again as .xlsx',
      { file: fileName },
    );
  }
  const sheets = listSheets(utf8.decode(workbook), relationships(files['xl/_rels/workbook.xml.rels']));
  const sharedBytes = files['xl/sharedStrings.xml'];
  const shared = sharedBytes ? readSharedStrings(utf8.decode(sharedBytes)) : [];
  return sheets.map(({ name, path }) => {
    const xml = files[path];
    if (!xml) {
      throw new ElyteError('malformed', `the workbook lists sheet "${name}" but the archive has no ${path}`, {
        file: fileName,
      });
    }
    return { name, rows: readSheetRows(utf8.decode(xml), shared, fileName, name) };
  });
}

/** rId → target path inside the archive ("xl/worksheets/sheet1.xml"). */
function relationships(bytes: Uint8Array | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!bytes) return map;
  const xml = utf8.decode(bytes);
  for (const tag of tags(xml, 'Relationship')) {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    if (id === null || target === null) continue;
    // Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml").
    map.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  return map;
}

function listSheets(workbookXml: string, rels: Map<string, string>): { name: string; path: string }[] {
  const sheets: { name: string; path: string }[] = [];
  let index = 0;
  for (const tag of tags(workbookXml, 'sheet')) {
    index++;
    const name = decodeEntities(attribute(tag, 'name') ?? `Sheet${index}`);
    const rid = attribute(tag, 'r:id') ?? attribute(tag, 'id');
    const path = (rid !== null ? rels.get(rid) : undefined) ?? `xl/worksheets/sheet${index}.xml`;
    sheets.push({ name, path });
  }
  return sheets;
}

/** Every `<name …>` or `<name …/>` opening tag (the text between `<` and `>`), in order. */
function* tags(xml: string, name: string): Generator<string> {
  const open = `<${name}`;
  let from = 0;
  for (;;) {
    const start = xml.indexOf(open, from);
    if (start < 0) return;
    const after = xml.charCodeAt(start + open.length);
    const end = xml.indexOf('>', start);
    if (end < 0) return;
    from = end + 1;
    // "<sheet " or "<sheet/>" but not "<sheetData" or "<sheets".
    if (after === 32 || after === 47 || after === 62 || after === 9 || after === 10 || after === 13) {
      yield xml.slice(start + 1, end);
    }
  }
}

/** The value of attribute `name` in a tag's text, or null. Matches whole names only. */
function attribute(tag: string, name: string): string | null {
  let from = 0;
  for (;;) {
    const at = tag.indexOf(`${name}=`, from);
    if (at < 0) return null;
    from = at + 1;
    const before = tag.charCodeAt(at - 1);
    if (at > 0 && before !== 32 && before !== 9 && before !== 10 && before !== 13) continue;
    const quote = tag[at + name.length + 1];
    if (quote !== '"' && quote !== "'") continue;
    const valueStart = at + name.length + 2;
    const valueEnd = tag.indexOf(quote, valueStart);
    return valueEnd < 0 ? null : tag.slice(valueStart, valueEnd);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&') && !text.includes('_x')) return text;
  return (
    text
      .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, body: string) => {
        if (body[0] !== '#') return ENTITIES[body] ?? whole;
        const code =
          body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
        return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      })
      // Excel escapes control characters as _xHHHH_.
      .replace(/_x([0-9a-fA-F]{4})_/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  );
}

/** The concatenated text of every `<t>` run between from and to, skipping phonetic `<rPh>` runs. */
function textRuns(xml: string, from: number, to: number): string {
  let text = '';
  let at = from;
  for (;;) {
    const t = xml.indexOf('<t', at);
    if (t < 0 || t >= to) break;
    const c = xml.charCodeAt(t + 2);
    const tagEnd = xml.indexOf('>', t);
    if (tagEnd < 0 || tagEnd >= to) break;
    at = tagEnd + 1;
    if (c !== 62 && c !== 32) continue; // <tab…, <text… are not text runs
    if (xml.charCodeAt(tagEnd - 1) === 47) continue; // <t/>
    const phonetic = xml.lastIndexOf('<rPh', t);
    if (phonetic >= from && xml.indexOf('</rPh>', phonetic) > t) continue;
    const close = xml.indexOf('</t>', at);
    if (close < 0 || close > to) break;
    text += xml.slice(at, close);
    at = close + 4;
  }
  return decodeEntities(text);
}

function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let at = 0;
  for (;;) {
    const start = xml.indexOf('<si', at);
    if (start < 0) break;
    const openEnd = xml.indexOf('>', start);
    if (openEnd < 0) break;
    if (xml.charCodeAt(openEnd - 1) === 47) {
      strings.push('');
      at = openEnd + 1;
      continue;
    }
    const end = xml.indexOf('</si>', openEnd);
    if (end < 0) break;
    strings.push(textRuns(xml, openEnd + 1, end));
    at = end + 5;
  }
  return strings;
}

/** "BC12" → column index 54 (0-based); -1 when the reference has no letters. */
function columnIndex(reference: string): number {
  let column = 0;
  let letters = 0;
  for (let i = 0; i < reference.length; i++) {
    const c = reference.charCodeAt(i);
    const upper = c >= 97 && c <= 122 ? c - 32 : c;
    if (upper < 65 || upper > 90) break;
    column = column * 26 + (upper - 64);
    letters++;
  }
  return letters === 0 ? -1 : column - 1;
}

/** The largest column a sheet may use (XFD): guards against a corrupt reference allocating gigabytes. */
const MAX_COLUMNS = 16384;
const MAX_ROWS = 1048576;

function readSheetRows(xml: string, shared: string[], fileName: string, sheetName: string): XlsxCell[][] {
  const rows: XlsxCell[][] = [];
  const dataStart = xml.indexOf('<sheetData');
  if (dataStart < 0) return rows;
  let at = dataStart;
  let nextRow = 0;
  const fail = (what: string): never => {
    throw new ElyteError('malformed', `sheet "${sheetName}": ${what}`, { file: fileName });
  };
  for (;;) {
    const rowStart = xml.indexOf('<row', at);
    if (rowStart < 0) break;
    const rowTagEnd = xml.indexOf('>', rowStart);
    if (rowTagEnd < 0) fail('the sheet XML ends inside a row');
    const rowTag = xml.slice(rowStart + 1, rowTagEnd);
    const rAttr = attribute(rowTag, 'r');
    let rowIndex = rAttr !== null ? Number.parseInt(rAttr, 10) - 1 : nextRow;
    if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex >= MAX_ROWS) {
      fail(`row reference "${rAttr}" is not a valid row number`);
    }
    if (rowIndex < nextRow) rowIndex = nextRow; // out-of-order rows: keep file order rather than overwrite
    while (rows.length < rowIndex) rows.push([]);
    const row: XlsxCell[] = [];
    rows.push(row);
    nextRow = rowIndex + 1;
    if (xml.charCodeAt(rowTagEnd - 1) === 47) {
      at = rowTagEnd + 1;
      continue;
    }
    const rowEnd = xml.indexOf('</row>', rowTagEnd);
    if (rowEnd < 0) fail(`row ${rowIndex + 1} is not closed; the sheet XML looks truncated`);
    readCells(xml, rowTagEnd + 1, rowEnd, row, shared, fail);
    at = rowEnd + 6;
  }
  return rows;
}

function readCells(
  xml: string,
  from: number,
  to: number,
  row: XlsxCell[],
  shared: string[],
  fail: (what: string) => never,
): void {
  let at = from;
  for (;;) {
    const cellStart = xml.indexOf('<c', at);
    if (cellStart < 0 || cellStart >= to) return;
    const next = xml.charCodeAt(cellStart + 2);
    const tagEnd = xml.indexOf('>', cellStart);
    if (tagEnd < 0 || tagEnd > to) fail('a cell tag is not closed');
    if (next !== 32 && next !== 62 && next !== 47) {
      at = tagEnd + 1;
      continue;
    }
    const tag = xml.slice(cellStart + 1, tagEnd);
    const ref = attribute(tag, 'r');
    let column = ref !== null ? columnIndex(ref) : row.length;
    if (column < 0) column = row.length;
    if (column >= MAX_COLUMNS) fail(`cell reference "${ref}" is beyond the last Excel column`);
    const selfClosing = xml.charCodeAt(tagEnd - 1) === 47;
    let value: XlsxCell = null;
    let cellEnd = tagEnd + 1;
    if (!selfClosing) {
      const close = xml.indexOf('</c>', tagEnd);
      if (close < 0 || close > to) fail(`cell ${ref ?? ''} is not closed`);
      value = cellValue(xml, tagEnd + 1, close, attribute(tag, 't'), shared, ref, fail);
      cellEnd = close + 4;
    }
    while (row.length < column) row.push(null);
    row[column] = value;
    at = cellEnd;
  }
}

function cellValue(
  xml: string,
  from: number,
  to: number,
  type: string | null,
  shared: string[],
  ref: string | null,
  fail: (what: string) => never,
): XlsxCell {
  if (type === 'inlineStr') return textRuns(xml, from, to);
  const v = xml.indexOf('<v', from);
  if (v < 0 || v >= to) return null;
  const vTagEnd = xml.indexOf('>', v);
  if (xml.charCodeAt(vTagEnd - 1) === 47) return null;
  const vEnd = xml.indexOf('</v>', vTagEnd);
  if (vEnd < 0 || vEnd > to) fail(`cell ${ref ?? ''} has an unclosed value`);
  const raw = xml.slice(vTagEnd + 1, vEnd);
  switch (type) {
    case 's': {
      const index = Number(raw);
      const text = shared[index];
      if (text === undefined) fail(`cell ${ref ?? ''} points to shared string ${raw}, which does not exist`);
      return text ?? null;
    }
    case 'str':
      return decodeEntities(raw);
    case 'b':
      return raw.trim() === '1' ? 1 : 0;
    case 'e':
      return null;
    default: {
      const text = raw.trim();
      if (text.length === 0) return null;
      const number = Number(text);
      return Number.isFinite(number) ? number : decodeEntities(raw);
    }
  }
}
