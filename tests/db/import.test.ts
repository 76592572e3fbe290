import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseInstrumentFile } from '../../app/formats';
import {
  getMeasurement,
  importFile,
  listCellMeasurements,
  listChannels,
  loadChannel,
  loadChannels,
  loadRawFile,
  temperatureFromFileName,
  updateMeasurement,
} from '../../db';
import { readCatalogue, readShared } from '../support/paths';
import { generateCycling } from './generate';
import { closeAll, memoryLibrary, seedTree } from './support';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('importFile', () => {
  it('stores a parsed measurement: channels exact, raw file byte-identical, metadata and provenance', async () => {
    const lib = await memoryLibrary();
    const { cells } = seedTree(lib);
    const file = generateCycling(5000, 7);
    const stages: string[] = [];
    const report = await importFile(
      lib,
      { fileName: file.fileName, bytes: file.bytes, measurement: file.measurement, cellId: cells[0]!.id },
      (stage) => stages.push(stage),
    );
    expect(report.errors).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.imported).toHaveLength(1);
    const imported = report.imported[0]!;
    expect(stages).toEqual(expect.arrayContaining(['hashing', 'compressing', 'encoding', 'writing', 'done']));
    const m = getMeasurement(lib, imported.measurementId);
    expect(m).toMatchObject({ rows: 5000, technique: 'GCPL', kind: 'galvanostatic', cellId: cells[0]!.id });
    expect(m.sha256).toBe(sha(file.bytes));
    expect(m.sizeBytes).toBe(file.bytes.length);
    expect(m.channelCount).toBe(8);
    for (const [name, values] of Object.entries(file.measurement.channels)) {
      expect(Array.from(loadChannel(lib, m.id, name)), name).toEqual(Array.from(values));
    }
    const all = loadChannels(lib, m.id);
    expect(all.map((c) => `${c.origin}:${c.name}`)).toEqual([
      'canonical:time_s',
      'canonical:voltage_V',
      'canonical:current_A',
      'canonical:cycle',
      'original:time/s',
      'original:Ewe/V',
      'original:I/mA',
      'original:cycle number',
    ]);
    expect(Array.from(all[6]!.values as Float64Array)).toEqual(
      Array.from(file.measurement.original[2]!.values as Float64Array),
    );
    // Identical columns (Ewe/V = voltage_V) are stored once but read like any other.
    expect(listChannels(lib, m.id).find((c) => c.name === 'Ewe/V')?.dtype).toBe('i32');
    const raw = loadRawFile(lib, m.id);
    expect(sha(raw.bytes)).toBe(sha(file.bytes));
    expect(Buffer.compare(Buffer.from(raw.bytes), Buffer.from(file.bytes))).toBe(0);
    // Temperature from the name (_25C), the file's area/mass offered for the cell (which has an area already).
    expect(imported.temperature_K).toBeCloseTo(298.15, 10);
    expect(imported.temperatureSource).toBe('name');
    expect(imported.cellSuggestions).toEqual({ activeMass_kg: 2e-6 });
    expect(listCellMeasurements(lib, cells[0]!.id).map((x) => x.id)).toEqual([m.id]);
    closeAll(lib);
  });

  it('detects a duplicate by content hash: reported, not added again', async () => {
    const lib = await memoryLibrary();
    const file = generateCycling(100, 3);
    const first = await importFile(lib, {
      fileName: file.fileName,
      bytes: file.bytes,
      measurement: file.measurement,
    });
    const again = await importFile(lib, {
      fileName: 'renamed.txt',
      bytes: file.bytes,
      measurement: file.measurement,
    });
    expect(again.imported).toEqual([]);
    expect(again.skipped).toEqual([
      {
        file: 'renamed.txt',
        existingMeasurementId: first.imported[0]!.measurementId,
        sha256: sha(file.bytes),
      },
    ]);
    expect(lib.db.prepare('SELECT count(*) FROM measurements').pluck().get()).toBe(1);
    closeAll(lib);
  });

  it('temperature: the user wins over the file metadata, which wins over the name', async () => {
    const lib = await memoryLibrary();
    const a = generateCycling(10, 11, 'cell_60C.txt');
    a.measurement.metadata.temperature_C = 40;
    const fromFile = await importFile(lib, {
      fileName: a.fileName,
      bytes: a.bytes,
      measurement: a.measurement,
    });
    expect(fromFile.imported[0]).toMatchObject({ temperatureSource: 'file' });
    expect(fromFile.imported[0]!.temperature_K).toBeCloseTo(313.15, 10);
    const b = generateCycling(10, 12, 'cell_60C.txt');
    const fromUser = await importFile(lib, { ...b, temperature_C: 30 });
    expect(fromUser.imported[0]!.temperature_K).toBeCloseTo(303.15, 10);
    expect(fromUser.imported[0]!.temperatureSource).toBe('user');
    const c = generateCycling(10, 13, 'cell_rate_0.5C.txt');
    const none = await importFile(lib, { ...c });
    expect(none.imported[0]).toMatchObject({ temperature_K: null, temperatureSource: null });
    const edited = updateMeasurement(lib, none.imported[0]!.measurementId, { temperature_C: 80 });
    expect(edited.temperature_K).toBeCloseTo(353.15, 10);
    closeAll(lib);
  });

  it('reads temperatures from file names without mistaking C-rates', () => {
    expect(temperatureFromFileName('PVH_EIS_30C.mpt')).toBe(30);
    expect(temperatureFromFileName('PVH-25degC.mpt')).toBe(25);
    expect(temperatureFromFileName('run 80 °C.txt')).toBe(80);
    expect(temperatureFromFileName('sample_60oC_2.csv')).toBe(60);
    expect(temperatureFromFileName('sample_42.5°C.csv')).toBe(42.5);
    expect(temperatureFromFileName('LFP_0.5C_cycling.mpr')).toBeNull();
    expect(temperatureFromFileName('LFP_1C_cycling.mpr')).toBeNull();
    expect(temperatureFromFileName('EIS_30C_and_40C.mpt')).toBeNull();
    expect(temperatureFromFileName('C01.mpt')).toBeNull();
  });

  it('reports a bad file or a bad target as an error, writing nothing', async () => {
    const lib = await memoryLibrary();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const bad = await importFile(lib, { fileName: 'photo.png', bytes: png });
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatchObject({ kind: 'unknown-format', file: 'photo.png' });
    const file = generateCycling(10, 5);
    const noCell = await importFile(lib, { ...file, cellId: 999 });
    expect(noCell.errors[0]).toMatchObject({ kind: 'not-found', where: 'cellId' });
    const badT = await importFile(lib, { ...file, temperature_C: -300 });
    expect(badT.errors[0]).toMatchObject({ kind: 'invalid-argument' });
    expect(lib.db.prepare('SELECT count(*) FROM measurements').pluck().get()).toBe(0);
    closeAll(lib);
  });
});

