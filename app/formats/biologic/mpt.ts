/**
 * BioLogic EC-Lab / BT-Lab text exports:
 * - `.mpt` with its header ("EC-Lab ASCII FILE", "Nb header lines : N", settings, column names);
 * - the header-less "Export as text" `.txt` whose first line is the column names.
 * Any technique; decimal point or comma; UTF-8 or Windows-1252 (µ, ²) headers.
 */
import { ElyteError } from '../../errors';
import type {
  FormatReader,
  Measurement,
  MeasurementMetadata,
  OriginalColumn,
  ParseOptions,
} from '../../measurement';
import { finishMeasurement } from '../finish';
import { decodeText, detectEncoding, headText, type TextEncodingName } from '../text';
import { buildChannels, deriveEcLabChannels, planChannels, splitHeader } from './channels';
import { biologicDateToIso, readHeaderLines } from './header';
import { readTable, splitHeaderLine } from './table';
import { type BiologicTechnique, isImpedanceTechnique } from './techniques';

const MAGIC = /^\uFEFF?(EC-Lab|BT-Lab) ASCII FILE\s*$/;
const LF = 10;

/** Header lines above this are not an EC-Lab header (they have well under 200). */
const MAX_HEADER_LINES = 100_000;

export const biologicMptReader: FormatReader = {
  id: 'biologic-mpt',
  label: 'BioLogic EC-Lab / BT-Lab text (.mpt)',
  extensions: ['mpt'],
  sniff(head) {
    const firstLine = headText(head, 256).split(/\r\n|\n|\r/, 1)[0] ?? '';
    return MAGIC.test(firstLine) ? 1 : 0;
  },
  parse: parseMpt,
};

export const biologicTxtReader: FormatReader = {
  id: 'biologic-txt',
  label: 'BioLogic EC-Lab "Export as text" without header (.txt)',
  extensions: ['txt'],
  sniff(head) {
    const [first, second] = headText(head, 8192).split(/\r\n|\n|\r/, 2);
    if (!first || second === undefined || !first.includes('\t')) return 0;
    const names = splitHeaderLine(first);
    const known = names.filter((name) => ECLAB_COLUMN.test(name)).length;
    if (known < 2 || known < names.length / 2) return 0;
    return /^[-+\d.,eE\t ]+$/.test(second) ? 0.7 : 0;
  },
  parse: parseHeaderlessTxt,
};

/** Column names only EC-Lab writes: "Ewe/V", "<I>/mA", "cycle number", "-Im(Z)/Ohm", "(Q-Qo)/mA.h"… */
const ECLAB_COLUMN =
  /^(?:<?Ewe>?\/[mµ]?V|<?Ecell>?\/[mµ]?V|<?I>?\/[mµn]?A|time\/s|cycle number|freq\/Hz|Re\(Z\)\/Ohm|-Im\(Z\)\/Ohm|\|Z\|\/Ohm|Phase\(Z\)\/deg|\(Q-Qo\)\/(?:mA\.h|C)|Ns|half cycle|control\/V(?:\/mA)?|control\/mA|ox\/red|mode|I Range|P\/W|Ece\/V|dQ\/(?:mA\.h|C))$/;

/** Byte offsets of the first `count` line starts (line i starts at starts[i]). */
function lineStarts(bytes: Uint8Array, count: number): number[] {
  const starts = [0];
  let at = 0;
  while (starts.length <= count) {
    const lf = bytes.indexOf(LF, at);
    if (lf < 0) break;
    at = lf + 1;
    starts.push(at);
  }
  return starts;
}

/** UTF-16 files are rare enough to be re-encoded to UTF-8 once; the byte scanner reads single bytes. */
function singleByte(bytes: Uint8Array): { bytes: Uint8Array; encoding: TextEncodingName } {
  const encoding = detectEncoding(bytes.subarray(0, 65536));
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return { bytes: new TextEncoder().encode(decodeText(bytes, encoding)), encoding: 'utf-8' };
  }
  return { bytes, encoding };
}

