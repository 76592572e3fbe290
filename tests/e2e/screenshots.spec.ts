/**
 * Screenshots of each screen for the README, written to docs/screenshots/ when ELYTE_SCREENSHOTS=1 (else .cache/screenshots/) (1400×900,
 * the demo library of the reference study). Each shot waits for its plots to have rendered and its
 * headline number to be shown, so the pictures are of a finished screen, never of a spinner.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, SHARED_DATA, test } from './fixtures';
import { EisPanel, ImportPage, LibraryPage, MeasurementPage } from './pages/workbench';

// The README's pictures are refreshed on request (ELYTE_SCREENSHOTS=1); ordinary runs still take
// every screenshot (the screens must render) but keep them out of the working tree.
const OUT =
  process.env.ELYTE_SCREENSHOTS === '1'
    ? join(process.cwd(), 'docs', 'screenshots')
    : join(process.cwd(), '.cache', 'screenshots');
const MAX_BYTES = 300 * 1024;

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(OUT, `${name}.png`);
  // No hover toolbar in the picture, the screen seen from its top left (a click may have scrolled it),
  // and two frames for plotly to finish drawing.
  await page.mouse.move(1, 1);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  expect(statSync(path).size).toBeLessThan(MAX_BYTES);
}

test('screenshots of every screen', async ({ demoApp: page }) => {
  test.setTimeout(150_000);
  mkdirSync(OUT, { recursive: true });
  const library = new LibraryPage(page);
  const measurement = new MeasurementPage(page);

  await library.open();
  await expect(library.sampleRow('PVH')).toBeVisible();
  await shoot(page, 'library');

  await library.openMeasurement('pvh_ss-eis_25C.mpt');
  const eis = new EisPanel(page);
  await eis.fit({ thickness_um: 100, area_cm2: 2.01, preset: 'hf-intercept' });
  await measurement.expectRendered('nyquist-plot');
  await measurement.expectRendered('bode-plot');
  await expect(page.getByTestId('kk-result')).toContainText(/passes|fails/);
  await shoot(page, 'eis-fit');

  await library.open();
  await library.openArrhenius('PVH');
  await page
    .getByRole('complementary', { name: 'Activation energy' })
    .getByLabel('Circuit')
    .selectOption({ label: 'Bulk arc above the measured range (R-CPE)' });
  await expect(page.getByTestId('ea-value')).toBeVisible();
  await measurement.expectRendered('arrhenius-plot');
  await shoot(page, 'arrhenius');

  await library.open();
  await library.openMeasurement('pvh_li-ss_lsv.mpt');
  await expect(page.getByTestId('onset-value')).toBeVisible();
  await measurement.expectRendered('lsv-plot');
  await shoot(page, 'lsv');

  await library.open();
  await library.openMeasurement('pvh_lfp_3C.mpt');
  await expect(page.getByTestId('mode-cycling')).toHaveAttribute('aria-selected', 'true');
  await measurement.expectRendered('capacity-plot');
  await expect(page.getByTestId('cycling-summary')).toBeVisible();
  await shoot(page, 'cycling');

  await library.open();
  await library.openMeasurement('pvh_li-li_ccd.mpt');
  await expect(page.getByTestId('ccd-value')).toBeVisible();
  await measurement.expectRendered('voltage-plot');
  await shoot(page, 'ccd');

  await library.open();
  await library.compare(['PVH', 'SiO₂-in-PVH', 'PVH-in-SiO₂']);
  await measurement.expectRendered('compare-sigma');
  await measurement.expectRendered('compare-arrhenius');
  await shoot(page, 'compare');

  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await library.open();
  await expect(library.sampleRow('PVH')).toBeVisible();
  await shoot(page, 'library-dark');
  await page.getByTestId('theme-toggle').click();

  const importer = new ImportPage(page);
  await importer.open();
  await importer.importFiles([
    join(SHARED_DATA, 'biologic_mpt', 'exampleDataBioLogic.mpt'),
    join(SHARED_DATA, 'neware_csv', 'cellpy__neware_uio.csv'),
  ]);
  await importer.expectImported('exampleDataBioLogic.mpt');
  await importer.expectImported('cellpy__neware_uio.csv');
  await expect(importer.assign().root).toBeVisible();
  await shoot(page, 'import');
});
