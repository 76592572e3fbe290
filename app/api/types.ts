/** Result shapes of the API calls: plain JSON-ready objects (typed arrays only where noted). */
import type { ErrorInfo } from '../errors';
import type { KeyNumbers, MeasurementSummary } from '../library/types';
import type { TechniqueKind } from '../measurement';

export type {
  AnalysisRecord,
  BatchNode,
  CellNode,
  ImportedFile,
  ImportReport,
  KeyNumbers,
  LibraryTree,
  MeasurementSummary,
  Provenance,
  SampleNode,
  SampleSummary,
} from '../library/types';

export interface AppInfo {
  version: string;
  libraryPath: string;
  /** How this UI reaches the services. */
  transport: 'electron' | 'http';
}

export interface FormatInfo {
  id: string;
  label: string;
  extensions: string[];
}

export interface InspectReport {
  file: string;
  format: string;
  formatLabel: string;
  technique: string;
  kind: TechniqueKind;
  rows: number;
  sizeBytes: number;
  channels: Record<string, string>;
  metadata: Record<string, unknown>;
  warnings: string[];
  /** For generic tables: the header signature under which a column mapping is remembered. */
  headerSignature?: string;
}

export interface TableColumnsReport {
  file: string;
  headers: string[];
  signature: string;
  suggested: Record<string, { column: string | number; unit: string }>;
  /** The mapping the library remembers for this header layout, if any. */
  remembered: Record<string, { column: string | number; unit: string }> | null;
}

export interface JobTicket {
  jobId: string;
}

export interface ChannelInfo {
  name: string;
  unit: string;
  /** Canonical (SI, named) or an original column of the file. */
  origin: 'canonical' | 'original';
}

export interface MeasurementDetail extends MeasurementSummary {
  sha256: string;
  sizeBytes: number;
  channels: ChannelInfo[];
  metadata: Record<string, unknown>;
  warnings: string[];
  cell: {
    id: number;
    name: string;
    area_m2: number | null;
    thickness_m: number | null;
    activeMass_kg: number | null;
  } | null;
  sample: { id: number; name: string } | null;
}

export interface ChannelWindow {
  x: number[];
  /** One array per requested y channel, aligned with x. */
  y: Record<string, number[]>;
  /** Rows in the full record and rows returned after decimation. */
  totalRows: number;
  returnedRows: number;
  decimated: boolean;
}

export interface RawFile {
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface CompareSample {
  id: number;
  name: string;
  family: string;
  keyNumbers: KeyNumbers;
  /** σ at 25 °C per cell of each batch, for replicate error bars. */
  replicates: { batch: string; mean: number | null; std: number | null; n: number };
  arrhenius: { T_K: number; sigma_S_per_cm: number }[];
  retention: { cycle: number; retention_pct: number }[];
}

export interface CompareData {
  samples: CompareSample[];
}

/** Events the services push to the UI (IPC event or server-sent event). */
export type ServiceEvent =
  | { type: 'job.progress'; jobId: string; fraction: number; message: string }
  | { type: 'job.done'; jobId: string; result: unknown }
  | { type: 'job.failed'; jobId: string; error: ErrorInfo }
  | { type: 'library.changed' };
