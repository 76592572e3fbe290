import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSample, getMeasurement, importFile, listChannels, loadRawFile } from '../../db';
import { readCatalogue, readShared } from '../support/paths';
import { closeAll, memoryLibrary, seedTree, tempDir } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** CATALOGUE.tsv has CRLF line ends: the last column may be keyed 'sha256\r'. */
const catalogueSha = (row: object) =>
  String(Object.entries(row).find(([key]) => key.trim() === 'sha256')?.[1] ?? '').trim();

describe('every real file the readers accept', () => {
  it('is stored with the SHA-256 of CATALOGUE.tsv and exported back byte-identical', async () => {
    const lib = await memoryLibrary();
    const { cells } = seedTree(lib);
    const imported: { path: string; id: number; sha: string }[] = [];
    for (const row of readCatalogue()) {
      const bytes = readShared(row.local_path);
      const expected = catalogueSha(row);
      expect(sha(bytes), row.local_path).toBe(expected);
      const name = row.local_path.split('/').pop()!;
      const report = await importFile(lib, { fileName: name, bytes, cellId: cells[0]!.id });
      // Files no reader accepts (or deliberately broken ones) are reported, never half-stored.
      if (report.errors.length > 0) continue;
      const id = report.imported[0]?.measurementId ?? report.skipped[0]!.existingMeasurementId;
      imported.push({ path: row.local_path, id, sha: expected });
      const m = getMeasurement(lib, id);
      expect(m.sha256).toBe(expected);
      expect(listChannels(lib, id).length, row.local_path).toBe(m.channelCount);
      expect(sha(loadRawFile(lib, id).bytes), row.local_path).toBe(expected);
    }
    expect(imported.length).toBeGreaterThanOrEqual(10);
    const orphans = lib.db
      .prepare(
        `SELECT count(*) FROM measurements m
         WHERE m.channel_count != (SELECT count(*) FROM measurement_channels c WHERE c.measurement_id = m.id)`,
      )
      .pluck()
      .get();
    expect(orphans).toBe(0);

    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const folder = join(dir, 'export');
    const result = exportSample(lib, 1, folder);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
      measurements: { sha256: string; rawFile: string }[];
    };
    expect(result.measurements).toBe(new Set(imported.map((i) => i.id)).size);
    for (const m of manifest.measurements) {
      expect(sha(readFileSync(join(folder, m.rawFile))), m.rawFile).toBe(m.sha256);
    }
    expect(new Set(manifest.measurements.map((m) => m.sha256))).toEqual(new Set(imported.map((i) => i.sha)));
    closeAll(lib);
  }, 120_000);
});