function parseMpt(input: Uint8Array, fileName: string, options?: ParseOptions): Measurement {
  const { bytes, encoding } = singleByte(input);
  const firstTwo = lineStarts(bytes, 2);
  const decoder = new TextDecoder(encoding);
  const lineText = (index: number, starts: number[]): string | undefined => {
    const start = starts[index];
    if (start === undefined) return undefined;
    const stop = starts[index + 1] ?? bytes.length;
    return decoder.decode(bytes.subarray(start, stop)).replace(/\r?\n$|\r$/, '');
  };
  const magic = lineText(0, firstTwo) ?? '';
  if (!MAGIC.test(magic)) {
    throw new ElyteError('malformed', 'the first line is not "EC-Lab ASCII FILE" or "BT-Lab ASCII FILE"', {
      file: fileName,
      where: 'line 1',
    });
  }
  // "Nb header lines : 61" (other languages keep the number after the colon).
  const countLine = lineText(1, firstTwo) ?? '';
  const countMatch = /:\s*(\d+)\s*$/.exec(countLine);
  if (!countMatch) {
    throw new ElyteError(
      'malformed',
      `line 2 should give the header length ("Nb header lines : N"), found "${countLine.slice(0, 60)}"`,
      {
        file: fileName,
        where: 'line 2',
      },
    );
  }
  const headerLines = Number(countMatch[1]);
  if (headerLines < 3 || headerLines > MAX_HEADER_LINES) {
    throw new ElyteError('malformed', `"Nb header lines : ${headerLines}" cannot be right`, {
      file: fileName,
      where: 'line 2',
    });
  }
  const starts = lineStarts(bytes, headerLines);
  if (starts.length <= headerLines - 1) {
    throw new ElyteError(
      'truncated',
      `the header says it has ${headerLines} lines but the file ends after ${starts.length}; it looks truncated`,
      { file: fileName },
    );
  }
  const header: string[] = [];
  for (let i = 2; i < headerLines - 1; i++) header.push(lineText(i, starts) ?? '');
  const headers = splitHeaderLine(lineText(headerLines - 1, starts) ?? '');
  const info = readHeaderLines(header);
  if (/^\uFEFF?BT-Lab/.test(magic) && !info.metadata.softwareVersion)
    info.metadata.softwareVersion = 'BT-Lab';
  return decode({
    bytes,
    fileName,
    encoding,
    headers,
    dataStart: starts[headerLines] ?? bytes.length,
    firstLine: headerLines + 1,
    options,
    technique: info.technique,
    metadata: info.metadata,
    warnings: info.warnings,
    format: 'biologic-mpt',
  });
}

function parseHeaderlessTxt(input: Uint8Array, fileName: string, options?: ParseOptions): Measurement {
  const { bytes, encoding } = singleByte(input);
  const starts = lineStarts(bytes, 1);
  const stop = starts[1] ?? bytes.length;
  const first = new TextDecoder(encoding).decode(bytes.subarray(0, stop)).replace(/^\uFEFF/, '');
  const headers = splitHeaderLine(first.replace(/\r?\n$|\r$/, ''));
  return decode({
    bytes,
    fileName,
    encoding,
    headers,
    dataStart: stop,
    firstLine: 2,
    options,
    technique: undefined,
    metadata: { extra: {} },
    warnings: [],
    format: 'biologic-txt',
  });
}

interface DecodeInput {
  bytes: Uint8Array;
  fileName: string;
  encoding: TextEncodingName;
  headers: string[];
  dataStart: number;
  firstLine: number;
  options: ParseOptions | undefined;
  technique: BiologicTechnique | undefined;
  metadata: MeasurementMetadata;
  warnings: string[];
  format: string;
}

