/**
 * A 1,000,000-point galvanostatic record stays responsive: it is imported through the UI, opened, and
 * drawn from a decimated envelope (a few thousand points, spikes kept); a zoom asks for the visible
 * range again and re-decimates it at full detail. Truth by construction (support/long-cycling.ts):
 * one row per second, a single-row +1.5 V spike every 9973 rows, voltage otherwise within 3–4 V.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { ImportPage } from './pages/workbench';
import { writeLongCyclingMpt } from './support/long-cycling';

/** What plotly holds for the plot: its x range and the first trace's points. */
interface Drawn {
  range: [number, number];
  n: number;
  xMin: number;
  xMax: number;
  yMax: number;
}

async function drawn(plot: Locator): Promise<Drawn> {
  return plot.evaluate((element) => {
    const gd = element as unknown as {
      _fullLayout: { xaxis: { range: [number, number] } };
      data: { x: number[]; y: number[] }[];
    };
    const { x, y } = gd.data[0]!;
    return {
      range: gd._fullLayout.xaxis.range,
      n: x.length,
      xMin: Math.min(...x),
      xMax: Math.max(...x),
      yMax: Math.max(...y),
    };
  });
}

test('a 1,000,000-point curve is drawn decimated and re-decimated on zoom', async ({ app }, testInfo) => {
  test.setTimeout(240_000);
  const file = writeLongCyclingMpt(testInfo.outputPath('long-cycling_1M.mpt'));
  const importer = new ImportPage(app);
  await importer.open();
  await importer.importFiles([file.path]);
  await importer.expectImported('long-cycling_1M.mpt', 180_000);
  expect(await importer.detail('long-cycling_1M.mpt')).toContain(`${file.rows} rows`);

  await importer.rowFor('long-cycling_1M.mpt').getByTestId('open-imported').click();
  const container = app.getByTestId('voltage-plot-container');
  const plot = app.getByTestId('voltage-plot');
  await expect(plot).toHaveAttribute('data-rendered', 'true');
  await expect(container).toHaveAttribute('data-total-rows', String(file.rows));
  const full = Number(await container.getAttribute('data-returned-rows'));
  expect(full).toBeGreaterThan(500);
  expect(full).toBeLessThanOrEqual(8000);
  const before = await drawn(plot);
  expect(before.n).toBe(full);
  // x in hours; the whole record is shown, and the envelope kept the one-row spikes.
  expect(before.xMax).toBeCloseTo(file.lastTime_s / 3600, 2);
  expect(before.yMax).toBeCloseTo(file.maxVoltage_V, 6);

  // Zoom: drag a box over a tenth of the plot's width, as a technician would.
  const area = await plot.locator('.nsewdrag').first().boundingBox();
  if (!area) throw new Error('the plot has no drag area');
  const y = area.y + area.height / 2;
  await app.mouse.move(area.x + area.width * 0.4, y);
  await app.mouse.down();
  await app.mouse.move(area.x + area.width * 0.45, y, { steps: 5 });
  await app.mouse.move(area.x + area.width * 0.5, y + 20, { steps: 5 });
  await app.mouse.up();

  await expect
    .poll(async () => (await drawn(plot)).xMin, { message: 'points re-fetched for the zoomed range' })
    .toBeGreaterThan(before.xMax * 0.3);
  const after = await drawn(plot);
  const width = after.range[1] - after.range[0];
  expect(width).toBeLessThan((before.range[1] - before.range[0]) * 0.2);
  expect(after.xMin).toBeGreaterThanOrEqual(after.range[0] - width * 0.05);
  expect(after.xMax).toBeLessThanOrEqual(after.range[1] + width * 0.05);
  await expect(container).toHaveAttribute('data-total-rows', String(file.rows));
  const zoomed = Number(await container.getAttribute('data-returned-rows'));
  expect(zoomed).toBeGreaterThan(500);
  expect(zoomed).toBeLessThanOrEqual(8000);
  // Full detail in the window: a tenth of the record is ~100,000 rows, so the points are denser.
  expect(after.n / width).toBeGreaterThan((before.n / (before.range[1] - before.range[0])) * 3);
});
