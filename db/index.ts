/**
 * The sample library (Node only: better-sqlite3). Everything a lab imports lives in one SQLite file:
 * samples → batches → cells → measurements (original file bytes, gzip, SHA-256; channels columnar)
 * → analyses (settings, results, numbers, Elyte version, versioned). This file is the whole public
 * surface; import from 'db' (here) rather than from the modules.
 *
 * ## Lifecycle
 * - `openLibrary(path, {backupDir?, busyTimeoutMs?, singleConnection?})` → `Library`: refuses a file
 *   from a newer Elyte ('database' error, file untouched), backs up an existing file before migrating
 *   (`lib.migration.backupPath`), sets WAL + foreign keys + busy_timeout. `lib.db` writes, `lib.reader`
 *   (read-only, WAL snapshot) serves queries; ':memory:' for tests. `closeLibrary(lib)`.
 * - better-sqlite3 is synchronous: run the library in a worker/utility process, never on Electron's
 *   main thread. Reads never wait for a running import (WAL); they see it whole or not at all.
 * - New files get 64 KiB pages (blob-heavy). A big import defers its WAL checkpoint to the next
 *   event-loop turn; `checkpoint(lib)` runs one now (closing the library does too).
 *
 * ## Writing (each call = one transaction + one undo-log entry; inputs validated, 'invalid-argument' /
 * 'not-found' / 'conflict' ElyteErrors otherwise)
 * - `createSample(lib, SampleFields-like)`, `updateSample(lib, id, patch)`, `deleteSample(lib, id)`
 *   (soft: also its batches, cells, measurements); same for batches (`createBatch`…) and cells.
 * - `importFile(lib, {fileName, bytes, measurement?, cellId?, sampleId?, temperature_C?, parseOptions?},
 *   onProgress?)` → `ImportReport {imported, skipped, errors}` (never throws for a bad file).
 *   Pass `measurement` when the worker already parsed it. `importFiles(lib, inputs[], onProgress?)`.
 *   `imported[i].cellSuggestions` are area/mass/thickness from the file for the user to confirm
 *   (then `updateCell`). Temperature: user > file metadata > file name (`_30C`, `-25degC`, `80 °C`).
 *   The original bytes are stored as one standard gzip member (compressed on the thread pool while
 *   the file parses); re-importing a deleted file's bytes brings the old record back.
 * - `updateMeasurement(lib, id, {cellId?, sampleId?, temperature_C?})`, `deleteMeasurement(lib, id)`.
 * - `saveAnalysis(lib, {kind, sources: [{measurementId, role}], settings, results, numbers?,
 *   elyteVersion})` → `AnalysisRecord` (version n + 1 for the same kind and files). Without `numbers`,
 *   every finite top-level number of `results` becomes one (with its `<name>_stderr`); the sample list
 *   reads KEY_NUMBER_NAMES (`sigma25C_S_per_cm`, `Ea_eV`, `t_plus`, `onset_V`, `ccd_mA_per_cm2`,
 *   `retention_pct`); a `sigma_S_per_cm` measured at 25 ± 1.5 °C or an Arrhenius
 *   `sigma_25C_S_per_cm` is also stored as `sigma25C_S_per_cm`.
 * - `undoLastEdit(lib)` → `{undone: label | null}`.
 * - `rememberColumnMapping(lib, headerSignature(headers), headers, mapping)` / `recallColumnMapping`.
 *
 * ## Reading (through `lib.reader`)
 * - `sampleSummaries(lib)` (samples + counts + latest key numbers with the analysis each came from),
 *   `replicateStats(lib, batchId, names?)` (mean, sample std, n across cells), `listSamples`,
 *   `getSample`, `findSampleByName`, `listBatches(lib, sampleId)`, `listCells(lib, batchId)`,
 *   `listCellMeasurements(lib, cellId)`, `listUnassignedMeasurements(lib, sampleId?)`,
 *   `getMeasurement`, `listChannels(lib, id)`, `loadChannels(lib, id, names?)`,
 *   `loadChannel(lib, id, name)` → Float64Array (canonical name first, then original column name),
 *   `loadRawFile(lib, id)` → the original bytes (SHA-256 checked), `listAnalyses(lib, measurementId)`,
 *   `libraryTree(lib, {search?, family?, cation?, kind?, from?, to?})` (sample → batch → cell →
 *   measurement, one snapshot), `getAnalysis`, `provenance(lib, analysisId)` → analysis + settings + version + every source file
 *   (name, SHA-256, import time, cell/batch/sample) + all versions.
 *
 * ## Safety
 * - `backupLibrary(lib, path)` (online backup, integrity-checked), `restoreLibrary(backup, libraryPath)`
 *   (library closed; the old file kept as `.before-restore-*.bak`), `checkIntegrity(path)`.
 * - `exportSample(lib, id, folder)` / `exportBatch(lib, id, folder)` → manifest.json + raw/ (byte-
 *   identical originals) + channels/ (the stored blobs); `importLibraryFolder(lib, folder)` → counts
 *   (one transaction, idempotent by uid and SHA-256, undoable; a sample whose name exists is reused).
 *
 * ## CLI helpers (db/cli.ts)
 * `withLibrary(path, fn)`, `cliImport(lib, paths, {sample?, cell?, temperature_C?})`,
 * `cliSamples(lib)`, `cliReport(lib, sampleName)`, `cliBackup(lib, out)`, `cliRestore(backup, path)`.
 */

export type { AnalysisInput } from './analyses';
export { deleteAnalysis, getAnalysis, listAnalyses, provenance, saveAnalysis } from './analyses';
export { backupLibrary, checkIntegrity, restoreLibrary } from './backup';
export type { CliImportOptions, CliImportReport, SampleReport } from './cli';
export {
  cliBackup,
  cliImport,
  cliReport,
  cliRestore,
  cliSamples,
  DEFAULT_BATCH_NAME,
  withLibrary,
} from './cli';
export type { ExportResult, FolderImportResult } from './exchange';
export { exportBatch, exportSample, importLibraryFolder } from './exchange';
export type { ImportInput, ImportProgress, ImportStage } from './import';
export { importFile, importFiles } from './import';
export type { Library, OpenOptions } from './library';
export { checkpoint, closeLibrary, openLibrary, readSnapshot } from './library';
export { headerSignature, recallColumnMapping, rememberColumnMapping } from './mappings';
export type { MeasurementPatch } from './measurements';
export {
  deleteMeasurement,
  getMeasurement,
  listCellMeasurements,
  listChannels,
  listUnassignedMeasurements,
  loadChannel,
  loadChannels,
  loadRawFile,
  updateMeasurement,
} from './measurements';
export { LATEST_VERSION } from './migrations';
export { libraryTree, replicateStats, sampleSummaries } from './queries';
export {
  createBatch,
  createCell,
  createSample,
  deleteBatch,
  deleteCell,
  deleteSample,
  findSampleByName,
  getBatch,
  getCell,
  getSample,
  listBatches,
  listCells,
  listSamples,
  updateBatch,
  updateCell,
  updateSample,
} from './records';
export { temperatureFromFileName } from './temperature';
export * from './types';
export type { UndoResult } from './undo';
export { undoLastEdit } from './undo';
