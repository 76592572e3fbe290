/**
 * Records the library hands out (shared by db/, the API contract and the UI): plain JSON-ready objects (typed arrays only in loaded channels).
 * SI units inside, with the unit in the field name; percentages only where the lab thinks in them
 * (residual solvent, crystallinity, free-anion fraction, retention) and named `_pct`.
 */
import type { ErrorInfo } from '../errors';
import type { MeasurementMetadata, TechniqueKind } from '../measurement';

export const CATIONS = ['Li', 'Na', 'K', 'Mg', 'Zn', 'other'] as const;
export type Cation = (typeof CATIONS)[number];

/** Cell types the UI offers; any other text is accepted too. */
export const CELL_TYPES = [
  'SS‖E‖SS',
  'Li‖E‖Li',
  'LFP‖E‖Li',
  'NCM622‖E‖Li',
  'NVP‖E‖Na',
  'KPB‖E‖K',
  'Na‖E‖Na',
  'K‖E‖K',
] as const;

export interface Component {
  /** 'SiO₂', 'PVH', 'LiTFSI' … */
  name: string;
  /** Weight ratio relative to the other components (SiO₂/PVH 70/100 → 70 and 100). */
  ratio: number;
}

export interface SampleFields {
  name: string;
  /** 'PVH', 'SiO₂-in-PVH', 'PVH-in-SiO₂' … */
  family: string;
  components: Component[];
  salt: string;
  cation: Cation;
  fillerParticleSize_m: number | null;
  residualSolvent_pct: number | null;
  crystallinity_pct: number | null;
  freeAnionFraction_pct: number | null;
  notes: string;
  tags: string[];
}

export interface Sample extends SampleFields {
  id: number;
  uid: string;
  createdAt: string;
  updatedAt: string;
}

export interface BatchFields {
  sampleId: number;
  name: string;
  /** ISO date (YYYY-MM-DD) the batch was made, when known. */
  date: string | null;
  operator: string;
  deviations: string;
  notes: string;
}

export interface Batch extends BatchFields {
  id: number;
  uid: string;
  createdAt: string;
  updatedAt: string;
}

export interface CellFields {
  batchId: number;
  name: string;
  /** See CELL_TYPES. */
  cellType: string;
  area_m2: number | null;
  thickness_m: number | null;
  activeMass_kg: number | null;
  /** Active-material loading in kg/m² (1 mg/cm² = 0.01 kg/m²). */
  loading_kg_per_m2: number | null;
  cathode: string;
  notes: string;
}

export interface Cell extends CellFields {
  id: number;
  uid: string;
  createdAt: string;
  updatedAt: string;
}

export type TemperatureSource = 'user' | 'file' | 'name';

export interface MeasurementRecord {
  id: number;
  uid: string;
  cellId: number | null;
  /** Filed under a sample before a cell is known (null once a cell is assigned). */
  sampleId: number | null;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  format: string;
  technique: string;
  kind: TechniqueKind;
  rows: number;
  channelCount: number;
  temperature_K: number | null;
  temperatureSource: TemperatureSource | null;
  instrument: string | null;
  startTime: string | null;
  metadata: MeasurementMetadata;
  warnings: string[];
  importedAt: string;
}

export type ChannelOrigin = 'canonical' | 'original';

export interface ChannelInfo {
  /** Position in the measurement: canonical channels first, then the file's columns in file order. */
  position: number;
  name: string;
  unit: string;
  origin: ChannelOrigin;
  /** Storage encoding (see db/channels.ts); 'text' for text columns. */
  dtype: string;
}

export interface LoadedChannel extends ChannelInfo {
  values: Float64Array | string[];
}

/** One named number of an analysis, in the unit its name says (σ in S/cm, Ea in eV, …). */
export interface AnalysisNumber {
  name: string;
  value: number;
  stderr: number | null;
  unit: string;
}

export interface AnalysisSource {
  measurementId: number;
  /** What the measurement is to the analysis: 'eis-before', 'chrono', '30 °C' … ('' if nothing). */
  role: string;
}

