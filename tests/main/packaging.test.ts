/**
 * The electron-builder configuration states the packaging choices: Linux AppImage + deb, Windows
 * NSIS, macOS dmg, native modules rebuilt for Electron, better-sqlite3's binary outside the asar, and
 * the built app (not the sources) in the package. (Building a package needs Electron's binary,
 * which cannot be downloaded on the CI machines.)
 */
import { describe, expect, it } from 'vitest';
import config from '../../electron.config';
import { REPO_ROOT } from '../support/paths';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
};

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('electron-builder configuration', () => {
  it('targets every desktop platform and unpacks the native SQLite module', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.npmRebuild).toBe(true);
    expect(JSON.stringify(config.asarUnpack)).toMatch(/better-sqlite3/);
    expect(config.files).toContain('dist/**/*');
  });

  it('starts the app from the bundled main process the build writes', () => {
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(pkg.scripts.dist).toMatch(/electron-builder --config electron\.config\.ts/);
  });
});
