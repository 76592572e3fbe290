/**
 * The library commands through the real command line, on a temporary library file: import (duplicates
 * skipped by SHA-256, one bad file does not stop the good ones), samples and report (key numbers and
 * provenance: settings, source SHA-256, Elyte version), backup → restore (integrity ok, nothing lost),
 * export → import-folder (raw files byte-identical after two libraries).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLibrary, openLibrary, saveAnalysis } from '../../db/index';
import { sharedFile } from '../support/paths';
import {
  type CliRun,
  elyte,
  elyteAll,
  expectBadInput,
  expectNumber,
  expectOk,
  jsonOf,
  sha256File,
  tempDir,
} from './support';

const FILES = [
  sharedFile('biologic_mpt/exampleDataBioLogic.mpt'),
  sharedFile('zplot_z/exampleDataZPlot.z'),
  sharedFile('impedance_py_csv/exampleData.csv'),
];
const EXTRA = sharedFile('gamry_dta/exampleDataGamry.DTA');
const SHA = new Map([...FILES, EXTRA].map((f) => [basename(f), sha256File(f)]));

interface ImportJson {
  imported: number[];
  imported_files: { id: number; file: string; format: string; rows: number; temperature_K: number | null }[];
  skipped: { file: string; existingMeasurementId: number; sha256: string }[];
  errors: { kind: string; message: string; file?: string }[];
}

interface SamplesJson {
  samples: {
    id: number;
    name: string;
    batches: number;
    cells: number;
    measurements: number;
    keyNumbers: Record<string, number | null>;
    keyNumberSources: Record<string, { analysisId: number; kind: string; version: number }>;
  }[];
}

interface ReportAnalysisJson {
  id: number;
  kind: string;
  version: number;
  numbers: { name: string; value: number; stderr: number | null; unit: string }[];
  settings: Record<string, unknown>;
  elyteVersion: string;
  sources: { measurementId: number; fileName: string; sha256: string; role: string }[];
}
interface ReportJson {
  sample: SamplesJson['samples'][number];
  batches: {
    name: string;
    cells: {
      name: string;
      measurements: { id: number; fileName: string; sha256: string; analyses: ReportAnalysisJson[] }[];
    }[];
  }[];
  unassigned: { id: number; fileName: string; sha256: string; analyses: ReportAnalysisJson[] }[];
}

/** The conductivity analysis stored for the first file, wherever the report lists that file. */
function analysisOf(report: ReportJson): ReportAnalysisJson {
  const measurement = report.batches[0]!.cells[0]!.measurements.find(
    (m) => m.fileName === basename(FILES[0]!),
  );
  expect(measurement, `${basename(FILES[0]!)} in the report`).toBeDefined();
  expect(measurement!.analyses).toHaveLength(1);
  return measurement!.analyses[0]!;
}

