/**
 * Damaged copies of every real Neware/Arbin file: truncated anywhere, or with random bytes changed.
 * Each reader must either still produce a consistent Measurement (a changed byte inside a number is
 * just a different number) or throw an ElyteError that names the file — never another exception,
 * never a hang. Plus zero-length input and zips that are neither .ndax nor .xlsx.
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isElyteError } from '../../app/errors';
import { arbinCsvReader } from '../../app/formats/cyclers/arbin/csv';
import { arbinResReader } from '../../app/formats/cyclers/arbin/res';
import { arbinXlsxReader } from '../../app/formats/cyclers/arbin/xlsx';
import { newareCsvReader, newareXlsxReader } from '../../app/formats/cyclers/neware/export';
import { newareNdaReader } from '../../app/formats/cyclers/neware/nda';
import { newareNdaxReader } from '../../app/formats/cyclers/neware/ndax';
import { parseInstrumentFile } from '../../app/formats/index';
import { readXlsxSheets } from '../../app/formats/xlsx';
import type { FormatReader } from '../../app/measurement';
import { readShared } from '../support/paths';

/** Real file, its reader, and how many damaged copies to try (bigger files parse slower). */
const CASES: { path: string; reader: FormatReader; runs: number }[] = [
  { path: 'neware_nda/NewareNDA__TestFile.nda', reader: newareNdaReader, runs: 300 },
  { path: 'neware_nda/NewareNDA__2-1-6_61[07005012].nda', reader: newareNdaReader, runs: 100 },
  {
    path: 'neware_ndax/NewareNDA__123456789012_Unit27_Example_Data_File.ndax',
    reader: newareNdaxReader,
    runs: 500,
  },
  { path: 'neware_ndax/navani__test.ndax', reader: newareNdaxReader, runs: 200 },
  { path: 'neware_ndax/aurora__nw4-120-6-1-36.ndax', reader: newareNdaxReader, runs: 100 },
  { path: 'neware_csv/cellpy__neware_uio.csv', reader: newareCsvReader, runs: 60 },
  { path: 'arbin_csv/battdat__arbin_example.csv', reader: arbinCsvReader, runs: 150 },
  { path: 'arbin_csv/beep__2017-05-09_test-TC-contact_CH33.csv', reader: arbinCsvReader, runs: 300 },
  { path: 'arbin_csv/beep__FastCharge_000025_CH8.csv', reader: arbinCsvReader, runs: 300 },
  { path: 'arbin_res/cellpy__20160805_test001_45_cc_01.res', reader: arbinResReader, runs: 20 },
  { path: 'arbin_res/cellpy__aux_one_x_dx.res', reader: arbinResReader, runs: 20 },
  {
    path: 'arbin_xlsx/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx',
    reader: arbinXlsxReader,
    runs: 25,
  },
];

const damage = (size: number) =>
  fc.oneof(
    fc.record({ cut: fc.integer({ min: 0, max: size - 1 }) }),
    fc.record({
      flips: fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 8,
      }),
    }),
  );

function apply(bytes: Uint8Array, change: { cut: number } | { flips: [number, number][] }): Uint8Array {
  if ('cut' in change) return bytes.slice(0, change.cut);
  const copy = bytes.slice();
  for (const [at, value] of change.flips) copy[at] = value;
  return copy;
}

/** Parses damaged bytes; returns null when fine, or a description of the failure. */
function check(reader: FormatReader, bytes: Uint8Array, name: string): string | null {
  const started = performance.now();
  try {
    const m = reader.parse(bytes, name, { timeLimitMs: 5000 });
    if (m.rows <= 0) return 'a Measurement with no rows';
    for (const values of Object.values(m.channels))
      if (values.length !== m.rows) return 'channel length mismatch';
    for (const column of m.original) if (column.values.length !== m.rows) return 'column length mismatch';
  } catch (error) {
    if (!isElyteError(error)) return `non-ElyteError: ${String(error)}`;
    if (!error.message.includes(name)) return `error does not name the file: ${error.message}`;
  }
  const elapsed = performance.now() - started;
  return elapsed > 3000 ? `took ${elapsed.toFixed(0)} ms` : null;
}

describe('damaged Neware and Arbin files', () => {
  for (const { path, reader, runs } of CASES) {
    const name = path.split('/')[1]!;
    it(`${name}: ${runs} truncated or byte-changed copies → Measurement or ElyteError naming the file`, () => {
      const bytes = readShared(path);
      fc.assert(
        fc.property(damage(bytes.length), (change) => {
          const problem = check(reader, apply(bytes, change), name);
          if (problem) throw new Error(problem);
        }),
        { numRuns: runs, seed: 20261125 },
      );
    });
  }

  it('zero-length input gives an ElyteError naming the file, from every reader', () => {
    for (const reader of [
      newareNdaReader,
      newareNdaxReader,
      newareCsvReader,
      newareXlsxReader,
      arbinResReader,
      arbinXlsxReader,
      arbinCsvReader,
    ]) {
      expect(() => reader.parse(new Uint8Array(0), 'empty.dat'), reader.id).toThrow(/empty\.dat/);
      try {
        reader.parse(new Uint8Array(0), 'empty.dat');
      } catch (error) {
        expect(isElyteError(error), reader.id).toBe(true);
      }
    }
    expect(() => parseInstrumentFile(new Uint8Array(0), 'empty.nda')).toThrow(/empty\.nda.*empty/);
  });

  it('a zip that is neither .ndax nor .xlsx is refused clearly by the zip readers', () => {
    const zip = zipSync({
      'notes.txt': strToU8('not an instrument file'),
      'data/values.bin': new Uint8Array(100),
    });
    expect(() => newareNdaxReader.parse(zip, 'odd.ndax')).toThrow(/odd\.ndax.*not a Neware \.ndax/);
    expect(() => arbinXlsxReader.parse(zip, 'odd.xlsx')).toThrow(/odd\.xlsx.*not an Excel \.xlsx/);
    expect(() => newareXlsxReader.parse(zip, 'odd.xlsx')).toThrow(/odd\.xlsx.*not an Excel \.xlsx/);
    expect(() => readXlsxSheets(zip, 'odd.xlsx')).toThrow(/odd\.xlsx/);
  });
});
