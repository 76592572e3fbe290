/**
 * Each test gets its own `npm run serve` equivalent on a fresh, empty library in a temp folder, and
 * a page opened at the server's tokened URL (`elyte`, `app`). The server is stopped and the folder
 * removed after. Tests that need the reference-study demo either get a fresh demo library of their
 * own (`demo`, `demoApp`: they may change it) or share one per worker (`sharedDemo`,
 * `sharedDemoApp`: read-only use only, since the next test sees what this one left).
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

/** Starts a server on a fresh library in a temp folder, hands it to `use`, then stops and removes it. */
async function withServer(extraArgs: string[], use: (server: ElyteServer) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'elyte-e2e-'));
  const { server, child } = await launchServer(dir, extraArgs);
  try {
    await use(server);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openApp(page: Page, server: ElyteServer): Promise<Page> {
  await page.goto(server.url);
  await page.getByTestId('nav-library').waitFor();
  return page;
}

export const test = base.extend<
  { elyte: ElyteServer; app: Page; demo: ElyteServer; demoApp: Page; sharedDemoApp: Page },
  { sharedDemo: ElyteServer }
>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  elyte: async ({}, use) => withServer([], use),
  app: async ({ page, elyte }, use) => use(await openApp(page, elyte)),
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  demo: async ({}, use) => withServer(['--demo'], use),
  demoApp: async ({ page, demo }, use) => use(await openApp(page, demo)),
  sharedDemo: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use) => withServer(['--demo'], use),
    { scope: 'worker', timeout: 120_000 },
  ],
  sharedDemoApp: async ({ page, sharedDemo }, use) => use(await openApp(page, sharedDemo)),
});

export { expect } from '@playwright/test';
