/**
 * The library commands: `elyte import | samples | report | backup | restore | export | import-folder`.
 * Flags and units are parsed here; the work is db/ (db/cli.ts, db/backup.ts, db/exchange.ts), the same
 * code the desktop app runs. Every command names its library with --db PATH.
 */

import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ElyteError, type ErrorInfo } from '../../app/errors';
import { KELVIN_OFFSET, parseQuantity } from '../../app/units/index';
import { reportedAnalyses } from '../../db/cli';
import {
  checkIntegrity,
  cliBackup,
  cliImport,
  cliReport,
  cliRestore,
  cliSamples,
  exportBatch,
  exportSample,
  findSampleByName,
  importLibraryFolder,
  type Library,
  listBatches,
  provenance,
  type SampleReport,
  withLibrary,
} from '../../db/index';
import { parseColumnsFlag } from '../columns';
import { EXIT_BAD_INPUT, EXIT_OK, printJson, printKeyValues, printTable, UsageError } from '../output';
import { optionalString, type ParsedArgs, parseCommandArgs, requireFiles, requireString } from './args';

/** The library file named by --db; `mustExist` for commands that only read or copy it. */
function libraryPath(args: ParsedArgs, command: string, mustExist: boolean): string {
  const path = resolve(requireString(args, 'db', command));
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`${command}: --db ${path} is a folder; name the library file (e.g. lab.elyte)`);
  }
  if (mustExist && !existsSync(path)) {
    throw new UsageError(`${command}: --db ${path} does not exist; import files into it first`);
  }
  return path;
}

function noFiles(args: ParsedArgs, command: string): void {
  if (args.files.length > 0) throw new UsageError(`${command}: unexpected argument "${args.files[0]}"`);
}

/** One stderr line per failed file, so a script sees every file that did not go in. */
function reportErrors(errors: readonly ErrorInfo[]): void {
  for (const error of errors) process.stderr.write(`elyte: ${error.message}\n`);
}

export async function importCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('import', argv, {
    db: { type: 'string' },
    sample: { type: 'string' },
    cell: { type: 'string' },
    temperature: { type: 'string' },
    columns: { type: 'string' },
  });
  const files = requireFiles(args, 'import');
  const columnsText = optionalString(args, 'columns');
  const db = libraryPath(args, 'import', false);
  const temperature = optionalString(args, 'temperature');
  const sample = optionalString(args, 'sample');
  const cell = optionalString(args, 'cell');
  if (cell !== undefined && sample === undefined) {
    throw new UsageError('import: --cell needs --sample (cells belong to a sample)');
  }
  const options = {
    ...(sample !== undefined ? { sample } : {}),
    ...(cell !== undefined ? { cell } : {}),
    ...(temperature !== undefined
      ? { temperature_C: parseQuantity(temperature, 'temperature', '--temperature') - KELVIN_OFFSET }
      : {}),
    ...(columnsText !== undefined ? { columns: parseColumnsFlag(columnsText, 'import') } : {}),
  };
  const showProgress = !args.json && process.stderr.isTTY === true;
  const report = await withLibrary(db, (lib) =>
    cliImport(lib, files, options, (file, stage) => {
      if (showProgress && stage === 'parsing') process.stderr.write(`importing ${file}…\n`);
    }),
  );
  const imported = report.imported.map(({ measurementId, ...rest }) => ({ id: measurementId, ...rest }));
  reportErrors(report.errors);
  if (args.json) {
    // cli.md: `imported` is the list of new measurement ids; the details of each file sit beside it.
    printJson({
      db,
      imported: imported.map((m) => m.id),
      imported_files: imported,
      skipped: report.skipped,
      errors: report.errors,
      created: report.created,
    });
  } else {
    if (imported.length > 0) {
      printTable(
        imported.map((m) => ({
          id: m.id,
          file: m.file,
          format: m.format,
          technique: m.technique,
          rows: m.rows,
          T_C: m.temperature_K === null ? null : m.temperature_K - KELVIN_OFFSET,
        })),
      );
    }
    for (const s of report.skipped)
      process.stdout.write(
        `skipped ${s.file}: already in the library as measurement ${s.existingMeasurementId}\n`,
      );
    process.stdout.write(
      `${imported.length} imported, ${report.skipped.length} skipped (duplicates), ${report.errors.length} failed\n`,
    );
  }
  return report.errors.length > 0 ? EXIT_BAD_INPUT : EXIT_OK;
}

