/** Reading instrument files named on the command line, with errors that name the file. */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ElyteError } from '../app/errors';
import { parseInstrumentFile } from '../app/formats/index';
import type { ColumnMapping, Measurement } from '../app/measurement';

export function readInputFile(path: string): Uint8Array {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory())
      throw new ElyteError('invalid-argument', 'is a folder, not a file', { file: path });
    size = stat.size;
  } catch (error) {
    if (error instanceof ElyteError) throw error;
    throw new ElyteError('not-found', 'cannot be read: no such file or no permission', { file: path });
  }
  if (size === 0) throw new ElyteError('empty', 'the file is empty (0 bytes)', { file: basename(path) });
  return new Uint8Array(readFileSync(path));
}

export function readMeasurement(path: string, columns?: ColumnMapping): Measurement {
  const bytes = readInputFile(path);
  return parseInstrumentFile(bytes, basename(path), columns ? { columns } : {});
}
