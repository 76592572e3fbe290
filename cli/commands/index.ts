import {
  ccdCommand,
  cyclingCommand,
  drtCommand,
  kkCommand,
  lsvCommand,
  symmetricCommand,
  transferenceCommand,
} from './analyses';
import { demoCommand } from './demo';
import { arrheniusCommand, conductivityCommand, fitCommand } from './eis';
import { inspectCommand } from './inspect';
import {
  backupCommand,
  exportCommand,
  importCommand,
  importFolderCommand,
  reportCommand,
  restoreCommand,
  samplesCommand,
} from './library';

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
  import: importCommand,
  samples: samplesCommand,
  report: reportCommand,
  backup: backupCommand,
  restore: restoreCommand,
  export: exportCommand,
  'import-folder': importFolderCommand,
  demo: demoCommand,
};
