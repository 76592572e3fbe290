/**
 * The desktop shell under Playwright's Electron driver. Skipped, saying why, where the Electron
 * binary is absent (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) or there is no display.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary();
const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test('the desktop window is locked down and lists the library', async () => {
  test.skip(
    !binary,
    'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1); browser mode is tested instead',
  );
  test.skip(!hasDisplay, 'no display to open an Electron window on');
  const libraryDir = mkdtempSync(join(tmpdir(), 'elyte-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: ['.'],
    env: { ...process.env, ELYTE_LIBRARY: join(libraryDir, 'library.sqlite') },
  });
  const window = await app.firstWindow();
  await expect(window.getByTestId('nav-library')).toBeVisible();
  // No Node in the page, and the bridge holds named functions only (no ipcRenderer).
  const page = await window.evaluate(() => {
    const g = globalThis as { require?: unknown; process?: unknown; elyte?: Record<string, unknown> };
    return {
      require: typeof g.require,
      process: typeof g.process,
      bridge: Object.keys(g.elyte ?? {}).sort(),
    };
  });
  expect(page.require).toBe('undefined');
  expect(page.process).toBe('undefined');
  expect(page.bridge).toEqual(['calls', 'onEvent']);
  const blocked = await app.evaluate(async ({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]!.webContents;
    const before = contents.getURL();
    await contents.executeJavaScript("window.location.href = 'https://example.org'; 1").catch(() => 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { before, after: contents.getURL(), windows: BrowserWindow.getAllWindows().length };
  });
  expect(blocked.after).toBe(blocked.before);
  expect(blocked.windows).toBe(1);
  await app.close();
});
