import type { FormatReader } from '../../measurement';

/** BioLogic EC-Lab / BT-Lab readers (.mpt text, .mpr binary). */
export const biologicReaders: FormatReader[] = [];
