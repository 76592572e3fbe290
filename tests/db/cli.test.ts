import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliImport,
  cliReport,
  cliSamples,
  headerSignature,
  libraryTree,
  recallColumnMapping,
  rememberColumnMapping,
  saveAnalysis,
  withLibrary,
} from '../../db';
import { sharedFile } from '../support/paths';
import { generateCycling } from './generate';
import { closeAll, memoryLibrary, seedTree, tempDir } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('CLI support: elyte import / samples / report', () => {
  it('imports real files under --sample/--cell, skips duplicates, reports unreadable files', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = join(dir, 'lab.elyte');
    const files = [
      sharedFile('biologic_mpt/exampleDataBioLogic.mpt'),
      sharedFile('biologic_mpt/ixdat__multiple_techniques_dataset_01_03_CP_C01.mpt'),
    ];
    const notAFile = join(dir, 'missing.mpt');
    const first = await withLibrary(db, (lib) =>
      cliImport(lib, [...files, notAFile], { sample: 'PVH-in-SiO₂', cell: 'C1', temperature_C: 25 }),
    );
    expect(first.imported.map((i) => i.file)).toEqual([
      'exampleDataBioLogic.mpt',
      'ixdat__multiple_techniques_dataset_01_03_CP_C01.mpt',
    ]);
    expect(first.imported.every((i) => i.temperatureSource === 'user')).toBe(true);
    expect(first.errors).toEqual([expect.objectContaining({ kind: 'not-found', file: 'missing.mpt' })]);
    expect(first.created).toEqual({ sampleId: 1, batchId: 1, cellId: 1 });
    // The JSON contract: plain data only.
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);

    const second = await withLibrary(db, (lib) =>
      cliImport(lib, files, { sample: 'pvh-in-sio₂', cell: 'c1' }),
    );
    expect(second.imported).toEqual([]);
    expect(second.skipped.map((s) => s.existingMeasurementId)).toEqual([1, 2]);
    expect(second.created).toEqual({});

    const samples = await withLibrary(db, (lib) => cliSamples(lib));
    expect(samples.samples).toHaveLength(1);
    expect(samples.samples[0]).toMatchObject({ name: 'PVH-in-SiO₂', batches: 1, cells: 1, measurements: 2 });
  });

  it('--cell without --sample is a usage error', async () => {
    const lib = await memoryLibrary();
    await expect(cliImport(lib, [], { cell: 'C1' })).rejects.toMatchObject({
      kind: 'invalid-argument',
      where: '--cell',
    });
    closeAll(lib);
  });

  it('report --sample lists batches, cells, measurements with hashes, analyses with settings and versions', async () => {
    const lib = await memoryLibrary();
    const { cells } = seedTree(lib, ['C1', 'C2']);
    const ids: number[] = [];
    const { importFile } = await import('../../db');
    for (const [i, cell] of cells.entries()) {
      const imported = await importFile(lib, { ...generateCycling(100, 40 + i), cellId: cell.id });
      ids.push(imported.imported[0]!.measurementId);
      saveAnalysis(lib, {
        kind: 'conductivity',
        sources: [{ measurementId: ids[i]! }],
        settings: { circuit: 'R0-p(R1,CPE1)' },
        results: { sigma_S_per_cm: (i + 1) * 1e-3 },
        elyteVersion: '0.1.0',
      });
    }
    await expect(async () => cliReport(lib, 'nope')).rejects.toMatchObject({ kind: 'not-found' });
    const report = cliReport(lib, 'pvh-in-sio₂');
    expect(report.batches).toHaveLength(1);
    expect(report.batches[0]!.cells.map((c) => c.measurements.length)).toEqual([1, 1]);
    const analysis = report.batches[0]!.cells[0]!.measurements[0]!.analyses[0]!;
    expect(analysis).toMatchObject({
      kind: 'conductivity',
      version: 1,
      settings: { circuit: 'R0-p(R1,CPE1)' },
    });
    expect(report.batches[0]!.replicates.find((r) => r.name === 'sigma_S_per_cm')).toMatchObject({ n: 2 });
    expect(report.batches[0]!.cells[0]!.measurements[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    closeAll(lib);
  });
});

describe('library tree and column mappings', () => {
  it('filters the tree by text, kind and date', async () => {
    const lib = await memoryLibrary();
    const { cells } = seedTree(lib, ['C1', 'C2']);
    const { importFile } = await import('../../db');
    await importFile(lib, { ...generateCycling(10, 1, 'alpha.txt'), cellId: cells[0]!.id });
    await importFile(lib, { ...generateCycling(10, 2, 'beta.txt'), cellId: cells[1]!.id });
    await importFile(lib, generateCycling(10, 3, 'loose.txt'));
    const all = libraryTree(lib);
    expect(all.samples[0]!.batches[0]!.cells.map((c) => c.measurements.map((m) => m.fileName))).toEqual([
      ['alpha.txt'],
      ['beta.txt'],
    ]);
    expect(all.unassigned.map((m) => m.fileName)).toEqual(['loose.txt']);
    const beta = libraryTree(lib, { search: 'BETA' });
    expect(beta.samples[0]!.batches[0]!.cells.map((c) => c.name)).toEqual(['C2']);
    expect(beta.unassigned).toEqual([]);
    expect(libraryTree(lib, { kind: 'eis' }).samples).toEqual([]);
    expect(libraryTree(lib, { from: '2999-01-01' }).samples).toEqual([]);
    expect(libraryTree(lib, { family: 'PVH' }).samples).toEqual([]);
    closeAll(lib);
  });

  it('remembers a column mapping per header layout', async () => {
    const lib = await memoryLibrary();
    const signature = headerSignature(['Time (s)', 'Voltage (V)']);
    expect(headerSignature([' time (s) ', 'VOLTAGE (V)'])).toBe(signature);
    expect(recallColumnMapping(lib, signature)).toBeNull();
    const mapping = { time_s: { column: 'Time (s)', unit: 's' }, voltage_V: { column: 1, unit: 'V' } };
    rememberColumnMapping(lib, signature, ['Time (s)', 'Voltage (V)'], mapping);
    expect(recallColumnMapping(lib, signature)).toEqual(mapping);
    rememberColumnMapping(lib, signature, ['Time (s)', 'Voltage (V)'], {
      time_s: { column: 0, unit: 'min' },
    });
    expect(recallColumnMapping(lib, signature)).toEqual({ time_s: { column: 0, unit: 'min' } });
    closeAll(lib);
  });
});
