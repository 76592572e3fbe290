import type { FormatReader } from '../../measurement';
import { newareArbinReaders } from './neware-arbin';
import { otherCyclerReaders } from './other-cyclers';

/** Battery cycler readers: Neware, Arbin, Maccor, Landt, Novonix, PEC. */
export const cyclerReaders: FormatReader[] = [...newareArbinReaders, ...otherCyclerReaders];
