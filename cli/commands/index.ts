import { arrheniusCommand, conductivityCommand, fitCommand } from './eis';
import { inspectCommand } from './inspect';

export type Command = (argv: string[]) => Promise<number>;

export const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
  fit: fitCommand,
  conductivity: conductivityCommand,
  arrhenius: arrheniusCommand,
};