function decode(input: DecodeInput): Measurement {
  const { fileName, technique } = input;
  const headers = reconcileHeaders(input);
  if (headers.length === 0) {
    throw new ElyteError('malformed', 'the column-name line is empty', {
      file: fileName,
      where: `line ${input.firstLine - 1}`,
    });
  }
  if (isImpedanceTechnique(technique) && !headers.some((h) => splitHeader(h).quantity === 'freq')) {
    throw new ElyteError(
      'malformed',
      `"freq/Hz" is missing from the column headers of this ${technique?.name} (impedance) file, so its ` +
        `spectrum cannot be read; columns found: ${headers.join(', ')}`,
      { file: fileName, where: `line ${input.firstLine - 1}` },
    );
  }
  const table = readTable({ ...input, headers });
  if (table.rows === 0) {
    throw new ElyteError(
      'malformed',
      `the ${technique?.name ?? 'EC-Lab'} file has column headers (${headers.join(', ')}) but no data rows; ` +
        'the technique recorded nothing',
      { file: fileName, where: `line ${input.firstLine}` },
    );
  }
  const channels = buildChannels(planChannels(headers), table.original);
  deriveEcLabChannels(channels, table.original);
  if (!channels.time_s) {
    const absolute = absoluteTime(table.original);
    if (absolute) {
      channels.time_s = absolute.seconds;
      input.metadata.startTime ??= absolute.start;
    }
  }
  const draft = {
    format: input.format,
    fileName,
    channels,
    original: table.original,
    metadata: input.metadata,
    warnings: [...input.warnings, ...table.warnings],
  };
  return finishMeasurement(technique ? { ...draft, technique: technique.name, kind: technique.kind } : draft);
}

/**
 * Some EC-Lab versions write a column-name line with two tabs in a row (an empty name) and one more
 * name than the rows hold values (seen with Ewe-Ece recorded; the .mpr of the same run confirms the
 * rows hold the first names in order). Only when the line has an empty name and the first data row
 * has fewer values than names: the empty names are dropped, then names past the row's length, each
 * with a warning saying so.
 */
function reconcileHeaders(input: DecodeInput): string[] {
  const { bytes, dataStart, headers, warnings } = input;
  let end = dataStart;
  while (end < bytes.length && bytes[end] !== 10 && bytes[end] !== 13) end++;
  let values = 1;
  for (let i = dataStart; i < end; i++) if (bytes[i] === 9) values++;
  if (end > dataStart && bytes[end - 1] === 9) values--; // a trailing tab adds no value
  // Without EC-Lab's empty name a short first row is damage, and readTable reports it as such.
  if (end === dataStart || values >= headers.length || !headers.includes('')) return headers;
  let names = headers.filter((name) => name !== '');
  warnings.push('the column-name line has an empty name (two tabs in a row); it was ignored');
  if (values < names.length) {
    const dropped = names.slice(values);
    names = names.slice(0, values);
    warnings.push(
      `the column-name line names ${values + dropped.length} columns but the rows hold ${values} values; ` +
        `the last ${dropped.length} (${dropped.map((n) => `"${n}"`).join(', ')}) have no values and were left out`,
    );
  }
  return names;
}

/**
 * "Time format : Absolute" exports write the time column as dates ("06/24/2022 13:13:57.1234").
 * The time channel is then seconds from the first row; the text column stays in `original`.
 */
function absoluteTime(original: OriginalColumn[]): { seconds: Float64Array; start: string } | undefined {
  const column = original.find((c) => /^time\b/i.test(c.name) && Array.isArray(c.values));
  if (!column || !Array.isArray(column.values)) return undefined;
  const texts = column.values;
  const seconds = new Float64Array(texts.length);
  let start = '';
  for (let i = 0; i < texts.length; i++) {
    const iso = biologicDateToIso(texts[i]!);
    if (!iso) return undefined;
    if (i === 0) start = iso;
    // Naive local times: parsed as UTC only to subtract them, never shown as UTC.
    const [whole, fraction] = iso.split('.') as [string, string | undefined];
    seconds[i] = Date.parse(`${whole}Z`) / 1000 + (fraction ? Number(`0.${fraction}`) : 0);
  }
  return { seconds, start };
}
