/**
 * The one shape every instrument file becomes. Canonical channels carry their SI unit in their name
 * (time_s, voltage_V, …) so a value can never be read in the wrong unit; the original columns are
 * kept beside them with their original names and units so nothing in the file is lost.
 */

/** Broad family of a technique, used to choose analyses and plots. */
export type TechniqueKind = 'eis' | 'voltammetry' | 'galvanostatic' | 'potentiostatic' | 'ocv' | 'other';

export const TECHNIQUE_KINDS: readonly TechniqueKind[] = [
  'eis',
  'voltammetry',
  'galvanostatic',
  'potentiostatic',
  'ocv',
  'other',
];

/**
 * Canonical channel names → their unit as shown to people. Readers fill whichever the file has.
 * Impedance: z_imag_ohm is negative for capacitive behaviour, whatever sign the file used.
 */
export const CANONICAL_CHANNELS = {
  time_s: 's',
  voltage_V: 'V',
  current_A: 'A',
  charge_C: 'C',
  capacity_Ah: 'Ah',
  charge_capacity_Ah: 'Ah',
  discharge_capacity_Ah: 'Ah',
  energy_Wh: 'Wh',
  power_W: 'W',
  frequency_Hz: 'Hz',
  z_real_ohm: 'Ω',
  z_imag_ohm: 'Ω',
  z_mod_ohm: 'Ω',
  z_phase_deg: '°',
  cycle: '',
  step: '',
  half_cycle: '',
  temperature_C: '°C',
  control_V: 'V',
  control_A: 'A',
  counter_voltage_V: 'V',
} as const;

export type CanonicalChannel = keyof typeof CANONICAL_CHANNELS;

export function isCanonicalChannel(name: string): name is CanonicalChannel {
  return Object.hasOwn(CANONICAL_CHANNELS, name);
}

/**
 * Numbers of an original column, in the width the file stores them: a binary reader keeps float32
 * values, 16-bit counters and bit flags as such (a million-row file then allocates a fraction of the
 * memory). Canonical channels are always Float64Array in SI units.
 */
export type NumericColumn =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** A column exactly as the file had it (after number decoding). Text columns stay text. */
export interface OriginalColumn {
  name: string;
  /** Unit as written in the file ('mA', 'Ohm', ''), after decoding to Unicode. */
  unit: string;
  values: NumericColumn | string[];
  /**
   * Set when the file stores text as codes (a cycler's step-type byte): `values` are those codes and
   * `labels[code]` the text they stand for. One byte a row instead of a million strings.
   */
  labels?: readonly string[];
}

/** The column's text (its strings, or its codes looked up in `labels`); null for a numeric column. */
export function columnText(column: OriginalColumn): string[] | null {
  const { values, labels } = column;
  if (Array.isArray(values)) return values;
  if (!labels) return null;
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = labels[values[i]!] ?? '';
  return out;
}

export interface MeasurementMetadata {
  /** Electrode area in m² (files usually say cm²; converted at the edge). */
  area_m2?: number;
  /** Active material mass in kg (files usually say mg or g). */
  mass_kg?: number;
  /** Absolute start time of the measurement, ISO 8601, when the file has one. */
  startTime?: string;
  /** Maker and model as the file names them, e.g. "BioLogic VMP3", "Gamry Reference 600". */
  instrument?: string;
  softwareVersion?: string;
  /** Instrument channel, e.g. "3" or "C09". */
  channel?: string;
  serialNumber?: string;
  /** Cell temperature in °C when the file records one setting. */
  temperature_C?: number;
  /** Electrolyte/film thickness in m when the file records it (rare). */
  thickness_m?: number;
  /** Every other header key → value the reader found, verbatim, so nothing is lost. */
  extra: Record<string, string>;
}

export interface Measurement {
  /** Reader id, e.g. 'biologic-mpt', 'biologic-mpr', 'gamry-dta', 'neware-nda'. */
  format: string;
  /** The file name it came from (no directory). */
  fileName: string;
  /** Technique as the instrument names it: 'PEIS', 'GCPL', 'CA', 'LSV', 'EISPOT', … */
  technique: string;
  kind: TechniqueKind;
  /** Number of data rows; every channel and original column has this length. */
  rows: number;
  /** Canonical channels in SI units (see CANONICAL_CHANNELS). */
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  /** Every column of the file, in file order, with its original name and unit. */
  original: OriginalColumn[];
  metadata: MeasurementMetadata;
  /** Things the reader noticed and the user should know (skipped rows, aborted curve, …). */
  warnings: string[];
}

/** Options every reader accepts. */
export interface ParseOptions {
  /** Generic CSV/XLSX: which column is which canonical channel, with its unit. */
  columns?: ColumnMapping;
  /** Called now and then with the fraction done (0…1). */
  onProgress?: (fraction: number) => void;
  /** Checked between chunks; when it returns true the reader throws a 'cancelled' ElyteError. */
  isCancelled?: () => boolean;
  /** Wall-clock guard in ms (default 120 000). */
  timeLimitMs?: number;
}

/** Generic-table mapping: canonical channel → source column (name or 0-based index) and its unit. */
export type ColumnMapping = Partial<Record<CanonicalChannel, { column: string | number; unit: string }>>;

/** A reader for one instrument format: one module under app/formats/. */
export interface FormatReader {
  /** Stable id reported as `format` by `elyte inspect` ('biologic-mpt'). */
  id: string;
  /** Human label ('BioLogic EC-Lab text (.mpt)'). */
  label: string;
  /** Lower-case extensions without the dot, for the file picker and as a tie-breaker only. */
  extensions: string[];
  /**
   * How sure this reader is that the bytes are its format, from content (0 = no, 1 = certain).
   * `head` is at most the first 64 KiB; readers must not assume they see the whole file here.
   */
  sniff(head: Uint8Array, fileName: string): number;
  /** Decodes the whole file. Throws ElyteError naming the file and where it failed. */
  parse(bytes: Uint8Array, fileName: string, options?: ParseOptions): Measurement;
}
