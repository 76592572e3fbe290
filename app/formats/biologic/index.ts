import type { FormatReader } from '../../measurement';
import { biologicMplReader } from './mpl';
import { biologicMprReader } from './mpr';
import { biologicMptReader, biologicTxtReader } from './mpt';

/** BioLogic EC-Lab / BT-Lab readers: .mpt text, header-less text export, .mpr binary, .mpl log (refused). */
export const biologicReaders: FormatReader[] = [
  biologicMptReader,
  biologicMprReader,
  biologicMplReader,
  biologicTxtReader,
];