export async function samplesCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('samples', argv, { db: { type: 'string' } });
  noFiles(args, 'samples');
  const db = libraryPath(args, 'samples', true);
  const result = await withLibrary(db, (lib) => cliSamples(lib));
  if (args.json) {
    printJson(result);
    return EXIT_OK;
  }
  printTable(
    result.samples.map((s) => ({
      sample: s.name,
      family: s.family,
      batches: s.batches,
      cells: s.cells,
      measurements: s.measurements,
      sigma25C_S_per_cm: s.keyNumbers.sigma25C_S_per_cm,
      Ea_eV: s.keyNumbers.Ea_eV,
      t_plus: s.keyNumbers.t_plus,
      onset_V: s.keyNumbers.onset_V,
      ccd_mA_per_cm2: s.keyNumbers.ccd_mA_per_cm2,
      retention_pct: s.keyNumbers.retention_pct,
    })),
  );
  return EXIT_OK;
}

/** An analysis's source files (name, role, SHA-256): the provenance a group leader checks a number by. */
function sourcesOf(lib: Library, analysisId: number) {
  return provenance(lib, analysisId).sources.map((s) => ({
    measurementId: s.measurementId,
    role: s.role,
    fileName: s.fileName,
    sha256: s.sha256,
  }));
}

type ReportAnalysis =
  SampleReport['batches'][number]['cells'][number]['measurements'][number]['analyses'][number];

/**
 * cliReport plus what `elyte report` promises beyond it: every analysis lists its source files with
 * their SHA-256 (an analysis may use several files, e.g. a transference number), and measurements
 * filed under the sample without a cell show their analyses too.
 */
function fullReport(lib: Library, sampleName: string) {
  const report = cliReport(lib, sampleName);
  const withSources = (analyses: ReportAnalysis[]) =>
    analyses.map((a) => ({ ...a, sources: sourcesOf(lib, a.id) }));
  return {
    ...report,
    batches: report.batches.map((b) => ({
      ...b,
      cells: b.cells.map((c) => ({
        ...c,
        measurements: c.measurements.map((m) => ({ ...m, analyses: withSources(m.analyses) })),
      })),
    })),
    unassigned: report.unassigned.map((m) => ({
      ...m,
      analyses: withSources(reportedAnalyses(lib, m.id)),
    })),
  };
}

export async function reportCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('report', argv, { db: { type: 'string' }, sample: { type: 'string' } });
  noFiles(args, 'report');
  const sampleName = requireString(args, 'sample', 'report');
  const db = libraryPath(args, 'report', true);
  const report = await withLibrary(db, (lib) => fullReport(lib, sampleName));
  if (args.json) {
    printJson(report);
    return EXIT_OK;
  }
  const { sample } = report;
  printKeyValues({
    sample: sample.name,
    family: sample.family,
    batches: sample.batches,
    cells: sample.cells,
    measurements: sample.measurements,
    ...sample.keyNumbers,
  });
  const rows: Record<string, unknown>[] = [];
  type ReportMeasurement = (typeof report.unassigned)[number];
  const addMeasurement = (place: string, m: ReportMeasurement) => {
    const numbers = m.analyses.flatMap((a) => a.numbers.map((n) => `${n.name}=${n.value.toPrecision(4)}`));
    rows.push({
      where: place,
      id: m.id,
      file: m.fileName,
      technique: m.technique,
      sha256: `${m.sha256.slice(0, 12)}…`,
      analyses: m.analyses.map((a) => `${a.kind} v${a.version} (Elyte ${a.elyteVersion})`).join('; '),
      numbers: numbers.join(' '),
    });
  };
  for (const batch of report.batches)
    for (const cell of batch.cells)
      for (const m of cell.measurements) addMeasurement(`${batch.name}/${cell.name}`, m);
  for (const m of report.unassigned) addMeasurement('(no cell)', m);
  process.stdout.write('\n');
  printTable(rows);
  return EXIT_OK;
}

