import {
  ccdCommand,
  cyclingCommand,
  drtCommand,
  kkCommand,
  lsvCommand,
  symmetricCommand,
  transferenceCommand,
} from './analyses';
import { arrheniusCommand, conductivityCommand, fitCommand } from './eis';
import { inspectCommand } from './inspect';

export type Command = (argv: string[]) => Promise<number>;

export const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
  fit: fitCommand,
  conductivity: conductivityCommand,
  arrhenius: arrheniusCommand,
  transference: transferenceCommand,
  lsv: lsvCommand,
  ccd: ccdCommand,
  symmetric: symmetricCommand,
  cycling: cyclingCommand,
  kk: kkCommand,
  drt: drtCommand,
};
