import { inspectCommand } from './inspect';

export type Command = (argv: string[]) => Promise<number>;

export const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
};
