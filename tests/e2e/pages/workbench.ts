/** Page objects: what a technician does, in words, so specs read like the workflow. */
import { expect, type Locator, type Page } from '@playwright/test';

/** A number as the UI prints it ("3.70e-4", "0.00132", "1.234e+3"). */
export function parseShownNumber(text: string): number {
  const match = /[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i.exec(text);
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace('−', '-'));
}

export class ImportPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-import').click();
    await expect(this.page.getByTestId('drop-zone')).toBeVisible();
  }

  /** Picks files through the file chooser (the same path as a drop). */
  async importFiles(paths: string[]): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(paths);
  }

  rowFor(fileName: string): Locator {
    return this.page
      .getByTestId('import-row')
      .filter({ has: this.page.locator('.file-name').getByText(fileName, { exact: true }) });
  }

  async expectImported(fileName: string, timeout?: number): Promise<void> {
    await expect(this.rowFor(fileName)).toHaveAttribute('data-state', 'imported', { timeout });
  }

  /** The "format · technique · N rows" line of an imported file. */
  async detail(fileName: string): Promise<string> {
    return (await this.rowFor(fileName).getByTestId('import-detail').textContent()) ?? '';
  }

  async expectFailed(fileName: string, message: RegExp): Promise<void> {
    const row = this.rowFor(fileName);
    await expect(row).toHaveAttribute('data-state', 'failed');
    await expect(row.getByTestId('import-detail')).toContainText(message);
  }

  assign(): AssignPanel {
    return new AssignPanel(this.page);
  }
}

/** The "file under sample → batch → cell" panel of the import screen. */
export class AssignPanel {
  readonly root: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('assign-panel');
  }

  /** Ticks exactly these files (by name) and unticks every other imported file. */
  async chooseOnly(fileNames: string[]): Promise<void> {
    const boxes = this.root.getByRole('checkbox');
    const count = await boxes.count();
    for (let i = 0; i < count; i++) {
      const box = boxes.nth(i);
      const name = ((await box.locator('xpath=..').textContent()) ?? '').trim();
      await box.setChecked(fileNames.includes(name));
    }
  }

  async setTemperature(fileName: string, celsius: number): Promise<void> {
    await this.root.getByLabel(`Temperature of ${fileName} in °C`, { exact: true }).fill(String(celsius));
  }

  async createSample(name: string, family?: string): Promise<void> {
    const form = this.root.getByTestId('new-sample-form');
    await form.getByTestId('new-sample-name').fill(name);
    if (family) await form.getByLabel('Family', { exact: true }).fill(family);
    await form.getByTestId('new-sample-submit').click();
    await expect(this.root.getByTestId('assign-sample').locator('option:checked')).toHaveText(name);
  }

  async createBatch(name: string): Promise<void> {
    const form = this.root.getByTestId('new-batch-form');
    await form.getByTestId('new-batch-name').fill(name);
    await form.getByTestId('new-batch-submit').click();
    await expect(this.root.getByTestId('assign-batch').locator('option:checked')).toHaveText(name);
  }

  async createCell(cell: { name: string; type: string; area_cm2?: number; thickness_um?: number }) {
    const form = this.root.getByTestId('new-cell-form');
    await form.getByTestId('new-cell-name').fill(cell.name);
    await form.getByTestId('new-cell-type').selectOption(cell.type);
    if (cell.area_cm2 !== undefined) await form.getByTestId('new-cell-area').fill(String(cell.area_cm2));
    if (cell.thickness_um !== undefined)
      await form.getByTestId('new-cell-thickness').fill(String(cell.thickness_um));
    await form.getByTestId('new-cell-submit').click();
    await expect(this.root.getByTestId('assign-cell-select').locator('option:checked')).toContainText(
      cell.name,
    );
  }

  async submit(count: number, sampleName: string): Promise<void> {
    await this.root.getByTestId('assign-submit').click();
    await expect(this.root.getByTestId('assign-done')).toContainText(
      `Filed ${count} measurement(s) under ${sampleName} /`,
    );
  }
}

