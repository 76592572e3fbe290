/**
 * Every real instrument file in ../shared/data is either read into a well-formed Measurement or refused
 * with a specific, typed message; and where CATALOGUE.tsv states a row count (asserted by an independent
 * tool, or derived from the file itself), the Measurement has that many rows.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { parseInstrumentFile } from '../../app/formats/index';
import type { Measurement } from '../../app/measurement';
import { readCatalogue, readShared, SHARED_DATA } from '../support/paths';
import { expectWellFormed } from './well-formed';

const SKIPPED_DIRS = new Set(['_reference', '_licenses']);
const SKIPPED_FILES = new Set(['README.md', 'CATALOGUE.tsv']);

function listDataFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(entry)) files.push(...listDataFiles(path));
    } else if (!SKIPPED_FILES.has(entry)) {
      files.push(relative(SHARED_DATA, path));
    }
  }
  return files;
}

/**
 * A refusal is acceptable when the format is documented as unsupported, or when the reader recognised a
 * companion file that holds no measurement (metadata/summary sidecars, log files) and says which —
 * never 'unknown-format' (whose message lists every supported format, so it is excluded explicitly).
 */
const NAMED_REFUSAL = /companion|log file|settings only|not a measurement|metadata/i;

/**
 * The row count CATALOGUE.tsv states for a file, from the first pattern that matches (most direct first):
 * a count derived from the file itself, impedance.py's "must give n=N points", cellpy's "len(raw) == N"
 * or "n_rows N", a DataFrame "shape == (N, …)", NewareNDA's "ftr): N rows", or "header + N rows".
 */
function catalogueRowCount(expectations: string, notes: string): number | undefined {
  const text = `${expectations} ${notes}`;
  const patterns = [
    /Derived[^:]*:\s*(\d+) data rows/,
    /must give n=(\d+) points/,
    /len\(raw\) == (\d+)/,
    /n_rows (\d+)/,
    /shape(?: ==)? \((\d+),/,
    /ftr\):\s*(\d+) rows/,
    /header \+ (\d+) rows/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]);
  }
  return undefined;
}

const files = listDataFiles(SHARED_DATA);
const catalogue = new Map(readCatalogue().map((row) => [row.local_path, row]));

describe('every real file is read or refused clearly', () => {
  it('finds the shared data files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files)('%s', (path) => {
    const fileName = path.split('/').pop()!;
    const bytes = readShared(path);
    const row = catalogue.get(path);
    const expectedRows = row ? catalogueRowCount(row.source_test_expectations, row.notes) : undefined;
    const mustFail = row ? /must FAIL/.test(row.source_test_expectations) : false;
    let measurement: Measurement | undefined;
    try {
      measurement = parseInstrumentFile(bytes, fileName);
    } catch (error) {
      expect(error, `${path} threw a non-ElyteError: ${String(error)}`).toBeInstanceOf(ElyteError);
      const e = error as ElyteError;
      expect(e.message).toContain(fileName);
      if (expectedRows === 0) {
        expect(e.message).toMatch(/no data/i);
        return;
      }
      // The source project's own test says reading this (deliberately broken) file must fail.
      if (mustFail && e.kind !== 'unknown-format') return;
      if (e.kind === 'unsupported' || (e.kind !== 'unknown-format' && NAMED_REFUSAL.test(e.message))) return;
      expect.fail(`${path} was refused with kind '${e.kind}': ${e.message}`);
    }
    expect(mustFail, `${path}: CATALOGUE.tsv says reading must fail`).toBe(false);
    expectWellFormed(measurement!, fileName);
    if (expectedRows !== undefined)
      expect(measurement!.rows, `rows of ${path} (CATALOGUE.tsv)`).toBe(expectedRows);
  });
});

describe('CATALOGUE.tsv row-count extraction', () => {
  it('reads the stated counts', () => {
    expect(catalogueRowCount('raw_data.shape == (2165, 44), metadata', '')).toBe(2165);
    expect(catalogueRowCount('n_rows 16255, n_columns 37', '')).toBe(16255);
    expect(catalogueRowCount('x', 'Derived by me (not a source assertion): 21 data rows after')).toBe(21);
    expect(catalogueRowCount('no count here', '')).toBeUndefined();
  });

  it('lists only files that exist', () => {
    for (const path of catalogue.keys()) expect(files).toContain(path);
  });
});
