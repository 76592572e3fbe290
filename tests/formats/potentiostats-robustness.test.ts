/**
 * Bad input for the potentiostat readers: truncated copies and random byte flips of every real file
 * (fast-check) must give a Measurement that still keeps its invariants or an ElyteError naming the file
 * — never another exception or a hang; and no sniffer may claim another format's file.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { potentiostatReaders } from '../../app/formats/potentiostats/index';
import type { FormatReader, Measurement } from '../../app/measurement';
import { readShared, SHARED_DATA } from '../support/paths';
import { POTENTIOSTAT_FOLDERS } from './potentiostat-folders';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

const files = allFiles(SHARED_DATA).map((path) => relative(SHARED_DATA, path));
const ours = files
  .filter((path) => path.split('/')[0]! in POTENTIOSTAT_FOLDERS)
  .map((path) => ({
    path,
    name: basename(path),
    bytes: readShared(path),
    reader: potentiostatReaders.find((r) => r.id === POTENTIOSTAT_FOLDERS[path.split('/')[0]!])!,
  }));
const others = files.filter(
  (path) => !(path.split('/')[0]! in POTENTIOSTAT_FOLDERS) && !path.startsWith('_licenses'),
);

/** Either a Measurement that keeps the contract, or an ElyteError naming the file. */
function parseOrTypedError(reader: FormatReader, bytes: Uint8Array, fileName: string): void {
  let m: Measurement;
  try {
    m = reader.parse(bytes, fileName, { timeLimitMs: 5000 });
  } catch (error) {
    if (!(error instanceof ElyteError)) throw error;
    expect(error.file).toBe(fileName);
    expect(error.message.length).toBeGreaterThan(fileName.length + 5);
    return;
  }
  expect(m.rows).toBeGreaterThan(0);
  for (const values of Object.values(m.channels)) {
    expect(values!.length).toBe(m.rows);
    for (const v of values!)
      if (!Number.isFinite(v)) throw new Error(`${fileName}: non-finite channel value`);
  }
  for (const column of m.original) expect(column.values.length).toBe(m.rows);
}

describe('truncated and corrupted copies of the real files', () => {
  it('has files to test', () => {
    expect(ours.length).toBe(20);
  });

  it('every prefix cut (fast-check) gives a valid Measurement or an ElyteError naming the file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ours.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (index, fraction) => {
          const { bytes, name, reader } = ours[index]!;
          parseOrTypedError(reader, bytes.subarray(0, Math.floor(bytes.length * fraction)), name);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('random byte flips (fast-check) give a valid Measurement or an ElyteError naming the file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: ours.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (index, flips) => {
          const { bytes, name, reader } = ours[index]!;
          const copy = bytes.slice();
          for (const [where, value] of flips)
            copy[Math.min(copy.length - 1, Math.floor(where * copy.length))] = value;
          parseOrTypedError(reader, copy, name);
        },
      ),
      { numRuns: 1200 },
    );
  });

  it('a cut in the middle of a data row is reported as truncated, not read as a shorter number', () => {
    const { bytes, reader } = ours.find((f) => f.name === 'exampleDataCHInstruments.txt')!;
    const text = new TextDecoder().decode(bytes);
    const cut = text.lastIndexOf('\n', text.length - 2) + 12; // inside the last row, after its first two fields
    expect(() => reader.parse(bytes.subarray(0, cut), 'cut.txt')).toThrowError(
      /cut\.txt.*truncated|cut\.txt.*cut short/,
    );
  });

  it('a Zahner file cut inside its sample arrays is a truncated error', () => {
    const { bytes, reader } = ours.find((f) => f.name === 'zahner__rc-data.ism')!;
    try {
      reader.parse(bytes.subarray(0, 500), 'rc.ism');
      expect.unreachable('a cut .ism must not parse');
    } catch (error) {
      expect(error).toBeInstanceOf(ElyteError);
      expect((error as ElyteError).kind).toBe('truncated');
    }
  });

  it('zero bytes and binary garbage are typed errors for every reader', () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    for (const reader of potentiostatReaders) {
      for (const bytes of [new Uint8Array(0), garbage]) {
        expect(() => reader.parse(bytes, 'bad.bin')).toThrowError(ElyteError);
      }
    }
  });
});

