import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The real instrument files: ../shared/data beside the repository (read-only), or $ELYTE_SHARED_DATA. */
export const SHARED_DATA = process.env.ELYTE_SHARED_DATA ?? resolve(REPO_ROOT, '../shared/data');

export function sharedFile(relativePath: string): string {
  const path = join(SHARED_DATA, relativePath);
  if (!existsSync(path)) throw new Error(`missing fixture ${path}: is ../shared/data beside the repository?`);
  return path;
}

export function readShared(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(sharedFile(relativePath)));
}

export interface CatalogueRow {
  local_path: string;
  instrument: string;
  technique: string;
  size_bytes: string;
  source_test_expectations: string;
  notes: string;
  sha256: string;
}

/** The CATALOGUE.tsv rows (tab-separated, fields may be "quoted" with doubled quotes). */
export function readCatalogue(): CatalogueRow[] {
  const text = readFileSync(join(SHARED_DATA, 'CATALOGUE.tsv'), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const header = lines[0]!.split('\t');
  return lines.slice(1).map((line) => {
    const fields = line
      .split('\t')
      .map((f) => (f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f));
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      row[name] = fields[i] ?? '';
    });
    return row as unknown as CatalogueRow;
  });
}