export async function backupCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('backup', argv, {
    db: { type: 'string' },
    to: { type: 'string' },
    force: { type: 'boolean' },
  });
  noFiles(args, 'backup');
  const db = libraryPath(args, 'backup', true);
  const target = resolve(requireString(args, 'to', 'backup'));
  if (target === db) throw new UsageError('backup: --to must be another file than --db');
  if (existsSync(target) && args.flags.force !== true) {
    throw new UsageError(`backup: --to ${target} already exists; choose a new file or add --force`);
  }
  // Written beside the target and renamed over it, so --force never loses the old copy to a failed backup.
  const temporary = `${target}.writing-${process.pid}`;
  rmSync(temporary, { force: true });
  let result: Awaited<ReturnType<typeof cliBackup>>;
  try {
    result = await withLibrary(db, (lib) => cliBackup(lib, temporary));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  renameSync(temporary, target);
  const { version } = checkIntegrity(target);
  const fields = { db, path: target, bytes: result.bytes, pages: result.pages, integrity: 'ok', version };
  if (args.json) printJson(fields);
  else printKeyValues(fields);
  return EXIT_OK;
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('restore', argv, {
    db: { type: 'string' },
    from: { type: 'string' },
    force: { type: 'boolean' },
  });
  noFiles(args, 'restore');
  const db = libraryPath(args, 'restore', false);
  const from = resolve(requireString(args, 'from', 'restore'));
  if (!existsSync(from)) throw new UsageError(`restore: --from ${from} does not exist`);
  if (existsSync(db) && args.flags.force !== true) {
    throw new UsageError(
      `restore: --db ${db} already holds a library; add --force to replace it (it is kept as a .bak)`,
    );
  }
  const result = await cliRestore(from, db);
  // Opening runs the migrations a backup from an older Elyte needs, and proves the file is usable.
  const summary = await withLibrary(db, (lib) => cliSamples(lib).samples.length);
  const { version } = checkIntegrity(db);
  const fields = {
    db: result.path,
    from,
    previous: result.previous,
    integrity: 'ok',
    version,
    samples: summary,
  };
  if (args.json) printJson(fields);
  else printKeyValues(fields);
  return EXIT_OK;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('export', argv, {
    db: { type: 'string' },
    sample: { type: 'string' },
    batch: { type: 'string' },
    to: { type: 'string' },
  });
  noFiles(args, 'export');
  const db = libraryPath(args, 'export', true);
  const sampleName = requireString(args, 'sample', 'export');
  const batchName = optionalString(args, 'batch');
  const folder = resolve(requireString(args, 'to', 'export'));
  const result = await withLibrary(db, (lib) => {
    const sample = findSampleByName(lib, sampleName);
    if (!sample) {
      throw new ElyteError('not-found', `no sample called "${sampleName}" in ${basename(db)}`, {
        where: '--sample',
      });
    }
    if (batchName === undefined) return exportSample(lib, sample.id, folder);
    const batch = listBatches(lib, sample.id).find((b) => b.name === batchName);
    if (!batch) {
      throw new ElyteError('not-found', `sample "${sampleName}" has no batch called "${batchName}"`, {
        where: '--batch',
      });
    }
    return exportBatch(lib, batch.id, folder);
  });
  if (args.json) printJson({ db, ...result });
  else printKeyValues({ db, ...result });
  return EXIT_OK;
}

export async function importFolderCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('import-folder', argv, { db: { type: 'string' } });
  const [folder, extra] = requireFiles(args, 'import-folder');
  if (extra !== undefined) throw new UsageError(`import-folder: name one folder (got also "${extra}")`);
  const source = resolve(folder!);
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new UsageError(`import-folder: ${source} is not a folder`);
  }
  const db = libraryPath(args, 'import-folder', false);
  const result = await withLibrary(db, (lib) => importLibraryFolder(lib, source));
  if (args.json) {
    printJson({ db, folder: source, ...result });
  } else {
    printTable(
      (['samples', 'batches', 'cells'] as const).map((kind) => ({
        records: kind,
        created: result[kind].created,
        reused: result[kind].reused,
      })),
    );
    printTable(
      (['measurements', 'analyses'] as const).map((kind) => ({
        records: kind,
        imported: result[kind].imported,
        skipped: result[kind].skipped,
      })),
    );
  }
  return EXIT_OK;
}
