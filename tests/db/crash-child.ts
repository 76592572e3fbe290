/**
 * Child process for the crash and concurrency tests:
 *   node --import tsx tests/db/crash-child.ts <library> <rows> <seed>
 * Imports one generated measurement and reports its stages on stdout ("STAGE writing", "DONE <id>"),
 * so the parent can SIGKILL it inside the write transaction or poll while it writes.
 */
import { closeLibrary, importFile, openLibrary } from '../../db';
import { generateCyclingBinary } from './generate';

const [path, rowsText, seedText] = process.argv.slice(2);
if (!path || !rowsText || !seedText) {
  process.stderr.write('usage: crash-child.ts <library> <rows> <seed>\n');
  process.exit(2);
}
const file = generateCyclingBinary(Number(rowsText), Number(seedText));
const lib = await openLibrary(path, { singleConnection: true });
process.stdout.write('STAGE opened\n');
const report = await importFile(lib, file, (stage) => {
  // Synchronous write so the parent sees the stage before the (synchronous) transaction starts.
  if (stage === 'writing') process.stdout.write('STAGE writing\n');
});
if (report.errors.length > 0) {
  process.stderr.write(`${JSON.stringify(report.errors)}\n`);
  process.exit(1);
}
process.stdout.write(
  `DONE ${report.imported[0]?.measurementId ?? report.skipped[0]?.existingMeasurementId}\n`,
);
closeLibrary(lib);
