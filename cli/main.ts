/**
 * `elyte <command> [files…] [options]` — the same app/ and db/ code the desktop app runs.
 * Each command lives in cli/commands/ and returns an exit code.
 */
import { COMMANDS } from './commands/index';
import { EXIT_BAD_INPUT, reportFailure } from './output';

const USAGE = `usage: elyte <command> [files…] [options]  (add --json for one JSON document on stdout)
commands: ${Object.keys(COMMANDS).join(', ')}
see shared/docs/cli.md for every command's options and fields`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : EXIT_BAD_INPUT;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(
      `elyte: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    return EXIT_BAD_INPUT;
  }
  try {
    return await run(rest);
  } catch (error) {
    return reportFailure(error, rest.includes('--json'));
  }
}