describe('elyte library commands on a temporary library', () => {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'lab.elyte');
  const runs = new Map<string, CliRun>();
  let conductivity: Record<string, unknown>;
  const settings = { thickness_m: 1e-4, area_m2: 1e-4 };

  beforeAll(async () => {
    const [first, sigma] = await Promise.all([
      elyte([
        'import',
        ...FILES,
        '--db',
        db,
        '--sample',
        'PVH',
        '--cell',
        'C1',
        '--temperature',
        '25C',
        '--json',
      ]),
      elyte(['conductivity', FILES[0]!, '--thickness', '100um', '--area', '1cm2', '--json']),
    ]);
    runs.set('import', first);
    conductivity = jsonOf(sigma);
    runs.set(
      'reimport',
      await elyte([
        'import',
        ...FILES,
        EXTRA,
        join(dir, 'missing.mpt'),
        '--db',
        db,
        '--sample',
        'PVH',
        '--json',
      ]),
    );
    // An analysis as the app stores it: the CLI's own conductivity result for the first file.
    const lib = await openLibrary(db);
    try {
      const measurementId = jsonOf<ImportJson>(first).imported_files[0]!.id;
      const { fit: _fit, file: _file, ...results } = conductivity;
      saveAnalysis(lib, {
        kind: 'conductivity',
        sources: [{ measurementId, role: '' }],
        settings,
        results,
        elyteVersion: '0.1.0-test',
      });
    } finally {
      closeLibrary(lib);
    }
    const reads: [string, string[]][] = [
      ['samples', ['samples', '--db', db, '--json']],
      ['samples-table', ['samples', '--db', db]],
      ['report', ['report', '--sample', 'PVH', '--db', db, '--json']],
      ['report-unknown', ['report', '--sample', 'Nope', '--db', db]],
      ['samples-no-db', ['samples', '--db', join(dir, 'absent.elyte'), '--json']],
      ['backup', ['backup', '--db', db, '--to', join(dir, 'backup.elyte'), '--json']],
      ['export', ['export', '--db', db, '--sample', 'PVH', '--to', join(dir, 'export'), '--json']],
      ['import-no-unit', ['import', EXTRA, '--db', db, '--temperature', '25']],
      ['import-cell-alone', ['import', EXTRA, '--db', db, '--cell', 'C9']],
    ];
    await elyteAll(reads, runs);
  });
  afterAll(cleanup);

  it('import: every file in, ids, the user’s temperature, exit 0', () => {
    const run = runs.get('import')!;
    expectOk(run);
    const r = jsonOf<ImportJson>(run);
    expect(r.imported).toEqual(r.imported_files.map((m) => m.id));
    expect(r.imported_files.map((m) => m.file)).toEqual(FILES.map((f) => basename(f)));
    for (const m of r.imported_files) {
      expect(Number.isInteger(m.id) && m.id > 0).toBe(true);
      expect(m.temperature_K).toBeCloseTo(298.15, 9);
    }
    expect(new Set(r.imported).size).toBe(FILES.length);
    expect(r.imported_files.map((m) => m.rows)).toEqual([43, 21, 66]); // CATALOGUE.tsv: n=43, n=21, 66 points
    expect(r.skipped).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('re-import: duplicates skipped by SHA-256, the new file imported, a missing file reported, exit 2', () => {
    const run = runs.get('reimport')!;
    expect(run.code).toBe(2);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toMatch(/missing\.mpt/);
    const r = jsonOf<ImportJson>(run);
    const first = jsonOf<ImportJson>(runs.get('import')!);
    expect(r.skipped.map((s) => s.file)).toEqual(FILES.map((f) => basename(f)));
    for (const s of r.skipped) {
      expect(s.sha256).toBe(SHA.get(s.file));
      expect(s.existingMeasurementId).toBe(first.imported_files.find((m) => m.file === s.file)!.id);
    }
    expect(r.imported_files.map((m) => m.file)).toEqual([basename(EXTRA)]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.file).toBe('missing.mpt');
  });

  it('samples: the sample with its counts and σ at 25 °C from the stored analysis', () => {
    const run = runs.get('samples')!;
    expectOk(run);
    const { samples } = jsonOf<SamplesJson>(run);
    expect(samples).toHaveLength(1);
    const pvh = samples[0]!;
    expect(pvh.name).toBe('PVH');
    expect(pvh.batches).toBe(1);
    expect(pvh.cells).toBe(1);
    expect(pvh.measurements).toBe(4);
    expectNumber(pvh.keyNumbers.sigma25C_S_per_cm, 'sigma25C_S_per_cm');
    expect(pvh.keyNumbers.sigma25C_S_per_cm).toBe(conductivity.sigma_S_per_cm);
    expect(pvh.keyNumbers.Ea_eV).toBeNull();
    expect(pvh.keyNumberSources.sigma25C_S_per_cm!.kind).toBe('conductivity');
    const table = runs.get('samples-table')!;
    expectOk(table);
    expect(table.stdout).toMatch(/PVH/);
  });

  it('report: batches, cells, measurements with SHA-256, analyses with settings, sources and version', () => {
    const run = runs.get('report')!;
    expectOk(run);
    const r = jsonOf<ReportJson>(run);
    expect(r.sample.name).toBe('PVH');
    const cell = r.batches[0]!.cells[0]!;
    expect(cell.name).toBe('C1');
    expect(cell.measurements.map((m) => m.fileName).sort()).toEqual(FILES.map((f) => basename(f)).sort());
    for (const m of cell.measurements) expect(m.sha256).toBe(SHA.get(m.fileName));
    expect(r.unassigned.map((m) => m.fileName)).toEqual([basename(EXTRA)]);
    const analysis = analysisOf(r);
    expect(analysis.kind).toBe('conductivity');
    expect(analysis.version).toBe(1);
    expect(analysis.settings).toEqual(settings);
    expect(analysis.elyteVersion).toBe('0.1.0-test');
    expect(analysis.sources).toEqual([
      expect.objectContaining({ fileName: basename(FILES[0]!), sha256: SHA.get(basename(FILES[0]!)) }),
    ]);
    const sigma = analysis.numbers.find((n) => n.name === 'sigma_S_per_cm')!;
    expect(sigma.value).toBe(conductivity.sigma_S_per_cm);
    expect(sigma.stderr).toBe(conductivity.sigma_S_per_cm_stderr);
  });

  it('report on an unknown sample, samples on a missing library: exit 2 naming the option', () => {
    expectBadInput(runs.get('report-unknown')!, /no sample called "Nope"/);
    const run = runs.get('samples-no-db')!;
    expectBadInput(run, /--db .*absent\.elyte does not exist/);
    expect(existsSync(join(dir, 'absent.elyte')), 'a read command never creates a library').toBe(false);
  });

  it('import refuses a temperature without its unit and a cell without its sample (exit 2)', () => {
    expectBadInput(runs.get('import-no-unit')!, /--temperature.*"25" has no unit/);
    expectBadInput(runs.get('import-cell-alone')!, /--cell needs --sample/);
  });

  it('backup → restore: integrity ok, the same samples and report, one self-contained file', async () => {
    const backup = runs.get('backup')!;
    expectOk(backup);
    const b = jsonOf(backup);
    expect(b.integrity).toBe('ok');
    expect(b.path).toBe(join(dir, 'backup.elyte'));
    expect(readdirSync(dir).filter((f) => f.startsWith('backup.elyte'))).toEqual(['backup.elyte']);

    const restored = join(dir, 'restored.elyte');
    const [restore, refused, again] = await Promise.all([
      elyte(['restore', '--from', join(dir, 'backup.elyte'), '--db', restored, '--json']),
      elyte(['restore', '--from', join(dir, 'backup.elyte'), '--db', db]),
      elyte(['backup', '--db', db, '--to', join(dir, 'backup.elyte')]),
    ]);
    expectOk(restore);
    expect(jsonOf(restore).integrity).toBe('ok');
    expectBadInput(refused, /--db .*lab\.elyte already holds a library; add --force/);
    expectBadInput(again, /backup\.elyte already exists/);

    const [samples, report] = await Promise.all([
      elyte(['samples', '--db', restored, '--json']),
      elyte(['report', '--sample', 'PVH', '--db', restored, '--json']),
    ]);
    expect(jsonOf(samples)).toEqual(jsonOf(runs.get('samples')!));
    expect(jsonOf(report)).toEqual(jsonOf(runs.get('report')!));
    // --force replaces an existing library and keeps the replaced file beside it.
    const overwrite = await elyte([
      'restore',
      '--from',
      join(dir, 'backup.elyte'),
      '--db',
      restored,
      '--force',
      '--json',
    ]);
    expectOk(overwrite);
    const previous = jsonOf(overwrite).previous as string;
    expect(previous).toMatch(/restored\.elyte\.before-restore-.*\.bak$/);
    expect(existsSync(previous), 'the replaced library is kept').toBe(true);
  });

  it('export → import-folder → export: every raw file byte-identical (SHA-256), analyses kept, idempotent', async () => {
    const exported = runs.get('export')!;
    expectOk(exported);
    const e = jsonOf(exported);
    expect(e).toMatchObject({ samples: 1, batches: 1, cells: 1, measurements: 4, analyses: 1 });

    const other = join(dir, 'other.elyte');
    const first = await elyte(['import-folder', join(dir, 'export'), '--db', other, '--json']);
    expectOk(first);
    expect(jsonOf(first)).toMatchObject({
      samples: { created: 1 },
      measurements: { imported: 4, skipped: 0 },
      analyses: { imported: 1, skipped: 0 },
    });
    const [second, reexport, report] = await Promise.all([
      elyte(['import-folder', join(dir, 'export'), '--db', other, '--json']),
      elyte(['export', '--db', other, '--sample', 'PVH', '--to', join(dir, 'export-2'), '--json']),
      elyte(['report', '--sample', 'PVH', '--db', other, '--json']),
    ]);
    expectOk(second);
    expect(jsonOf(second)).toMatchObject({
      measurements: { imported: 0, skipped: 4 },
      analyses: { imported: 0, skipped: 1 },
    });
    expectOk(reexport);
    for (const folder of ['export', 'export-2']) {
      const raw = readdirSync(join(dir, folder, 'raw')).sort();
      expect(raw).toHaveLength(4);
      const hashes = raw.map((f) => sha256File(join(dir, folder, 'raw', f))).sort();
      expect(hashes).toEqual([...SHA.values()].sort());
    }
    expectOk(report);
    const moved = analysisOf(jsonOf<ReportJson>(report));
    const original = analysisOf(jsonOf<ReportJson>(runs.get('report')!));
    expect(moved.settings).toEqual(original.settings);
    expect(moved.numbers).toEqual(original.numbers);
    expect(moved.elyteVersion).toBe(original.elyteVersion);
    expect(moved.sources.map((s) => s.sha256)).toEqual(original.sources.map((s) => s.sha256));
  });

  it('export refuses a non-empty folder; import-folder refuses a folder without a manifest', async () => {
    const [busy, notExport] = await Promise.all([
      elyte(['export', '--db', db, '--sample', 'PVH', '--to', join(dir, 'export')]),
      elyte(['import-folder', join(dir, 'export', 'raw'), '--db', join(dir, 'third.elyte')]),
    ]);
    expectBadInput(busy, /not empty/);
    expectBadInput(notExport, /manifest\.json/);
  });
});
