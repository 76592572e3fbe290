/** Page objects: what a technician does, in words, so specs read like the workflow. */
import { expect, type Locator, type Page } from '@playwright/test';

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
    return this.page.getByTestId('import-row').filter({ hasText: fileName });
  }

  async expectImported(fileName: string): Promise<void> {
    await expect(this.rowFor(fileName)).toHaveAttribute('data-state', 'imported');
  }

  async expectFailed(fileName: string, message: RegExp): Promise<void> {
    const row = this.rowFor(fileName);
    await expect(row).toHaveAttribute('data-state', 'failed');
    await expect(row.getByTestId('import-detail')).toContainText(message);
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
    return this.rows().filter({ hasText: fileName });
  }

  async openMeasurement(fileName: string): Promise<void> {
    await this.row(fileName).getByRole('button', { name: fileName }).click();
    await expect(this.page.getByTestId('measurement-title')).toHaveText(fileName);
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
}