describe('importing a real BioLogic file (biologic_mpt/exampleDataBioLogic.mpt)', () => {
  const path = 'biologic_mpt/exampleDataBioLogic.mpt';
  const row = readCatalogue().find((r) => r.local_path === path)!;
  // CATALOGUE.tsv has CRLF line ends, so the last header may be read as 'sha256\r' by readCatalogue().
  const catalogueSha = Object.entries(row)
    .find(([key]) => key.trim() === 'sha256')![1]
    .trim();

  it('keeps the bytes (SHA-256 from CATALOGUE.tsv) and the decoded EIS values (impedance.py test values)', async () => {
    const bytes = readShared(path);
    const lib = await memoryLibrary();
    const report = await importFile(lib, { fileName: 'exampleDataBioLogic.mpt', bytes });
    expect(report.errors).toEqual([]);
    const id = report.imported[0]!.measurementId;
    const m = getMeasurement(lib, id);
    expect(m.sha256).toBe(catalogueSha);
    expect(m.format).toBe('biologic-mpt');
    expect(m.rows).toBe(43);
    expect(sha(loadRawFile(lib, id).bytes)).toBe(catalogueSha);
    // The full arrays impedance.py's own test asserts (np.allclose: rtol 1e-5).
    const reference = JSON.parse(
      new TextDecoder().decode(
        readShared('_reference/impedance.py/expected_f_Z_from_test_preprocessing.json'),
      ),
    ).biologic as { n: number; f_Hz: number[]; Z_real_ohm: number[]; Z_imag_ohm: number[] };
    const close = (actual: Float64Array, expected: number[]) =>
      expected.every((e, i) => Math.abs(actual[i]! - e) <= 1e-8 + 1e-5 * Math.abs(e));
    expect(m.rows).toBe(reference.n);
    expect(close(loadChannel(lib, id, 'frequency_Hz'), reference.f_Hz)).toBe(true);
    expect(close(loadChannel(lib, id, 'z_real_ohm'), reference.Z_real_ohm)).toBe(true);
    expect(close(loadChannel(lib, id, 'z_imag_ohm'), reference.Z_imag_ohm)).toBe(true);
    // What the library returns equals what the reader produced, bit for bit.
    const parsed = parseInstrumentFile(bytes, 'exampleDataBioLogic.mpt');
    for (const [name, values] of Object.entries(parsed.channels)) {
      expect(Array.from(loadChannel(lib, id, name)), name).toEqual(Array.from(values));
    }
    const again = await importFile(lib, { fileName: 'copy.mpt', bytes });
    expect(again.skipped).toHaveLength(1);
    closeAll(lib);
  });
});
