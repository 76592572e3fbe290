import type { FormatReader } from '../../measurement';

/** Generic CSV/TSV/XLSX with a column mapping; last in the registry. */
export const genericReaders: FormatReader[] = [];
