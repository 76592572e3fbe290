/** Flag parsing shared by the commands: strict (an unknown flag is an error), quantities with units. */
import { parseArgs } from 'node:util';
import { UsageError } from '../output';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

export interface ParsedArgs {
  files: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
}

export function parseCommandArgs(command: string, argv: string[], spec: FlagSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...spec, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { files: positionals, flags: values as ParsedArgs['flags'], json: values.json === true };
  } catch (error) {
    throw new UsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function requireString(args: ParsedArgs, name: string, command: string): string {
  const value = args.flags[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${command}: --${name} is required`);
  return value;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireFiles(args: ParsedArgs, command: string, min = 1): string[] {
  if (args.files.length < min) throw new UsageError(`${command}: name at least ${min} file(s)`);
  return args.files;
}
