import type { FormatReader } from '../../measurement';
import { arbinCsvReader } from './arbin/csv';
import { arbinResReader } from './arbin/res';
import { arbinXlsxReader } from './arbin/xlsx';
import { newareCsvReader, newareXlsxReader } from './neware/export';
import { newareNdaReader } from './neware/nda';
import { newareNdaxReader } from './neware/ndax';

/** Neware (.nda, .ndax, BTSDA CSV/XLSX) and Arbin (.res, XLSX, CSV) readers. */
export const newareArbinReaders: FormatReader[] = [
  newareNdaReader,
  newareNdaxReader,
  newareCsvReader,
  newareXlsxReader,
  arbinResReader,
  arbinCsvReader,
  arbinXlsxReader,
];
