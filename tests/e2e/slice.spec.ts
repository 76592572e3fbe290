/**
 * The vertical slice of issue 2: a real BioLogic PEIS file imported through the UI is parsed in the
 * worker, stored in SQLite, listed in the library, plotted, and still there after a reload; files
 * that are not instrument files are refused with a clear error and leave the library unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, SHARED_DATA, test } from './fixtures';
import { ImportPage, LibraryPage, MeasurementPage } from './pages/workbench';

const BIOLOGIC = join(SHARED_DATA, 'biologic_mpt', 'exampleDataBioLogic.mpt');

/** Data rows of an EC-Lab .mpt: the non-empty lines after its "Nb header lines" header block. */
function mptDataRows(path: string): number {
  const lines = readFileSync(path, 'latin1').split(/\r?\n/);
  const header = Number(/Nb header lines\s*:\s*(\d+)/.exec(lines.join('\n'))![1]);
  return lines.slice(header).filter((line) => line.trim().length > 0).length;
}

test('imports a BioLogic PEIS file, lists it, plots it, and keeps it after a reload', async ({ app }) => {
  const expectedPoints = mptDataRows(BIOLOGIC);
  expect(expectedPoints).toBe(43);
  const importer = new ImportPage(app);
  await importer.open();
  await importer.importFiles([BIOLOGIC]);
  await importer.expectImported('exampleDataBioLogic.mpt');

  const library = new LibraryPage(app);
  await library.open();
  await expect(library.row('exampleDataBioLogic.mpt').getByTestId('library-row-rows')).toHaveText(
    String(expectedPoints),
  );
  await library.openMeasurement('exampleDataBioLogic.mpt');
  const measurement = new MeasurementPage(app);
  expect(await measurement.plottedPoints('nyquist-plot')).toBe(expectedPoints);
  await expect(measurement.plot('bode-plot')).toHaveAttribute('data-rendered', 'true');

  await app.reload();
  await library.open();
  await expect(library.rows()).toHaveCount(1);
  await expect(library.row('exampleDataBioLogic.mpt')).toBeVisible();
});

test('refuses a PNG, a truncated .mpt and an empty file with clear errors, library unchanged', async ({
  app,
}) => {
  const dir = tmpdir();
  const png = join(dir, 'figure.png');
  writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  const truncated = join(dir, 'cut.mpt');
  const full = readFileSync(BIOLOGIC);
  writeFileSync(truncated, full.subarray(0, 1500));
  const empty = join(dir, 'empty.mpt');
  writeFileSync(empty, '');

  const importer = new ImportPage(app);
  await importer.open();
  await importer.importFiles([png, truncated, empty]);
  await importer.expectFailed('figure.png', /figure\.png.*PNG image/);
  await importer.expectFailed('cut.mpt', /cut\.mpt.*(truncated|ends|no data)/i);
  await importer.expectFailed('empty.mpt', /empty\.mpt.*empty/);

  const library = new LibraryPage(app);
  await library.open();
  await expect(app.getByTestId('library-empty')).toBeVisible();
});
