/** `elyte inspect FILE…`: what Elyte reads in each file. */

import { toErrorInfo } from '../../app/errors';
import { summarizeMeasurement } from '../../app/formats/summary';
import { parseColumnsFlag } from '../columns';
import { readMeasurement } from '../files';
import { EXIT_BAD_INPUT, EXIT_OK, printJson, printKeyValues } from '../output';
import { optionalString, parseCommandArgs, requireFiles } from './args';

export async function inspectCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('inspect', argv, { columns: { type: 'string' } });
  const columnsText = optionalString(args, 'columns');
  const columns = columnsText === undefined ? undefined : parseColumnsFlag(columnsText, 'inspect');
  const files = requireFiles(args, 'inspect');
  const results: unknown[] = [];
  let failed = false;
  for (const path of files) {
    try {
      const summary = summarizeMeasurement(readMeasurement(path, columns));
      const { formatLabel: _label, originalColumns: _columns, ...fields } = summary;
      results.push(args.json ? { ...summary, ...fields, file: path } : summary);
      if (!args.json) {
        printKeyValues({
          file: path,
          format: `${summary.format} (${summary.formatLabel})`,
          instrument: summary.instrument,
          technique: `${summary.technique} (${summary.kind})`,
          rows: summary.rows,
          channels: Object.entries(summary.channels)
            .map(([name, unit]) => (unit ? `${name} [${unit}]` : name))
            .join(', '),
        });
        for (const warning of summary.warnings) process.stdout.write(`warning   ${warning}\n`);
        process.stdout.write('\n');
      }
    } catch (error) {
      failed = true;
      const info = toErrorInfo(error, path);
      process.stderr.write(`elyte: ${info.message}\n`);
      if (args.json) results.push({ file: path, error: info });
    }
  }
  if (args.json) printJson(files.length === 1 && !failed ? results[0] : results);
  return failed ? EXIT_BAD_INPUT : EXIT_OK;
}
