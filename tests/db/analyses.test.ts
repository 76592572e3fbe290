import { describe, expect, it } from 'vitest';
import {
  deleteMeasurement,
  deleteSample,
  getSample,
  importFile,
  type Library,
  listAnalyses,
  listSamples,
  provenance,
  replicateStats,
  sampleSummaries,
  saveAnalysis,
  undoLastEdit,
  updateCell,
  updateSample,
} from '../../db';
import { generateCycling } from './generate';
import { closeAll, memoryLibrary, seedTree } from './support';

async function importInto(lib: Library, cellId: number, seed: number, name?: string) {
  const file = generateCycling(50, seed, name);
  const report = await importFile(lib, { ...file, cellId });
  return report.imported[0]!.measurementId;
}

describe('analyses', () => {
  it('re-running adds a version and never overwrites; provenance traces every number to its files', async () => {
    const lib = await memoryLibrary();
    const { cells, sample, batch } = seedTree(lib);
    const m = await importInto(lib, cells[0]!.id, 1, 'eis_25C.txt');
    const v1 = saveAnalysis(lib, {
      kind: 'conductivity',
      sources: [{ measurementId: m, role: 'eis' }],
      settings: { circuit: 'R0-p(R1,CPE1)', thickness_m: 1e-4 },
      results: {
        R_bulk_ohm: 30,
        R_bulk_ohm_stderr: 0.5,
        sigma_S_per_cm: 1.5e-3,
        sigma_S_per_cm_stderr: 2e-5,
      },
      elyteVersion: '0.1.0',
    });
    const v2 = saveAnalysis(lib, {
      kind: 'conductivity',
      sources: [{ measurementId: m, role: 'eis' }],
      settings: { circuit: 'R0-p(R1,CPE1)-CPE2', thickness_m: 1e-4 },
      results: { R_bulk_ohm: 34, sigma_S_per_cm: 1.32e-3, sigma_S_per_cm_stderr: 1e-5 },
      elyteVersion: '0.1.1',
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(listAnalyses(lib, m).map((a) => [a.version, a.settings.circuit])).toEqual([
      [2, 'R0-p(R1,CPE1)-CPE2'],
      [1, 'R0-p(R1,CPE1)'],
    ]);
    // Version 1 is intact.
    expect(listAnalyses(lib, m)[1]!.results).toEqual(v1.results);
    // σ measured at 25 °C (from the file name) is the sample's σ at 25 °C; the latest version wins.
    expect(v2.numbers.find((n) => n.name === 'sigma25C_S_per_cm')).toEqual({
      name: 'sigma25C_S_per_cm',
      value: 1.32e-3,
      stderr: 1e-5,
      unit: 'S/cm',
    });
    const summary = sampleSummaries(lib).find((s) => s.id === sample.id)!;
    expect(summary.keyNumbers.sigma25C_S_per_cm).toBe(1.32e-3);
    expect(summary.keyNumberSources.sigma25C_S_per_cm).toMatchObject({
      analysisId: v2.id,
      version: 2,
      stderr: 1e-5,
    });
    expect(summary.keyNumbers.Ea_eV).toBeNull();
    expect(summary).toMatchObject({ batches: 1, cells: 1, measurements: 1 });

    const p = provenance(lib, v2.id);
    expect(p.analysis.settings).toEqual({ circuit: 'R0-p(R1,CPE1)-CPE2', thickness_m: 1e-4 });
    expect(p.analysis.elyteVersion).toBe('0.1.1');
    expect(p.sources).toHaveLength(1);
    expect(p.sources[0]).toMatchObject({
      measurementId: m,
      role: 'eis',
      fileName: 'eis_25C.txt',
      cell: { id: cells[0]!.id, name: 'C1' },
      batch: { id: batch.id, name: 'B1' },
      sample: { id: sample.id, name: 'PVH-in-SiO₂' },
    });
    expect(p.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.versions.map((v) => v.version)).toEqual([1, 2]);
    closeAll(lib);
  });

  it('key numbers: one per kind, from the newest analysis (Ea, t₊, onset, CCD, retention)', async () => {
    const lib = await memoryLibrary();
    const { cells, sample } = seedTree(lib);
    const m1 = await importInto(lib, cells[0]!.id, 1);
    const m2 = await importInto(lib, cells[0]!.id, 2);
    const save = (kind: string, results: Record<string, number>, ids = [m1]) =>
      saveAnalysis(lib, {
        kind,
        sources: ids.map((measurementId) => ({ measurementId })),
        results,
        elyteVersion: '0.1.0',
      });
    save('arrhenius', { Ea_eV: 0.2, sigma_25C_S_per_cm: 1e-3 }, [m1, m2]);
    save('arrhenius', { Ea_eV: 0.17, Ea_eV_stderr: 0.01, sigma_25C_S_per_cm: 1.3e-3 }, [m1, m2]);
    save('transference', { t_plus: 0.46 });
    save('lsv', { onset_V: 5.0 });
    save('ccd', { ccd_mA_per_cm2: 0.9 });
    save('cycling', { retention_pct: 99.4 });
    const s = sampleSummaries(lib).find((x) => x.id === sample.id)!;
    expect(s.keyNumbers).toEqual({
      sigma25C_S_per_cm: 1.3e-3,
      Ea_eV: 0.17,
      t_plus: 0.46,
      onset_V: 5.0,
      ccd_mA_per_cm2: 0.9,
      retention_pct: 99.4,
    });
    expect(s.keyNumberSources.Ea_eV).toMatchObject({ kind: 'arrhenius', version: 2, stderr: 0.01 });
    // A deleted measurement takes its numbers out of the summary.
    deleteMeasurement(lib, m2);
    expect(sampleSummaries(lib).find((x) => x.id === sample.id)!.keyNumbers.t_plus).toBe(0.46);
    closeAll(lib);
  });

  it('replicate statistics across the cells of a batch: mean, sample standard deviation, n', async () => {
    const lib = await memoryLibrary();
    const { batch, cells } = seedTree(lib, ['C1', 'C2', 'C3']);
    const sigmas = [1e-3, 2e-3, 3e-3];
    for (const [i, cell] of cells.entries()) {
      const m = await importInto(lib, cell.id, 10 + i);
      // An older version per cell that must not count.
      saveAnalysis(lib, {
        kind: 'conductivity',
        sources: [{ measurementId: m }],
        results: { sigma_S_per_cm: 9 },
        elyteVersion: '0.1.0',
      });
      saveAnalysis(lib, {
        kind: 'conductivity',
        sources: [{ measurementId: m }],
        results: { sigma_S_per_cm: sigmas[i]! },
        elyteVersion: '0.1.0',
      });
    }
    const stats = replicateStats(lib, batch.id, ['sigma_S_per_cm']);
    expect(stats).toHaveLength(1);
    expect(stats[0]!.n).toBe(3);
    expect(stats[0]!.mean).toBeCloseTo(2e-3, 15);
    expect(stats[0]!.std).toBeCloseTo(1e-3, 15);
    expect(stats[0]!.values.map((v) => v.cellName)).toEqual(['C1', 'C2', 'C3']);
    closeAll(lib);
  });
});

describe('undo the last library edit', () => {
  it('reverses edits newest first: update, delete (with children), create', async () => {
    const lib = await memoryLibrary();
    const { sample, cells } = seedTree(lib);
    updateSample(lib, sample.id, { notes: 'changed', tags: ['x'] });
    updateCell(lib, cells[0]!.id, { area_m2: 1e-4 });
    expect(undoLastEdit(lib).undone).toBe('edit cell C1');
    expect(lib.db.prepare('SELECT area_m2 FROM cells WHERE id = ?').pluck().get(cells[0]!.id)).toBe(2.01e-4);
    expect(undoLastEdit(lib).undone).toBe('edit sample PVH-in-SiO₂');
    expect(getSample(lib, sample.id)).toMatchObject({ notes: '', tags: ['composite', 'reference'] });
    deleteSample(lib, sample.id);
    expect(listSamples(lib)).toEqual([]);
    expect(undoLastEdit(lib).undone).toBe('delete sample PVH-in-SiO₂');
    expect(sampleSummaries(lib)[0]).toMatchObject({ batches: 1, cells: 1 });
    const file = generateCycling(20, 99);
    const imported = await importFile(lib, { ...file, cellId: cells[0]!.id });
    expect(undoLastEdit(lib).undone).toBe(`import ${file.fileName}`);
    expect(sampleSummaries(lib)[0]!.measurements).toBe(0);
    // Importing the same bytes again brings the measurement back rather than storing them twice.
    const again = await importFile(lib, { ...file, cellId: cells[0]!.id });
    expect(again.imported[0]!.measurementId).toBe(imported.imported[0]!.measurementId);
    closeAll(lib);
  });

  it('says so when there is nothing to undo', async () => {
    const lib = await memoryLibrary();
    expect(undoLastEdit(lib)).toEqual({ undone: null });
    closeAll(lib);
  });
});
