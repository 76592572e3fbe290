import type { FormatReader } from '../../measurement';

/** Battery cycler readers: Neware, Arbin, Maccor, Landt, Novonix, PEC. */
export const cyclerReaders: FormatReader[] = [];
