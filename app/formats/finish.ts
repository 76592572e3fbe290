/**
 * The last step of every reader: checks that all arrays agree in length, makes time monotone seconds
 * from the start, infers the technique kind from content when the file does not name it, and returns
 * the Measurement. Readers build channels in SI units before calling this.
 */
import { ElyteError } from '../errors';
import type {
  CanonicalChannel,
  Measurement,
  MeasurementMetadata,
  OriginalColumn,
  TechniqueKind,
} from '../measurement';
import { inferKind } from './infer';

export interface MeasurementDraft {
  format: string;
  fileName: string;
  technique?: string;
  kind?: TechniqueKind;
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  original: OriginalColumn[];
  metadata: Partial<MeasurementMetadata>;
  warnings?: string[];
}

export function finishMeasurement(draft: MeasurementDraft): Measurement {
  const lengths = new Set<number>();
  for (const values of Object.values(draft.channels)) if (values) lengths.add(values.length);
  for (const column of draft.original) lengths.add(column.values.length);
  if (lengths.size > 1) {
    throw new ElyteError('malformed', `columns have different lengths (${[...lengths].join(', ')})`, {
      file: draft.fileName,
    });
  }
  const rows = lengths.size === 1 ? [...lengths][0]! : 0;
  if (rows === 0) {
    throw new ElyteError('malformed', 'the file has a header but no data rows', { file: draft.fileName });
  }
  const warnings = [...(draft.warnings ?? [])];
  const time = draft.channels.time_s;
  if (time) draft.channels.time_s = rebasedTime(time, draft.original, warnings);
  const kind = draft.kind ?? inferKind(draft.channels);
  const technique =
    draft.technique && draft.technique.length > 0 ? draft.technique : defaultTechniqueName(kind);
  return {
    format: draft.format,
    fileName: draft.fileName,
    technique,
    kind,
    rows,
    channels: draft.channels,
    original: draft.original,
    metadata: { extra: {}, ...draft.metadata },
    warnings,
  };
}

/**
 * Time becomes seconds from the first row. A backwards step (instrument clock reset between
 * techniques in a loop) is stitched so time stays monotone, with a warning saying so. Time that
 * already starts at 0 and never decreases is returned as it is, so a reader may share one array
 * between time_s and the file's time column; when it must change, a shared array is copied first
 * (the original column keeps the file's values).
 */
function rebasedTime(time: Float64Array, original: OriginalColumn[], warnings: string[]): Float64Array {
  if (startsAtZeroAndMonotone(time)) return time;
  if (original.some((column) => column.values === time)) time = time.slice();
  rebaseInPlace(time, warnings);
  return time;
}

function startsAtZeroAndMonotone(time: Float64Array): boolean {
  if (time[0] !== 0) return false;
  for (let i = 1; i < time.length; i++) if (!(time[i]! >= time[i - 1]!)) return false;
  return true;
}

function rebaseInPlace(time: Float64Array, warnings: string[]): void {
  const t0 = time[0]!;
  let offset = 0;
  let resets = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < time.length; i++) {
    let t = time[i]! - t0 + offset;
    if (t < previous) {
      offset += previous - t;
      t = previous;
      resets++;
    }
    time[i] = t;
    previous = t;
  }
  if (resets > 0) warnings.push(`time went backwards ${resets} time(s); stitched so it stays monotone`);
}

function defaultTechniqueName(kind: TechniqueKind): string {
  switch (kind) {
    case 'eis':
      return 'EIS';
    case 'voltammetry':
      return 'LSV/CV';
    case 'galvanostatic':
      return 'Galvanostatic';
    case 'potentiostatic':
      return 'Potentiostatic';
    case 'ocv':
      return 'OCV';
    default:
      return 'Unknown';
  }
}
