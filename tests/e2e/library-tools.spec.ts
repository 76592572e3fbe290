/**
 * The workbench's everyday tools: the column-mapping dialog for a generic table it cannot read on its
 * own, undo of the last library edit (Ctrl+Z), the dark theme (kept across a reload), and the
 * library's filters and search on the demo library (read-only, shared).
 */
import { writeFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { ImportPage, LibraryPage } from './pages/workbench';

test('a generic CSV with German headers is read through the column-mapping dialog', async ({
  app,
}, testInfo) => {
  // Truth by construction: 50 rows, t = 10·i s, E = 3000 + i mV, I = 0.5 mA.
  const path = testInfo.outputPath('zelle-7.csv');
  const rows = Array.from({ length: 50 }, (_, i) => `${10 * i};${3000 + i};0.5`);
  writeFileSync(path, `Zeit [s];Spannung [mV];Strom [mA]\n${rows.join('\n')}\n`);

  const importer = new ImportPage(app);
  await importer.open();
  await importer.importFiles([path]);
  const row = importer.rowFor('zelle-7.csv');
  await expect(row).toHaveAttribute('data-state', 'failed');
  await row.getByTestId('open-mapping').click();
  const dialog = app.getByTestId('mapping-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('map-time_s').selectOption('Zeit [s]');
  await dialog.getByTestId('map-voltage_V').selectOption('Spannung [mV]');
  await dialog.getByLabel('Unit of voltage').selectOption('mV');
  await dialog.getByTestId('map-current_A').selectOption('Strom [mA]');
  await dialog.getByLabel('Unit of current').selectOption('mA');
  await dialog.getByTestId('mapping-apply').click();
  await expect(dialog).toBeHidden();
  await importer.expectImported('zelle-7.csv');
  expect(await importer.detail('zelle-7.csv')).toContain('50 rows');

  // The stored channels are in SI: the mapped mV column arrives in V.
  await row.getByTestId('open-imported').click();
  await expect(app.getByTestId('measurement-title')).toHaveText('zelle-7.csv');
  await expect(app.getByTestId('measurement-kind')).toContainText('50 rows');
  await app.getByText('File and provenance').click();
  await expect(app.locator('.provenance')).toContainText('voltage_V [V]');
});

test('Ctrl+Z undoes the last library edit', async ({ app }) => {
  const library = new LibraryPage(app);
  await library.open();
  await app.getByTestId('new-sample').locator('summary').click();
  await app.getByTestId('new-sample-name').fill('Undo me');
  await app.getByTestId('new-sample-submit').click();
  await expect(library.sampleRow('Undo me')).toBeVisible();

  await app.getByRole('heading', { name: 'Library' }).click(); // focus off the form's inputs
  await app.keyboard.press('Control+z');
  await expect(app.getByTestId('status-line')).toContainText('Undone');
  await expect(library.sampleRow('Undo me')).toHaveCount(0);
  await expect(app.getByTestId('library-empty')).toBeVisible();
});

/** getComputedStyle, typed here because the tests compile without the DOM lib. */
interface CssWindow {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

test('the dark theme applies at once and is kept after a reload', async ({ app }) => {
  const html = app.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const body = app.locator('body');
  const lightBackground = await body.evaluate(
    (b) => (globalThis as unknown as CssWindow).getComputedStyle(b).backgroundColor,
  );
  await app.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(body).not.toHaveCSS('background-color', lightBackground);
  await app.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('filters and search narrow the demo library', async ({ sharedDemoApp: app }) => {
  const library = new LibraryPage(app);
  await library.open();
  await expect(app.getByTestId('library-sample')).toHaveCount(3);
  const all = await library.rows().count();

  await app.getByTestId('filter-kind').selectOption('voltammetry');
  // One LSV per demo sample, and nothing else.
  await expect(library.rows()).toHaveCount(3);
  for (const technique of await library.rows().locator('td:nth-child(2)').allTextContents())
    expect(technique).toBe('LSV');
  await app.getByTestId('filter-kind').selectOption('');
  await expect(library.rows()).toHaveCount(all);

  await app.getByTestId('filter-family').selectOption('PVH-in-SiO₂');
  await expect(app.getByTestId('library-sample')).toHaveCount(1);
  await expect(library.sample('PVH-in-SiO₂')).toBeVisible();
  await app.getByTestId('filter-family').selectOption('');

  await app.keyboard.press('/');
  await expect(app.getByTestId('library-search')).toBeFocused();
  await app.keyboard.type('ccd');
  await expect(library.rows()).toHaveCount(3);
  for (const name of await library.rows().locator('td:first-child').allTextContents())
    expect(name).toMatch(/_ccd\.mpt$/);
});
