/**
 * The format registry: detection by content (each reader sniffs the first 64 KiB), the extension only
 * breaking ties. To add a format, write one module exporting a FormatReader and list it in its
 * family's array (biologic/, potentiostats/, cyclers/, generic/).
 */
import { ElyteError } from '../errors';
import type { FormatReader, Measurement, ParseOptions } from '../measurement';
import { biologicReaders } from './biologic';
import { cyclerReaders } from './cyclers';
import { genericReaders } from './generic';
import { MAX_FILE_BYTES } from './guard';
import { potentiostatReaders } from './potentiostats';

export const SNIFF_BYTES = 65536;

/** Every reader, most specific first (generic table readers last). */
export const READERS: readonly FormatReader[] = [
  ...biologicReaders,
  ...potentiostatReaders,
  ...cyclerReaders,
  ...genericReaders,
];

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export interface Detection {
  reader: FormatReader;
  confidence: number;
}

/** The reader that recognises these bytes, or null. Content decides; the extension adds 0.05 at most. */
export function detectFormat(head: Uint8Array, fileName: string): Detection | null {
  const ext = extensionOf(fileName);
  let best: Detection | null = null;
  for (const reader of READERS) {
    let confidence = 0;
    try {
      confidence = reader.sniff(head.subarray(0, SNIFF_BYTES), fileName);
    } catch {
      confidence = 0;
    }
    if (confidence <= 0) continue;
    if (reader.extensions.includes(ext)) confidence += 0.05;
    if (!best || confidence > best.confidence) best = { reader, confidence };
  }
  return best && best.confidence >= 0.3 ? best : null;
}

export function readerById(id: string): FormatReader | undefined {
  return READERS.find((reader) => reader.id === id);
}

/**
 * Bytes in, Measurement out, or an ElyteError naming the file and what is wrong.
 * `formatId` forces a reader (the user picked one); otherwise content decides.
 */
export function parseInstrumentFile(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions & { formatId?: string } = {},
): Measurement {
  if (bytes.length === 0) throw new ElyteError('empty', 'the file is empty (0 bytes)', { file: fileName });
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ElyteError(
      'too-large',
      `the file is ${bytes.length} bytes, over the ${MAX_FILE_BYTES}-byte limit`,
      {
        file: fileName,
      },
    );
  }
  let reader: FormatReader | undefined;
  if (options.formatId) {
    reader = readerById(options.formatId);
    if (!reader)
      throw new ElyteError('invalid-argument', `no reader called "${options.formatId}"`, { file: fileName });
  } else {
    reader = detectFormat(bytes, fileName)?.reader;
  }
  if (!reader) {
    throw new ElyteError(
      'unknown-format',
      `not a recognised instrument file (${describeBytes(bytes)}); supported: ${READERS.map((r) => r.label).join(', ')}`,
      { file: fileName },
    );
  }
  try {
    return reader.parse(bytes, fileName, options);
  } catch (error) {
    if (error instanceof ElyteError) throw error;
    // A reader bug or a corrupt file that slipped past its checks: still a clear, typed error.
    const message = error instanceof Error ? error.message : String(error);
    throw new ElyteError('malformed', `could not be read as ${reader.label}: ${message}`, { file: fileName });
  }
}

/** A short description of unrecognised bytes for error messages: "PNG image", "binary data", "text". */
function describeBytes(bytes: Uint8Array): string {
  const b = bytes;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'it is a PNG image';
  if (b[0] === 0xff && b[1] === 0xd8) return 'it is a JPEG image';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'it is a PDF document';
  if (b[0] === 0x50 && b[1] === 0x4b) return 'it is a zip archive of no known instrument layout';
  let nul = 0;
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) if (b[i] === 0) nul++;
  return nul > 0 ? 'binary data of no known layout' : 'text of no known layout';
}
