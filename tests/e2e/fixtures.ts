/**
 * Each test gets its own `npm run serve` equivalent on a fresh, empty library in a temp folder, and
 * a page opened at the server's tokened URL. The server is stopped and the folder removed after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, type Page } from '@playwright/test';

export interface ElyteServer {
  url: string;
  origin: string;
  token: string;
  libraryPath: string;
}

export const SHARED_DATA = process.env.ELYTE_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data');

export async function launchServer(
  libraryDir: string,
  extraArgs: string[] = [],
): Promise<{ server: ElyteServer; child: ChildProcess }> {
  const libraryPath = join(libraryDir, 'library.sqlite');
  const child = spawn(
    'node',
    ['--import', 'tsx', 'main/serve/cli.ts', '--library', libraryPath, '--json', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const server = await new Promise<ElyteServer>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`elyte serve exited with ${code} before it was ready`)));
    lines.on('line', (line) => {
      try {
        const info = JSON.parse(line) as { url: string; token: string; port: number; libraryPath: string };
        resolve({
          url: info.url,
          origin: `http://127.0.0.1:${info.port}`,
          token: info.token,
          libraryPath: info.libraryPath,
        });
      } catch {
        // not the ready line
      }
    });
  });
  return { server, child };
}

export const test = base.extend<{ elyte: ElyteServer; app: Page }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  elyte: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'elyte-e2e-'));
    const { server, child } = await launchServer(dir);
    await use(server);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ page, elyte }, use) => {
    await page.goto(elyte.url);
    await page.getByTestId('nav-library').waitFor();
    await use(page);
  },
});

export { expect } from '@playwright/test';
