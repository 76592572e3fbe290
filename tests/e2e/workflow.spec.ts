/**
 * The technician's walk of issue 7, on a fresh empty library, all through the UI: import real
 * instrument files (BioLogic PEIS .mpt, BioLogic GCPL .mpr, Neware BTSDA CSV) and the reference-study
 * demo set with the file chooser → file them under samples, batches and cells created inline → fit an
 * EIS spectrum and read σ → Arrhenius Ea of a demo cell → compare the three demo samples → export a
 * figure as SVG, PDF, PNG and TIFF and check the files themselves.
 *
 * Known answers: row counts from CATALOGUE.tsv (navani: 46102 rows; cellpy: 9065 rows; impedance.py:
 * 43 points); σ, Ea from the demo's generating truth (examples/reference-study/truth.json, the
 * reference study's 0.22 / 0.17 eV); σ = L / (R·A) recomputed here from the parameter table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, SHARED_DATA, test } from './fixtures';
import {
  EisPanel,
  FigureExport,
  ImportPage,
  LibraryPage,
  MeasurementPage,
  parseShownNumber,
} from './pages/workbench';
import { PT_PER_MM, parseSvg, pdfPages, pixelsFor, pngInfo, tiffInfo } from './support/figure-files';

const DEMO = join(process.cwd(), 'examples', 'reference-study');
const EIS = join(SHARED_DATA, 'biologic_mpt', 'exampleDataBioLogic.mpt');
const GCPL_MPR = join(SHARED_DATA, 'biologic_mpr', 'jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
const NEWARE = join(SHARED_DATA, 'neware_csv', 'cellpy__neware_uio.csv');

interface ManifestEntry {
  file: string;
  sample: string;
  role: string;
  area_m2: number;
  thickness_m?: number;
  temperature_C: number;
}
interface Truth {
  sigma_25C: { sigma_S_per_cm: number };
  Ea_eV?: number;
}
const manifest = JSON.parse(readFileSync(join(DEMO, 'manifest.json'), 'utf8')) as { files: ManifestEntry[] };
const truth = JSON.parse(readFileSync(join(DEMO, 'truth.json'), 'utf8')) as Record<string, Truth>;

/** The demo's sample keys and the names the technician gives them in the UI. */
const SAMPLES = [
  { key: 'PVH', name: 'PVH' },
  { key: 'SiO2-in-PVH', name: 'SiO₂-in-PVH' },
  { key: 'PVH-in-SiO2', name: 'PVH-in-SiO₂' },
] as const;

/** Impedance spectra of a sample's blocking (SS‖E‖SS) cell, one per temperature. */
function blockingSeries(sampleKey: string): ManifestEntry[] {
  return manifest.files.filter(
    (f) => f.sample === sampleKey && (f.role === 'conductivity' || f.role === 'arrhenius'),
  );
}

function relativeError(value: number, expected: number): number {
  return Math.abs(value - expected) / Math.abs(expected);
}

async function fileSeriesUnderNewCell(page: Page, name: string, series: ManifestEntry[]): Promise<void> {
  const assign = new ImportPage(page).assign();
  await assign.chooseOnly(series.map((f) => f.file));
  for (const f of series) await assign.setTemperature(f.file, f.temperature_C);
  await assign.createSample(name, name);
  await assign.createBatch('demo');
  await assign.createCell({
    name: 'SS‖E‖SS',
    type: 'SS‖E‖SS',
    area_cm2: series[0]!.area_m2 * 1e4,
    thickness_um: series[0]!.thickness_m! * 1e6,
  });
  await assign.submit(series.length, name);
}

