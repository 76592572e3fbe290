import type { FormatReader } from '../../../measurement';
import { landtXlsxReader } from './xlsx';

/** Landt/LANHE XLSX exports. */
export const landtReaders: FormatReader[] = [landtXlsxReader];
