/**
 * Bad input never crashes, hangs or yields a malformed Measurement. Every real file, mutated (truncated
 * at random offsets, bytes flipped, bytes inserted, renamed to a wrong extension), random garbage and
 * known non-instrument bytes go through parseInstrumentFile: the only thing allowed out is a well-formed
 * Measurement or an ElyteError whose message names the file, and each parse ends within a time bound.
 * Run counts scale down with file size so the whole file runs in well under a minute on 2 cores.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { parseInstrumentFile } from '../../app/formats/index';
import type { Measurement } from '../../app/measurement';
import { readShared, SHARED_DATA } from '../support/paths';
import { expectWellFormed } from './well-formed';

/** Time guard handed to the readers, and the wall-clock bound we assert (guard + slack for a slow CI). */
const TIME_LIMIT_MS = 2000;
const ELAPSED_BOUND_MS = TIME_LIMIT_MS + 3000;

function listDataFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (!entry.startsWith('_')) out.push(...listDataFiles(path));
    } else if (entry !== 'README.md' && entry !== 'CATALOGUE.tsv') out.push(relative(SHARED_DATA, path));
  }
  return out;
}

interface RealFile {
  path: string;
  name: string;
  extension: string;
  bytes: Uint8Array;
}

const realFiles: RealFile[] = listDataFiles(SHARED_DATA).map((path) => {
  const name = path.split('/').pop()!;
  const dot = name.lastIndexOf('.');
  return { path, name, extension: dot < 0 ? '' : name.slice(dot + 1), bytes: readShared(path) };
});

/**
 * Runs per property for one file: `small` for files that parse in a few milliseconds, fewer for slow ones
 * so each property spends about PROPERTY_BUDGET_MS per file (at least 2 runs).
 */
const PROPERTY_BUDGET_MS = 60;
const baselineMs = new Map<string, number>();

function runsFor(file: RealFile, small: number): number {
  let ms = baselineMs.get(file.path);
  if (ms === undefined) {
    const started = performance.now();
    try {
      parseInstrumentFile(file.bytes, file.name);
    } catch {
      // refusals are timed too
    }
    ms = Math.max(0.5, performance.now() - started);
    baselineMs.set(file.path, ms);
  }
  return Math.max(2, Math.min(small, Math.floor(PROPERTY_BUDGET_MS / ms)));
}

let cases = 0;

/** Parses and checks the only allowed outcomes; returns the error kind or 'ok'. */
function parseSafely(bytes: Uint8Array, fileName: string): string {
  cases++;
  const started = performance.now();
  let measurement: Measurement | undefined;
  let outcome = 'ok';
  try {
    measurement = parseInstrumentFile(bytes, fileName, { timeLimitMs: TIME_LIMIT_MS });
  } catch (error) {
    if (!(error instanceof ElyteError)) {
      throw new Error(
        `${fileName}: threw ${error instanceof Error ? error.name : typeof error}: ${String(error)}`,
      );
    }
    if (!error.message.includes(fileName))
      throw new Error(`error message does not name the file: ${error.message}`);
    outcome = error.kind;
  }
  const elapsed = performance.now() - started;
  if (elapsed > ELAPSED_BOUND_MS) throw new Error(`${fileName}: parsing took ${Math.round(elapsed)} ms`);
  if (measurement) expectWellFormed(measurement, fileName);
  return outcome;
}

const SEED = 20261125;