test('import → assign → fit σ → Arrhenius Ea → compare → export figures', async ({ app }) => {
  test.setTimeout(240_000);
  const importer = new ImportPage(app);
  const library = new LibraryPage(app);
  const measurement = new MeasurementPage(app);

  // 1. Real instrument files and the whole demo set through the file chooser.
  await importer.open();
  await importer.importFiles([EIS, GCPL_MPR, NEWARE]);
  await importer.expectImported('exampleDataBioLogic.mpt');
  await importer.expectImported('jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
  await importer.expectImported('cellpy__neware_uio.csv');
  expect(await importer.detail('exampleDataBioLogic.mpt')).toMatch(/PEIS · 43 rows/);
  expect(await importer.detail('jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr')).toMatch(
    /GCPL · 46102 rows/,
  );
  expect(await importer.detail('cellpy__neware_uio.csv')).toMatch(/neware.* · 9065 rows/);
  // Every file of the batch is offered for filing, though they finished importing one by one.
  await expect(importer.assign().root.getByRole('checkbox', { checked: true })).toHaveCount(3);
  await expect(importer.assign().root.getByTestId('assign-submit')).toHaveText('File 3 under this cell');

  const demoFiles = readdirSync(DEMO).filter((f) => !f.endsWith('.json'));
  expect(demoFiles.length).toBe(manifest.files.length);
  await importer.importFiles(demoFiles.map((f) => join(DEMO, f)));
  for (const f of demoFiles) await importer.expectImported(f);

  // 2. File them: the real files under a lab sample, each demo sample's blocking-cell series under
  //    its own sample / batch / cell, created inline with the cell's geometry and temperatures.
  const assign = importer.assign();
  await assign.chooseOnly([
    'exampleDataBioLogic.mpt',
    'jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr',
    'cellpy__neware_uio.csv',
  ]);
  await assign.createSample('Lab LLZO');
  await assign.createBatch('A');
  await assign.createCell({ name: 'cell 1', type: 'SS‖E‖SS' });
  await assign.submit(3, 'Lab LLZO');
  for (const { key, name } of SAMPLES) await fileSeriesUnderNewCell(app, name, blockingSeries(key));

  await library.open();
  await expect(library.sample('Lab LLZO').getByTestId('library-row')).toHaveCount(3);
  await expect(library.sample('PVH').getByTestId('library-row')).toHaveCount(7);
  await expect(library.sample('PVH-in-SiO₂').getByTestId('library-row')).toHaveCount(7);

  // 3. EIS: geometry, one click, σ consistent with the fitted bulk resistance.
  await library.openMeasurement('exampleDataBioLogic.mpt');
  expect(await measurement.plottedPoints('nyquist-plot')).toBe(43);
  const eis = new EisPanel(app);
  const thickness_um = 500;
  const area_cm2 = 1.5;
  await eis.fit({ thickness_um, area_cm2 });
  await expect(measurement.plot('nyquist-plot')).toHaveAttribute('data-points', /^(?!43$)\d+$/); // fit curve drawn
  const sigma = await eis.sigma();
  const bulk = await eis.bulk();
  const parameters = await eis.parameters();
  const element = /fit element (\w+)/.exec(bulk.method)?.[1];
  const R_table = element
    ? parameters.get(element)!
    : [...parameters].filter(([n]) => /^R\d+$/.test(n)).reduce((s, [, v]) => s + v, 0);
  // Shown numbers carry 4 significant digits: R_b equals its table entry to that precision.
  expect(relativeError(bulk.R_ohm, R_table)).toBeLessThan(1e-3);
  // σ = L / (R·A) in S/cm with L in cm and A in cm².
  expect(relativeError(sigma, (thickness_um * 1e-4) / (bulk.R_ohm * area_cm2))).toBeLessThan(2e-3);

  // The third sample has a single spectrum at 25 °C: its σ comes from the EIS panel.
  const single = blockingSeries('SiO2-in-PVH');
  expect(single).toHaveLength(1);
  await library.open();
  await library.openMeasurement(single[0]!.file);
  await eis.fit({
    thickness_um: single[0]!.thickness_m! * 1e6,
    area_cm2: single[0]!.area_m2 * 1e4,
    preset: 'hf-intercept',
  });
  expect(relativeError(await eis.sigma(), truth['SiO2-in-PVH']!.sigma_25C.sigma_S_per_cm)).toBeLessThan(0.1);

  // 4. Arrhenius of both temperature series: Ea as the study reports it (0.22 / 0.17 eV).
  for (const { key, name } of [SAMPLES[0], SAMPLES[2]]) {
    await library.open();
    await library.openArrhenius(name);
    // The demo's spectra show only the electrode spike (the bulk arc lies above 1 MHz): the technician
    // picks the circuit for that, and the series is refitted.
    await app
      .getByRole('complementary', { name: 'Activation energy' })
      .getByLabel('Circuit')
      .selectOption({ label: 'Bulk arc above the measured range (R-CPE)' });
    await expect
      .poll(
        async () => {
          const shown = app.getByTestId('ea-value');
          if (!(await shown.isVisible())) return Number.NaN;
          return Math.abs(parseShownNumber((await shown.textContent()) ?? '') - truth[key]!.Ea_eV!);
        },
        { message: `|Ea − ${truth[key]!.Ea_eV} eV| of ${name}`, timeout: 30_000 },
      )
      .toBeLessThan(0.03);
    await measurement.expectRendered('arrhenius-plot');
  }

  // 5. Export the Arrhenius figure (single column, 600 dpi) and read the files back.
  const figure = new FigureExport(app, 'arrhenius-plot');
  const dpi = 600;
  await figure.open({ preset: 'single', dpi });
  const svg = await figure.save('svg');
  expect(svg.name).toMatch(/\.svg$/);
  const parsed = await parseSvg(app, svg.bytes.toString('utf8'));
  expect(parsed.width).toBe('85mm');
  expect(parsed.height).toBe('65mm');
  const texts = parsed.texts.join('\n');
  expect(texts).toContain('1000/T');
  expect(texts).toContain('ln(σ / S cm');

  const pdf = pdfPages((await figure.save('pdf')).bytes);
  expect(pdf).toHaveLength(1);
  const [x0, y0, x1, y1] = pdf[0]!.mediaBox as [number, number, number, number];
  expect(Math.abs(x1 - x0 - 85 * PT_PER_MM)).toBeLessThan(0.5);
  expect(Math.abs(y1 - y0 - 65 * PT_PER_MM)).toBeLessThan(0.5);

  const png = pngInfo((await figure.save('png')).bytes);
  expect(png.width).toBe(pixelsFor(85, dpi));
  expect(png.height).toBe(pixelsFor(65, dpi));
  expect(png.dpiX).toBeCloseTo(dpi, 0);
  expect(png.dpiY).toBeCloseTo(dpi, 0);
  expect(png.physChunks).toBe(1);

  const tiff = tiffInfo((await figure.save('tiff')).bytes);
  expect(tiff.width).toBe(pixelsFor(85, dpi));
  expect(tiff.height).toBe(pixelsFor(65, dpi));
  expect(tiff.dpiX).toBeCloseTo(dpi, 0);

  // 6. Compare the three demo samples: one row each, σ bars drawn, σ(25 °C) near the study's.
  await library.open();
  await library.compare(SAMPLES.map((s) => s.name));
  const rows = app.getByTestId('compare-row');
  await expect(rows).toHaveCount(3);
  await measurement.expectRendered('compare-sigma');
  for (const { key, name } of SAMPLES) {
    const cells = await library.compareRow(name);
    const shown = parseShownNumber(cells[1]!);
    expect(relativeError(shown, truth[key]!.sigma_25C.sigma_S_per_cm)).toBeLessThan(0.15);
  }
});
