/**
 * The reference-study demo as a library: the three composite electrolytes as samples, one batch
 * each, cells built from the manifest (blocking cell, Li‖Li cells, LSV cell, LFP full cells), every
 * file filed under its cell with its temperature, and the study's analyses run and stored — so
 * `npm start` / `npm run serve -- --demo` opens on a library with its key numbers and provenance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API, type CallInput, type CallName, type CallOutput } from '../../app/api/contract';
import type { ImportReport } from '../../app/api/types';
import type { JobRunner } from './jobs';

/** A validated call through the dispatcher (defaults applied, errors thrown). */
export type Call = <K extends CallName>(name: K, input: CallInput<K>) => Promise<CallOutput<K>>;

interface DemoEntry {
  file: string;
  sample: string;
  cell: string;
  role: string;
  area_m2: number;
  thickness_m?: number;
  mass_kg?: number;
  temperature_C: number;
  description: string;
}

const SAMPLES: Record<string, { family: string; components: { name: string; ratio: number }[] }> = {
  PVH: {
    family: 'PVH',
    components: [
      { name: 'PVH', ratio: 100 },
      { name: 'LiTFSI', ratio: 100 },
    ],
  },
  'SiO2-in-PVH': {
    family: 'SiO₂-in-PVH',
    components: [
      { name: 'SiO₂', ratio: 20 },
      { name: 'PVH', ratio: 100 },
      { name: 'LiTFSI', ratio: 100 },
    ],
  },
  'PVH-in-SiO2': {
    family: 'PVH-in-SiO₂',
    components: [
      { name: 'SiO₂', ratio: 70 },
      { name: 'PVH', ratio: 100 },
      { name: 'LiTFSI', ratio: 100 },
    ],
  },
};

/** Which cell a file belongs to: the series of a blocking cell, the t₊ trio, or its own cell. */
function cellKey(entry: DemoEntry): string {
  if (entry.role === 'conductivity' || entry.role === 'arrhenius') return 'SS‖E‖SS';
  if (entry.role === 'chrono' || entry.role === 'eis-before' || entry.role === 'eis-after')
    return 'Li‖E‖Li t₊';
  return `${entry.cell.replaceAll('|', '‖').replace('CSE', 'E')} ${entry.file.replace(/^[^_]+_/, '').replace(/\.[a-z]+$/, '')}`;
}

function cellType(entry: DemoEntry): string {
  return entry.cell.replaceAll('|', '‖').replace('CSE', 'E');
}

export async function importDemoLibrary(folder: string, call: Call, jobs: JobRunner): Promise<ImportReport> {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { files: DemoEntry[] };
  const report: ImportReport = { imported: [], skipped: [], errors: [] };
  const cells = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [sampleName, info] of Object.entries(SAMPLES)) {
    const entries = manifest.files.filter((f) => f.sample === sampleName);
    if (entries.length === 0) continue;
    const sample = await call('samples.create', {
      name: info.family,
      family: info.family,
      components: info.components,
      salt: 'LiTFSI',
      cation: 'Li',
      fillerParticleSize_m: info.components.some((c) => c.name === 'SiO₂') ? 158e-9 : null,
      residualSolvent_pct: 2.9,
      notes: 'Reference-study demo: generated from physical models with realistic noise.',
      tags: ['demo'],
    });
    const batch = await call('batches.create', { sampleId: sample.id, name: 'demo', operator: 'Elyte demo' });
    for (const entry of entries) {
      const key = `${sampleName}/${cellKey(entry)}`;
      let cellId = cells.get(key);
      if (cellId === undefined) {
        const created = await call('cells.create', {
          batchId: batch.id,
          name: cellKey(entry),
          cellType: cellType(entry),
          area_m2: entry.area_m2,
          thickness_m: entry.thickness_m ?? null,
          activeMass_kg: entry.mass_kg ?? null,
          cathode: entry.cell.startsWith('LFP') ? 'LiFePO₄' : '',
        });
        cellId = created.id;
        cells.set(key, cellId);
      }
      const bytes = new Uint8Array(readFileSync(join(folder, entry.file)));
      const one = await jobs.run<ImportReport>('import', {
        files: [{ name: entry.file, bytes }],
        cellId,
        temperature_C: entry.temperature_C,
      }).result;
      report.imported.push(...one.imported);
      report.skipped.push(...one.skipped);
      report.errors.push(...one.errors);
      const id = one.imported[0]?.measurementId ?? one.skipped[0]?.existingMeasurementId;
      if (id !== undefined) byFile.set(entry.file, id);
    }
  }
  await runDemoAnalyses(manifest.files, byFile, jobs, report);
  return report;
}

/** The study's analyses with the protocol the demo was generated for. */
async function runDemoAnalyses(
  entries: DemoEntry[],
  ids: Map<string, number>,
  jobs: JobRunner,
  report: ImportReport,
) {
  const run = async (input: CallInput<'analysis.run'>, file: string) => {
    try {
      await jobs.run('analysis', API['analysis.run'].input.parse(input)).result;
    } catch (error) {
      report.errors.push({
        kind: 'analysis',
        message: `${file}: ${error instanceof Error ? error.message : String(error)}`,
        file,
      });
    }
  };
  const idOf = (entry: DemoEntry) => ids.get(entry.file);
  const circuit = 'R0-CPE1';
  for (const sample of Object.keys(SAMPLES)) {
    const mine = entries.filter((e) => e.sample === sample && idOf(e) !== undefined);
    const role = (r: string) => mine.filter((e) => e.role === r);
    for (const e of role('conductivity'))
      await run({ kind: 'conductivity', measurementIds: [idOf(e)!], settings: { circuit } }, e.file);
    const series = [...role('conductivity'), ...role('arrhenius')].filter(
      (e) => e.temperature_C !== 25 || role('arrhenius').length === 0,
    );
    if (series.length >= 3)
      await run(
        { kind: 'arrhenius', measurementIds: series.map((e) => idOf(e)!), settings: { circuit } },
        series[0]!.file,
      );
    const [chrono] = role('chrono');
    const [before] = role('eis-before');
    const [after] = role('eis-after');
    if (chrono && before && after) {
      await run(
        {
          kind: 'transference',
          measurementIds: [idOf(chrono)!, idOf(before)!, idOf(after)!],
          settings: {
            roles: { [idOf(chrono)!]: 'chrono', [idOf(before)!]: 'eis-before', [idOf(after)!]: 'eis-after' },
          },
        },
        chrono.file,
      );
    }
    for (const e of role('lsv')) await run({ kind: 'lsv', measurementIds: [idOf(e)!], settings: {} }, e.file);
    for (const e of role('ccd')) await run({ kind: 'ccd', measurementIds: [idOf(e)!], settings: {} }, e.file);
    for (const e of role('symmetric'))
      await run({ kind: 'symmetric', measurementIds: [idOf(e)!], settings: {} }, e.file);
    for (const e of [...role('rate'), ...role('cycling')]) {
      await run({ kind: 'cycling', measurementIds: [idOf(e)!], settings: { leading: 'charge' } }, e.file);
    }
  }
}