export interface AnalysisRecord {
  id: number;
  uid: string;
  kind: string;
  /** 1, 2, … per (kind, set of source files): re-running adds a version, never overwrites. */
  version: number;
  measurementIds: number[];
  sources: AnalysisSource[];
  settings: Record<string, unknown>;
  results: Record<string, unknown>;
  numbers: AnalysisNumber[];
  elyteVersion: string;
  createdAt: string;
}

/** Names of the key numbers the sample list shows (analysis_numbers.name). */
export const KEY_NUMBER_NAMES = [
  'sigma25C_S_per_cm',
  'Ea_eV',
  't_plus',
  'onset_V',
  'ccd_mA_per_cm2',
  'retention_pct',
] as const;
export type KeyNumberName = (typeof KEY_NUMBER_NAMES)[number];
export type KeyNumbers = Record<KeyNumberName, number | null>;

export interface KeyNumberSource {
  analysisId: number;
  kind: string;
  version: number;
  stderr: number | null;
  createdAt: string;
}

export interface SampleSummary {
  id: number;
  name: string;
  family: string;
  cation: string;
  salt: string;
  tags: string[];
  batches: number;
  cells: number;
  measurements: number;
  keyNumbers: KeyNumbers;
  /** For each key number that has a value: the analysis it came from (for provenance). */
  keyNumberSources: Partial<Record<KeyNumberName, KeyNumberSource>>;
}

export interface ReplicateStats {
  name: string;
  unit: string;
  mean: number;
  /** Sample standard deviation (n − 1); null when n < 2. */
  std: number | null;
  n: number;
  /** cell id → value (latest analysis version of that cell). */
  values: { cellId: number; cellName: string; value: number; analysisId: number }[];
}

export interface ProvenanceSource {
  measurementId: number;
  role: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  technique: string;
  importedAt: string;
  cell: { id: number; name: string } | null;
  batch: { id: number; name: string } | null;
  sample: { id: number; name: string } | null;
}

export interface Provenance {
  analysis: AnalysisRecord;
  sources: ProvenanceSource[];
  /** Every version of the same analysis (same kind and files), oldest first. */
  versions: { id: number; version: number; createdAt: string; elyteVersion: string }[];
}

export interface ImportedFile {
  file: string;
  measurementId: number;
  format: string;
  technique: string;
  rows: number;
  temperature_K: number | null;
  temperatureSource: TemperatureSource | null;
  /** Values from the file's metadata that could fill the cell; the user confirms before they are saved. */
  cellSuggestions: CellSuggestions;
  warnings: string[];
}

export interface CellSuggestions {
  area_m2?: number;
  thickness_m?: number;
  activeMass_kg?: number;
}

export interface SkippedFile {
  file: string;
  existingMeasurementId: number;
  sha256: string;
}

export interface ImportReport {
  imported: ImportedFile[];
  /** Files already in the library (same SHA-256): reported, not added again. */
  skipped: SkippedFile[];
  errors: ErrorInfo[];
}

export interface TreeFilter {
  /** Case-insensitive text in a sample, tag, batch, cell or file name. */
  search?: string;
  family?: string;
  cation?: string;
  /** Only measurements of this kind (and the branches that hold them). */
  kind?: TechniqueKind;
  /** ISO dates (inclusive): measurement start time, or import time when the file has none. */
  from?: string;
  to?: string;
}

export interface MeasurementSummary {
  id: number;
  fileName: string;
  format: string;
  technique: string;
  kind: TechniqueKind;
  rows: number;
  temperature_K: number | null;
  startTime: string | null;
  importedAt: string;
  cellId: number | null;
  sampleId: number | null;
}

export interface CellNode {
  id: number;
  name: string;
  cellType: string;
  area_m2: number | null;
  thickness_m: number | null;
  activeMass_kg: number | null;
  measurements: MeasurementSummary[];
}

export interface BatchNode {
  id: number;
  name: string;
  date: string | null;
  operator: string;
  cells: CellNode[];
}

export interface SampleNode {
  id: number;
  name: string;
  family: string;
  cation: string;
  tags: string[];
  keyNumbers: KeyNumbers;
  batches: BatchNode[];
  /** Measurements filed under the sample without a cell. */
  measurements: MeasurementSummary[];
}

export interface LibraryTree {
  samples: SampleNode[];
  /** Imported but filed under no sample or cell yet. */
  unassigned: MeasurementSummary[];
}
