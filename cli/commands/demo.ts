/**
 * `elyte demo [--json]`: the reference study from the bundled raw instrument files
 * (examples/reference-study: files + manifest.json), analysed by app/analysis/demo.ts, the same code
 * the app runs. Exit 1 when an analysis of the study could not produce its number (the JSON lists why).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoManifest, type DemoTable, runDemo } from '../../app/analysis/demo';
import { ElyteError } from '../../app/errors';
import { readInputFile } from '../files';
import { EXIT_NO_RESULT, EXIT_OK, printJson, printTable } from '../output';
import { optionalString, parseCommandArgs } from './args';

/** The bundled study, found from this file so `npx elyte demo` works from any working directory. */
export const DEMO_FOLDER = resolve(fileURLToPath(new URL('../../examples/reference-study', import.meta.url)));

function readManifest(folder: string): DemoManifest {
  const path = join(folder, 'manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = existsSync(path) ? `is not valid JSON (${(error as Error).message})` : 'is missing';
    throw new ElyteError('malformed', `the demo's manifest ${why}`, { file: path });
  }
  const files = (json as { files?: unknown }).files;
  if (typeof json !== 'object' || json === null || !Array.isArray(files)) {
    throw new ElyteError('malformed', 'the demo manifest has no "files" list', { file: path });
  }
  for (const [i, entry] of files.entries()) {
    const name = (entry as { file?: unknown } | null)?.file;
    // A name with a path in it could read outside the study folder.
    if (typeof name !== 'string' || name === '' || /[\\/]/.test(name) || name.startsWith('..')) {
      throw new ElyteError('malformed', `files[${i}].file must be a plain file name`, { file: path });
    }
  }
  return json as DemoManifest;
}

export async function demoCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('demo', argv, { folder: { type: 'string' } });
  if (args.files.length > 0) {
    throw new ElyteError('invalid-argument', `demo takes no files (got "${args.files[0]}")`, {
      where: 'demo',
    });
  }
  const folder = resolve(optionalString(args, 'folder') ?? DEMO_FOLDER);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ElyteError('not-found', 'the reference-study folder is missing', { file: folder });
  }
  const started = performance.now();
  const manifest = readManifest(folder);
  const names = [...new Set(manifest.files.map((f) => f.file))];
  const files = names.map((name) => ({ name, bytes: readInputFile(join(folder, name)) }));
  const table = runDemo(files, manifest);
  const seconds = (performance.now() - started) / 1000;
  if (args.json) printJson({ folder, files: names.length, seconds, ...table });
  else printDemo(table, names.length, seconds);
  for (const error of table.errors) process.stderr.write(`elyte: ${error.message}\n`);
  return table.errors.length > 0 ? EXIT_NO_RESULT : EXIT_OK;
}

function printDemo(table: DemoTable, fileCount: number, seconds: number): void {
  process.stdout.write(`${table.study}: ${fileCount} raw files analysed in ${seconds.toFixed(1)} s\n\n`);
  printTable(
    table.samples.map((row) => ({
      sample: row.sample,
      'σ25°C S/cm': row.sigma_S_per_cm,
      'Ea eV': row.Ea_eV,
      't₊': row.t_plus,
      'onset V': row.onset_V,
      'CCD mA/cm²': row.ccd_mA_per_cm2,
      '2C polarisation V': row.polarisation_2C_V,
    })),
  );
  const lili = table.samples.flatMap((row) =>
    row.lili.map((l) => ({
      sample: row.sample,
      'j mA/cm²': l.current_mA_per_cm2,
      'η mV': l.overpotential_mV,
      'life h': l.life_h ?? `> ${l.record_h.toFixed(0)} (no short)`,
    })),
  );
  if (lili.length > 0) {
    process.stdout.write('\nLi‖Li cycling\n');
    printTable(lili);
  }
  const rate = table.samples.flatMap((row) =>
    row.rate.map((r) => ({
      sample: row.sample,
      'C-rate': r.recovery ? `${r.c_rate} (recovery)` : r.c_rate,
      'discharge mAh/g': r.discharge_mAh_per_g,
    })),
  );
  if (rate.length > 0) {
    process.stdout.write('\nLFP‖Li rate capability\n');
    printTable(rate);
  }
  const cycling = table.samples.flatMap((row) =>
    row.cycling.map((c) => ({
      sample: row.sample,
      'C-rate': c.c_rate,
      cycles: c.cycles,
      'first mAh/g': c.first_mAh_per_g,
      'max mAh/g': c.max_mAh_per_g,
      'last mAh/g': c.last_mAh_per_g,
      'retention %': c.retention_pct,
      'mean CE %': c.mean_ce_pct,
    })),
  );
  if (cycling.length > 0) {
    process.stdout.write('\nLFP‖Li long cycling\n');
    printTable(cycling);
  }
  for (const error of table.errors) process.stdout.write(`not computed: ${error.file}: ${error.message}\n`);
}
