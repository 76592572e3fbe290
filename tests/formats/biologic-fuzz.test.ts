/**
 * Truncated, byte-flipped and spliced copies of the real BioLogic files, given straight to the BioLogic
 * readers (not through parseInstrumentFile, which would turn a reader's stray TypeError into an
 * ElyteError and hide it): each either yields a well-formed Measurement or throws an ElyteError naming
 * the file — never another exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { biologicMplReader } from '../../app/formats/biologic/mpl';
import { biologicMprReader } from '../../app/formats/biologic/mpr';
import { biologicMptReader, biologicTxtReader } from '../../app/formats/biologic/mpt';
import type { FormatReader } from '../../app/measurement';
import { readShared } from '../support/paths';
import { expectWellFormed } from './well-formed';

const READERS: [FormatReader, string][] = [
  [biologicMptReader, 'biologic_mpt/exampleDataBioLogic.mpt'],
  [biologicMptReader, 'biologic_mpt/ixdat__dataset_with_loop_01_03_CP_DUSB0_C01.mpt'],
  [biologicMptReader, 'biologic_mpt/ixdat__multiple_techniques_dataset_01_04_CP_C01.mpt'],
  [biologicMptReader, 'biologic_mpt/ixdat__multiple_techniques_dataset_01_07_ZIR_C01.mpt'],
  [biologicTxtReader, 'biologic_txt_export/mda__biologic1.txt'],
  [biologicMprReader, 'biologic_mpr/navani__00_test_01_OCV_C01.mpr'],
  [biologicMprReader, 'biologic_mpr/navani__00_test_02_MB_C01.mpr'],
  [biologicMprReader, 'biologic_mpr/aurora__PEIS.mpr'],
  [biologicMplReader, 'biologic_mpl/aurora__PEIS.mpl'],
];
/** [path, reader] so the test titles name the file. */
const FILES = READERS.map(([reader, path]) => [path, reader] as const);

function outcome(reader: FormatReader, bytes: Uint8Array, name: string): string {
  const started = performance.now();
  try {
    const m = reader.parse(bytes, name, { timeLimitMs: 2000 });
    expectWellFormed(m, name);
    for (const values of Object.values(m.channels)) {
      for (const v of values!) if (!Number.isFinite(v)) expect.fail(`${name}: a channel holds ${v}`);
    }
    return 'ok';
  } catch (error) {
    if (!(error instanceof ElyteError)) {
      expect.fail(
        `${name}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    expect(error.message).toContain(name);
    return error.kind;
  } finally {
    expect(performance.now() - started).toBeLessThan(5000);
  }
}

describe('damaged BioLogic files fail cleanly', () => {
  it.each(FILES)('%s: truncated at every kind of offset', (path, reader) => {
    const bytes = readShared(path);
    const kinds = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        kinds.add(outcome(reader, bytes.subarray(0, cut), 'cut.bin'));
      }),
      { numRuns: 150 },
    );
    expect(kinds.size).toBeGreaterThan(0);
  });

  it.each(FILES)('%s: random bytes flipped', (path, reader) => {
    const original = readShared(path);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const bytes = original.slice();
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          outcome(reader, bytes, 'flipped.bin');
        },
      ),
      { numRuns: 250 },
    );
  });

  it.each(FILES)('%s: flips in the header area', (path, reader) => {
    const original = readShared(path);
    const headerSpan = Math.min(original.length, 8000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: headerSpan - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const bytes = original.slice();
          bytes[at] = value;
          outcome(reader, bytes, 'header.bin');
        },
      ),
      { numRuns: 250 },
    );
  });

  it('random garbage and zero-length input', () => {
    for (const [, reader] of FILES) outcome(reader, new Uint8Array(0), 'empty.bin');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom(...FILES.map(([, r]) => r)),
        (bytes, reader) => {
          outcome(reader, bytes, 'garbage.bin');
        },
      ),
      { numRuns: 500 },
    );
  });
});
