import type { FormatReader } from '../../measurement';

/** Maccor (raw, text, FRA EIS), Landt/LANHE XLSX, Novonix and PEC CSV readers. */
export const otherCyclerReaders: FormatReader[] = [];