export class LibraryPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click();
    await expect(this.page.getByTestId('library-tree')).toBeVisible();
  }

  rows(): Locator {
    return this.page.getByTestId('library-row');
  }

  row(fileName: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('button', { name: fileName, exact: true }) });
  }

  sample(name: string): Locator {
    return this.page.locator(`[data-testid="library-sample"][data-sample="${name}"]`);
  }

  sampleRow(name: string): Locator {
    return this.page.locator(`[data-testid="sample-row"][data-sample="${name}"]`);
  }

  async openMeasurement(fileName: string): Promise<void> {
    await this.row(fileName).getByRole('button', { name: fileName, exact: true }).click();
    await expect(this.page.getByTestId('measurement-title')).toHaveText(fileName);
  }

  /** The Arrhenius view of the (first) cell of a sample that holds a temperature series. */
  async openArrhenius(sampleName: string): Promise<void> {
    await this.sample(sampleName).getByTestId('open-arrhenius').first().click();
    await expect(
      this.page.getByRole('heading', { name: new RegExp(`^Arrhenius: ${sampleName} /`) }),
    ).toBeVisible();
  }

  /** The compare table's cells of one sample (first cell: swatch and name). */
  async compareRow(sampleName: string): Promise<string[]> {
    for (const row of await this.page.getByTestId('compare-row').all()) {
      const cells = await row.locator('td').allTextContents();
      if (cells[0]?.trim() === sampleName) return cells;
    }
    throw new Error(`no compare row for ${sampleName}`);
  }

  async compare(sampleNames: string[]): Promise<void> {
    for (const name of sampleNames) await this.sampleRow(name).getByTestId('compare-check').check();
    await this.page.getByTestId('compare-button').click();
    await expect(this.page.getByTestId('compare-table')).toBeVisible();
  }
}

export class MeasurementPage {
  constructor(private readonly page: Page) {}

  plot(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** Points drawn, as counted by the plot wrapper once plotly has rendered. */
  async plottedPoints(testId: string): Promise<number> {
    const plot = this.plot(testId);
    await expect(plot).toHaveAttribute('data-rendered', 'true');
    return Number(await plot.getAttribute('data-points'));
  }

  async expectRendered(testId: string): Promise<void> {
    await expect(this.plot(testId)).toHaveAttribute('data-rendered', 'true');
  }
}

/** The EIS panel: geometry, one-click fit, parameter table and σ. */
export class EisPanel {
  constructor(private readonly page: Page) {}

  async fit(geometry: { thickness_um: number; area_cm2: number; preset?: string }): Promise<void> {
    if (geometry.preset) await this.page.getByTestId('circuit-preset').selectOption(geometry.preset);
    await this.page.getByTestId('thickness-input').fill(String(geometry.thickness_um));
    await this.page.getByTestId('area-input').fill(String(geometry.area_cm2));
    await this.page.getByTestId('fit-button').click();
    await expect(this.page.getByTestId('sigma-value')).toBeVisible();
    await expect(this.page.getByTestId('parameter-table')).toBeVisible();
  }

  /** σ in S/cm as shown. */
  async sigma(): Promise<number> {
    return parseShownNumber((await this.page.getByTestId('sigma-value').textContent()) ?? '');
  }

  /** The bulk resistance line: value in Ω and how it was found. */
  async bulk(): Promise<{ R_ohm: number; method: string }> {
    const text = (await this.page.getByTestId('conductivity-result').locator('p.muted').textContent()) ?? '';
    const match = /R_b = (\S+) Ω \((.*)\)/.exec(text);
    if (!match) throw new Error(`no bulk resistance in "${text}"`);
    return { R_ohm: parseShownNumber(match[1]!), method: match[2]! };
  }

  /** Fitted parameters by name, as the parameter table shows them. */
  async parameters(): Promise<Map<string, number>> {
    const rows = this.page.getByTestId('parameter-table').locator('tbody tr');
    const out = new Map<string, number>();
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allTextContents();
      out.set(cells[0]!.trim(), parseShownNumber(cells[1]!));
    }
    return out;
  }
}

/** A plot's publication export panel; each export is caught as a download. */
export class FigureExport {
  constructor(
    private readonly page: Page,
    private readonly testId: string,
  ) {}

  private get panel(): Locator {
    return this.page.getByTestId(`${this.testId}-export`);
  }

  async open(options: { preset?: string; dpi?: number } = {}): Promise<void> {
    await this.page.getByTestId(`${this.testId}-export-toggle`).click();
    if (options.preset) await this.panel.getByTestId('export-preset').selectOption(options.preset);
    if (options.dpi) await this.panel.getByTestId('export-dpi').fill(String(options.dpi));
  }

  async save(format: 'svg' | 'pdf' | 'png' | 'tiff' | 'csv'): Promise<{ name: string; bytes: Buffer }> {
    const download = this.page.waitForEvent('download');
    await this.panel.getByTestId(`export-${format}`).click();
    const file = await download;
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    await expect(this.panel.getByTestId('export-status')).toContainText(`Saved ${file.suggestedFilename()}`);
    return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
  }
}
