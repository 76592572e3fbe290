import type { FormatReader } from '../../measurement';
import { landtReaders } from './landt';
import { maccorReaders } from './maccor';
import { novonixReaders } from './novonix';
import { pecReaders } from './pec';

/** Maccor (raw, text, FRA EIS), Landt/LANHE XLSX, Novonix and PEC CSV readers. */
export const otherCyclerReaders: FormatReader[] = [
  ...maccorReaders,
  ...novonixReaders,
  ...pecReaders,
  ...landtReaders,
];