/** Small files in the layouts we have no real file for, to corrupt the same way. */
function generatedSamples(): { name: string; bytes: Uint8Array; reader: FormatReader }[] {
  const byId = (id: string) => potentiostatReaders.find((r) => r.id === id)!;
  const rows = Array.from({ length: 40 }, (_, k) => [k * 0.5, 1e-3 / (k + 1), 3.7 - k * 1e-3] as const);
  const idfText = [
    `${'\0'.repeat(16)}\xfb\0\0\0\r\0Version=11`,
    'Method=Chronoamperometry',
    'starttime=25/11/2026 09:30:15',
    'primary_data',
    '3',
    String(rows.length),
    ...rows.map((r) => r.map((v) => v.toExponential(6).padStart(12)).join(' ')),
    '',
  ].join('\r\n');
  const idf = Uint8Array.from(idfText, (c) => c.charCodeAt(0));
  const session = JSON.stringify({
    Measurements: [
      {
        Title: 'CA',
        Method: 'METHOD_ID=ca',
        TimeStamp: 639000000000000000,
        DataSet: {
          Values: [
            {
              ArrayType: 0,
              Description: 'time',
              Unit: { Type: 'PalmSens.Units.Time', S: 's' },
              DataValues: rows.map((r) => ({ V: r[0] })),
            },
            {
              ArrayType: 2,
              Description: 'current',
              Unit: { Type: 'PalmSens.Units.MicroAmpere', S: 'A' },
              DataValues: rows.map((r) => ({ V: r[1] * 1e6 })),
            },
            {
              ArrayType: 1,
              Description: 'potential',
              Unit: { Type: 'PalmSens.Units.Volt', S: 'V' },
              DataValues: rows.map((r) => ({ V: r[2] })),
            },
          ],
        },
      },
    ],
  });
  const pssession = new Uint8Array(2 + session.length * 2);
  pssession.set([0xff, 0xfe]);
  for (let i = 0; i < session.length; i++) {
    pssession[2 + 2 * i] = session.charCodeAt(i) & 0xff;
    pssession[3 + 2 * i] = session.charCodeAt(i) >> 8;
  }
  const nova = new TextEncoder().encode(
    [
      'Time (s);WE(1).Current (A);WE(1).Potential (V)',
      ...rows.map((r) => r.map((v) => String(v).replace('.', ',')).join(';')),
    ].join('\n'),
  );
  return [
    { name: 'gen.idf', bytes: idf, reader: byId('ivium-idf') },
    { name: 'gen.pssession', bytes: pssession, reader: byId('palmsens-pssession') },
    { name: 'gen.txt', bytes: nova, reader: byId('autolab-txt') },
  ];
}

describe('truncated and corrupted copies of generated Ivium, PalmSens and NOVA files', () => {
  const samples = generatedSamples();
  it('the intact samples parse', () => {
    for (const { name, bytes, reader } of samples) expect(reader.parse(bytes, name).rows).toBe(40);
  });

  it('cuts and byte flips (fast-check) give a valid Measurement or an ElyteError naming the file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 6,
        }),
        (index, cut, flips) => {
          const { bytes, name, reader } = samples[index]!;
          const copy = bytes.slice(0, Math.max(1, Math.floor(bytes.length * (0.5 + cut / 2))));
          for (const [where, value] of flips)
            copy[Math.min(copy.length - 1, Math.floor(where * copy.length))] = value;
          parseOrTypedError(reader, copy, name);
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('sniffers do not claim other formats', () => {
  it(`every potentiostat sniffer scores < 0.3 on the ${others.length} other files in ../shared/data`, () => {
    expect(others.length).toBeGreaterThan(50);
    const claims: string[] = [];
    for (const path of others) {
      const head = readShared(path).subarray(0, 65536);
      for (const reader of potentiostatReaders) {
        const confidence = reader.sniff(head, basename(path));
        if (confidence >= 0.3) claims.push(`${reader.id} claims ${path} (${confidence})`);
      }
    }
    expect(claims).toEqual([]);
  });

  it('each of our files is claimed (≥ 0.3) by its own reader only', () => {
    for (const { path, bytes, reader } of ours) {
      const head = bytes.subarray(0, 65536);
      const claimants = potentiostatReaders
        .filter((r) => r.sniff(head, basename(path)) >= 0.3)
        .map((r) => r.id);
      expect(claimants, path).toEqual([reader.id]);
    }
  });
});
