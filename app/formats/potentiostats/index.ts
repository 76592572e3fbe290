import type { FormatReader } from '../../measurement';
import { autolabTextReader, autolabXlsxReader } from './autolab';
import { chiReader } from './chi-txt';
import { gamryDtaReader } from './gamry-dta';
import { iviumIdfReader } from './ivium-idf';
import { palmsensReader } from './palmsens-pssession';
import { impedanceCsvReader, pineAftermathReader } from './plain-csv';
import { parstatReader, powerSuiteReader, versaStudioReader } from './princeton';
import { zahnerIsmReader } from './zahner-ism';
import { zplotReader } from './zplot-z';

/**
 * Potentiostat/EIS readers other than BioLogic: Gamry, ZView/ZPlot, Autolab, CHI, PAR, Zahner, Ivium,
 * PalmSens, Pine, and impedance.py's plain spectrum CSV. Each sniffs content; the registry picks the
 * most confident.
 */
export const potentiostatReaders: FormatReader[] = [
  gamryDtaReader,
  zplotReader,
  autolabTextReader,
  autolabXlsxReader,
  chiReader,
  powerSuiteReader,
  parstatReader,
  versaStudioReader,
  zahnerIsmReader,
  iviumIdfReader,
  palmsensReader,
  pineAftermathReader,
  impedanceCsvReader,
];
