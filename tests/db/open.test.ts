/** A first start on a fresh machine: the library's folder does not exist yet. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { closeLibrary, openLibrary } from '../../db/library';

it('creates a missing library folder on first open', async () => {
  const root = mkdtempSync(join(tmpdir(), 'elyte-open-'));
  const path = join(root, 'not', 'yet', 'library.sqlite');
  const lib = await openLibrary(path);
  expect(existsSync(path)).toBe(true);
  expect(lib.migration.backupPath).toBeNull();
  closeLibrary(lib);
  rmSync(root, { recursive: true, force: true });
});