describe('mutated real files', () => {
  it('zero-length input is refused as empty, naming the file', () => {
    for (const file of realFiles) expect(parseSafely(new Uint8Array(0), file.name)).toBe('empty');
  });

  it.each(realFiles.map((f) => [f.path, f] as const))('truncation of %s', (_path, file) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Math.max(1, file.bytes.length - 1) }), (end) => {
        parseSafely(file.bytes.subarray(0, end), `cut-${file.name}`);
      }),
      { numRuns: runsFor(file, 25), seed: SEED },
    );
  });

  it.each(realFiles.map((f) => [f.path, f] as const))('byte flips in %s', (_path, file) => {
    const n = file.bytes.length;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.boolean(),
        (flips, inHead) => {
          const copy = file.bytes.slice();
          // Half the runs aim at the first 4 KiB, where headers and magic numbers live.
          for (const [at, value] of flips) copy[inHead ? at % Math.min(n, 4096) : at] = value;
          parseSafely(copy, `flip-${file.name}`);
        },
      ),
      { numRuns: runsFor(file, 25), seed: SEED },
    );
  });

  it.each(realFiles.map((f) => [f.path, f] as const))('byte insertions in %s', (_path, file) => {
    const n = file.bytes.length;
    fc.assert(
      fc.property(fc.nat({ max: n }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (at, inserted) => {
        const copy = new Uint8Array(n + inserted.length);
        copy.set(file.bytes.subarray(0, at), 0);
        copy.set(inserted, at);
        copy.set(file.bytes.subarray(at), at + inserted.length);
        parseSafely(copy, `insert-${file.name}`);
      }),
      { numRuns: runsFor(file, 15), seed: SEED },
    );
  });

  it('wrong extensions: content decides, and nothing but an ElyteError escapes', () => {
    const extensions = [
      'csv',
      'txt',
      'mpr',
      'mpt',
      'dta',
      'nda',
      'ndax',
      'res',
      'xlsx',
      'z',
      'ism',
      'par',
      '',
    ];
    realFiles.forEach((file, index) => {
      const stem = file.name.slice(0, file.name.length - file.extension.length - 1) || file.name;
      const original = parseSafely(file.bytes, file.name);
      // Two wrong extensions per file (one for multi-megabyte files), rotating so every extension is tried.
      const count = file.bytes.length > 1_000_000 ? 1 : 2;
      const chosen = Array.from(
        { length: count },
        (_, k) => extensions[(index * 2 + k) % extensions.length]!,
      );
      for (const extension of chosen) {
        if (extension === file.extension.toLowerCase()) continue;
        const renamed = extension ? `${stem}.${extension}` : stem;
        const outcome = parseSafely(file.bytes, renamed);
        // A file readable under its own name stays readable under another: detection is by content.
        // (A 'timeout' only means this shared machine was busy: the time guard did its job.)
        if (original === 'ok' && outcome !== 'timeout') {
          expect(outcome, `${file.path} renamed to ${renamed}`).toBe('ok');
        }
      }
    });
  });
});

describe('garbage', () => {
  it('random bytes are read or refused with an ElyteError naming the file', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 4096 }),
        fc.constantFrom('csv', 'mpr', 'txt', 'nda', 'xlsx'),
        (bytes, ext) => {
          parseSafely(bytes, `garbage.${ext}`);
        },
      ),
      { numRuns: 400, seed: SEED },
    );
  });

  it('random text lines are read or refused with an ElyteError naming the file', () => {
    const line = fc.array(fc.oneof(fc.double({ noNaN: true }).map(String), fc.string({ maxLength: 8 })), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(',', '\t', ';'),
        (rows, sep) => {
          const text = rows.map((fields) => fields.join(sep)).join('\n');
          parseSafely(new TextEncoder().encode(text), 'random-table.csv');
        },
      ),
      { numRuns: 300, seed: SEED },
    );
  });

  it('random binary with NUL bytes is an unknown format', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 2048 }), (bytes) => {
        const copy = bytes.slice();
        copy[0] = 0x00; // no known magic starts with NUL, and the NUL makes it binary
        copy[1] = 0x00;
        expect(parseSafely(copy, 'random.bin')).toBe('unknown-format');
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('a PNG image is an unknown format, and the message says it is an image', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
      0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
    ]);
    for (const name of ['picture.png', 'picture.mpr', 'picture.csv']) {
      expect(parseSafely(png, name)).toBe('unknown-format');
      expect(() => parseInstrumentFile(png, name)).toThrow(/PNG image/);
    }
  });

  it('empty input is refused as empty whatever its name', () => {
    for (const name of ['empty.csv', 'empty.mpr', 'empty'])
      expect(parseSafely(new Uint8Array(0), name)).toBe('empty');
  });

  it('ran thousands of cases', () => {
    console.log(`fuzz: ${cases} parses`);
    expect(cases).toBeGreaterThan(2000);
  });
});
