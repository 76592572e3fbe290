import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backupLibrary,
  closeLibrary,
  exportBatch,
  exportSample,
  importFile,
  importLibraryFolder,
  listAnalyses,
  listSamples,
  loadChannels,
  loadRawFile,
  openLibrary,
  provenance,
  restoreLibrary,
  sampleSummaries,
  saveAnalysis,
  undoLastEdit,
} from '../../db';
import { generateCycling } from './generate';
import { closeAll, memoryLibrary, seedTree, tempDir } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function populated() {
  const lib = await memoryLibrary();
  const tree = seedTree(lib, ['C1', 'C2']);
  const files = [generateCycling(2000, 1, 'a_30C.txt'), generateCycling(3000, 2, 'b.txt')];
  const ids: number[] = [];
  for (const [i, f] of files.entries()) {
    const r = await importFile(lib, { ...f, cellId: tree.cells[i]!.id });
    ids.push(r.imported[0]!.measurementId);
  }
  saveAnalysis(lib, {
    kind: 'arrhenius',
    sources: ids.map((measurementId, i) => ({ measurementId, role: `T${i}` })),
    settings: { circuit: 'R0-p(R1,CPE1)', temps_C: [30, 40] },
    results: { Ea_eV: 0.17, Ea_eV_stderr: 0.01, points: [{ T_K: 303.15 }] },
    elyteVersion: '0.1.0',
  });
  saveAnalysis(lib, {
    kind: 'arrhenius',
    sources: ids.map((measurementId, i) => ({ measurementId, role: `T${i}` })),
    settings: { circuit: 'R0-p(R1,CPE1)-CPE2' },
    results: { Ea_eV: 0.18 },
    elyteVersion: '0.1.1',
  });
  return { lib, tree, files, ids };
}

describe('export of a sample to a folder and import into another library', () => {
  it('raw files come out byte-identical (SHA-256 equal)', async () => {
    const { lib, files } = await populated();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const result = exportSample(lib, listSamples(lib)[0]!.id, join(dir, 'out'));
    expect(result).toMatchObject({
      samples: 1,
      batches: 1,
      cells: 2,
      measurements: 2,
      analyses: 2,
      analysesSkipped: 0,
    });
    const raw = readdirSync(join(dir, 'out', 'raw')).sort();
    expect(raw).toEqual(['0001-a_30C.txt', '0002-b.txt']);
    for (const [i, name] of raw.entries()) {
      expect(sha(readFileSync(join(dir, 'out', 'raw', name)))).toBe(sha(files[i]!.bytes));
    }
    closeAll(lib);
  });

  it('round trip is lossless: records, channels, raw bytes, analyses with settings and versions; twice adds nothing', async () => {
    const { lib, ids } = await populated();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const folder = join(dir, 'out');
    exportSample(lib, listSamples(lib)[0]!.id, folder);
    const other = await memoryLibrary();
    const result = await importLibraryFolder(other, folder);
    expect(result).toEqual({
      samples: { created: 1, reused: 0 },
      batches: { created: 1, reused: 0 },
      cells: { created: 2, reused: 0 },
      measurements: { imported: 2, skipped: 0 },
      analyses: { imported: 2, skipped: 0 },
    });
    const [a] = listSamples(lib);
    const [b] = listSamples(other);
    expect(b).toEqual(a);
    expect(sampleSummaries(other)).toEqual(sampleSummaries(lib));
    for (const id of ids) {
      const sourceSha = loadRawFile(lib, id).sha256;
      const copyId = other.db
        .prepare('SELECT id FROM measurements WHERE sha256 = ?')
        .pluck()
        .get(sourceSha) as number;
      expect(sha(loadRawFile(other, copyId).bytes)).toBe(sourceSha);
      const strip = (cs: ReturnType<typeof loadChannels>) =>
        cs.map((c) => ({ ...c, values: c.values instanceof Float64Array ? Array.from(c.values) : c.values }));
      expect(strip(loadChannels(other, copyId))).toEqual(strip(loadChannels(lib, id)));
      const original = listAnalyses(lib, id).map(
        ({ id: _i, measurementIds: _m, sources: _s, ...rest }) => rest,
      );
      const copied = listAnalyses(other, copyId).map(
        ({ id: _i, measurementIds: _m, sources: _s, ...rest }) => rest,
      );
      expect(copied).toEqual(original);
    }
    const latest = listAnalyses(other, 1)[0]!;
    expect(provenance(other, latest.id).sources.map((s) => s.role)).toEqual(['T0', 'T1']);
    const twice = await importLibraryFolder(other, folder);
    expect(twice.measurements).toEqual({ imported: 0, skipped: 2 });
    expect(twice.analyses).toEqual({ imported: 0, skipped: 2 });
    // Undo takes a folder import back out as a whole.
    expect(undoLastEdit(other).undone).toMatch(/import folder/);
    expect(listSamples(other)).toEqual([]);
    closeAll(lib, other);
  });

  it('a batch export carries its sample; a tampered raw file is refused', async () => {
    const { lib, tree } = await populated();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const folder = join(dir, 'batch');
    const result = exportBatch(lib, tree.batch.id, folder);
    expect(result).toMatchObject({ samples: 1, batches: 1, measurements: 2 });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(folder, 'raw', '0002-b.txt'), 'tampered');
    const other = await memoryLibrary();
    await expect(importLibraryFolder(other, folder)).rejects.toMatchObject({
      kind: 'malformed',
      file: 'raw/0002-b.txt',
    });
    expect(listSamples(other)).toEqual([]);
    closeAll(lib, other);
  });

  it('refuses to export into a folder that is not empty', async () => {
    const { lib } = await populated();
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'x'), 'x');
    expect(() => exportSample(lib, listSamples(lib)[0]!.id, dir)).toThrow(/not empty/);
    closeAll(lib);
  });
});

describe('backup and restore (SQLite online backup)', () => {
  it('backs up a live library and restores it over a changed one', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'lab.elyte');
    const lib = await openLibrary(path);
    seedTree(lib);
    const file = generateCycling(1000, 5);
    const imported = await importFile(lib, file);
    const backup = await backupLibrary(lib, join(dir, 'lab-backup.elyte'));
    expect(backup.bytes).toBeGreaterThan(0);
    await expect(backupLibrary(lib, backup.path)).rejects.toMatchObject({ kind: 'invalid-argument' });
    // The copy is one self-contained file: a rollback journal, so opening it grows no -wal/-shm.
    const copy = new Database(backup.path, { fileMustExist: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.prepare('SELECT count(*) FROM sqlite_master').get();
    expect(readdirSync(dir).filter((f) => f.startsWith('lab-backup.elyte'))).toEqual(['lab-backup.elyte']);
    copy.close();
    // Change the library after the backup, then restore.
    const { deleteSample } = await import('../../db');
    deleteSample(lib, listSamples(lib)[0]!.id);
    closeLibrary(lib);
    const restored = await restoreLibrary(backup.path, path);
    expect(restored.previous).not.toBeNull();
    const back = await openLibrary(path);
    expect(listSamples(back).map((s) => s.name)).toEqual(['PVH-in-SiO₂']);
    expect(sha(loadRawFile(back, imported.imported[0]!.measurementId).bytes)).toBe(sha(file.bytes));
    closeLibrary(back);
  });

  it('refuses to restore from a file that is not a library', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'junk.bak'),
      'not a database, just text of some length..............................',
    );
    await expect(restoreLibrary(join(dir, 'junk.bak'), join(dir, 'lab.elyte'))).rejects.toMatchObject({
      kind: 'database',
    });
  });
});
