import type { FormatReader } from '../../measurement';

/** Neware (.nda, .ndax, BTSDA CSV/XLSX) and Arbin (.res, XLSX, CSV) readers. */
export const newareArbinReaders: FormatReader[] = [];
