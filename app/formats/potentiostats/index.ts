import type { FormatReader } from '../../measurement';

/** Potentiostat/EIS readers other than BioLogic: Gamry, ZView/ZPlot, Autolab, CHI, PAR, Zahner, Ivium, PalmSens, Pine. */
export const potentiostatReaders: FormatReader[] = [];
