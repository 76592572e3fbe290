/**
 * The unit vocabulary: base symbols, SI prefixes and the dimensions Elyte asks for. A unit expression
 * such as "mA/cm2" or "mA cm-2" is reduced to an SI factor and an exponent vector over (m, kg, s, A, K),
 * so every spelling of the same quantity is accepted without listing each combination.
 */

/** Exponents of metre, kilogram, second, ampere, kelvin. */
export type DimensionVector = readonly [number, number, number, number, number];

export type Dimension =
  | 'length'
  | 'area'
  | 'voltage'
  | 'current'
  | 'current-density'
  | 'mass'
  | 'temperature'
  | 'time'
  | 'specific-capacity'
  | 'resistance'
  | 'conductivity'
  | 'frequency'
  | 'charge'
  | 'scan-rate';

/** Which values make sense: lengths, areas and masses must be > 0; a voltage or current may be negative. */
export type SignPolicy = 'positive' | 'non-negative' | 'any';

export interface DimensionInfo {
  vector: DimensionVector;
  /** The SI unit the parsed number is in, as written in field names. */
  siUnit: string;
  /** Two spellings shown to the user when a value is refused. */
  examples: readonly [string, string];
  sign: SignPolicy;
  /** Every unit spelling we document and test for this dimension (the parser accepts more, e.g. "A m^-2"). */
  units: readonly string[];
}

/**
 * Specific capacity is returned in C/kg (SI: 1 mAh/g = 3600 C/kg); field names at the edges convert it
 * with toUnit(value, 'mAh/g'). Temperature is returned in kelvin.
 */
export const DIMENSIONS: Readonly<Record<Dimension, DimensionInfo>> = {
  length: {
    vector: [1, 0, 0, 0, 0],
    siUnit: 'm',
    examples: ['100um', '0.1mm'],
    sign: 'positive',
    units: ['m', 'cm', 'mm', 'um', 'µm', 'μm', 'micron', 'nm'],
  },
  area: {
    vector: [2, 0, 0, 0, 0],
    siUnit: 'm²',
    examples: ['2.01cm2', '0.785 cm^2'],
    sign: 'positive',
    units: ['m2', 'cm2', 'cm^2', 'cm²', 'mm2', 'mm^2', 'mm²', 'um2', 'µm²'],
  },
  voltage: {
    vector: [2, 1, -3, -1, 0],
    siUnit: 'V',
    examples: ['10mV', '0.01V'],
    sign: 'any',
    units: ['V', 'mV', 'uV', 'µV', 'kV'],
  },
  current: {
    vector: [0, 0, 0, 1, 0],
    siUnit: 'A',
    examples: ['0.1mA', '50uA'],
    sign: 'any',
    units: ['A', 'mA', 'uA', 'µA', 'nA', 'pA'],
  },
  'current-density': {
    vector: [-2, 0, 0, 1, 0],
    siUnit: 'A/m²',
    examples: ['0.01mA/cm2', '0.1 mA cm-2'],
    sign: 'any',
    units: [
      'A/m2',
      'A/cm2',
      'mA/cm2',
      'mA/cm^2',
      'mA/cm²',
      'mA cm-2',
      'mA cm^-2',
      'mA·cm⁻²',
      'uA/cm2',
      'µA/cm²',
    ],
  },
  mass: {
    vector: [0, 1, 0, 0, 0],
    siUnit: 'kg',
    examples: ['2.0mg', '0.5g'],
    sign: 'positive',
    units: ['kg', 'g', 'mg', 'ug', 'µg'],
  },
  temperature: {
    vector: [0, 0, 0, 0, 1],
    siUnit: 'K',
    examples: ['25C', '298.15K'],
    sign: 'positive',
    units: ['K', 'C', '°C', 'degC', '℃'],
  },
  time: {
    vector: [0, 0, 1, 0, 0],
    siUnit: 's',
    examples: ['30min', '1h'],
    sign: 'non-negative',
    units: ['s', 'ms', 'sec', 'min', 'h', 'hr', 'day'],
  },
  'specific-capacity': {
    vector: [0, -1, 1, 1, 0],
    siUnit: 'C/kg',
    examples: ['170mAh/g', '0.17Ah/g'],
    sign: 'positive',
    units: ['mAh/g', 'mAh g-1', 'Ah/g', 'Ah/kg', 'uAh/g', 'C/g', 'C/kg'],
  },
  resistance: {
    vector: [2, 1, -3, -2, 0],
    siUnit: 'Ω',
    examples: ['120ohm', '1.2kΩ'],
    sign: 'non-negative',
    units: ['ohm', 'Ohm', 'Ω', 'kohm', 'kΩ', 'Mohm', 'MΩ', 'mohm', 'mΩ'],
  },
  conductivity: {
    vector: [-3, -1, 3, 2, 0],
    siUnit: 'S/m',
    examples: ['1mS/cm', '0.1 S/m'],
    sign: 'positive',
    units: ['S/m', 'S/cm', 'mS/cm', 'uS/cm', 'µS/cm', 'S cm-1', 'mS cm^-1'],
  },
  frequency: {
    vector: [0, 0, -1, 0, 0],
    siUnit: 'Hz',
    examples: ['1MHz', '100mHz'],
    sign: 'positive',
    units: ['Hz', 'mHz', 'kHz', 'MHz'],
  },
  charge: {
    vector: [0, 0, 1, 1, 0],
    siUnit: 'C',
    examples: ['1.2mAh', '0.5C'],
    sign: 'non-negative',
    units: ['C', 'mC', 'Ah', 'mAh', 'uAh'],
  },
  'scan-rate': {
    vector: [2, 1, -4, -1, 0],
    siUnit: 'V/s',
    examples: ['1mV/s', '0.1 mV s-1'],
    sign: 'any',
    units: ['V/s', 'mV/s', 'mV s-1', 'uV/s'],
  },
};

export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** factor = scale × 10^exp10, kept apart so "100um" is 100 / 10⁶ (exactly 1e-4), not 100 × 1e-6. */
export interface UnitFactor {
  scale: number;
  exp10: number;
}

interface BaseUnit extends UnitFactor {
  vector: DimensionVector;
  /** SI prefixes allowed (m, k, …)? Not for hours, minutes, microns or degrees. */
  prefixable: boolean;
}

const VOLT: DimensionVector = [2, 1, -3, -1, 0];
const OHM: DimensionVector = [2, 1, -3, -2, 0];

/** Base symbols after normalisation (µ → u, Ω → ohm). Matching is case-sensitive except for "ohm". */
export const BASE_UNITS: Readonly<Record<string, BaseUnit>> = {
  m: { scale: 1, exp10: 0, vector: [1, 0, 0, 0, 0], prefixable: true },
  micron: { scale: 1, exp10: -6, vector: [1, 0, 0, 0, 0], prefixable: false },
  g: { scale: 1, exp10: -3, vector: [0, 1, 0, 0, 0], prefixable: true },
  s: { scale: 1, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: true },
  sec: { scale: 1, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: false },
  min: { scale: 60, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: false },
  h: { scale: 3600, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: false },
  hr: { scale: 3600, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: false },
  day: { scale: 86400, exp10: 0, vector: [0, 0, 1, 0, 0], prefixable: false },
  A: { scale: 1, exp10: 0, vector: [0, 0, 0, 1, 0], prefixable: true },
  Ah: { scale: 3600, exp10: 0, vector: [0, 0, 1, 1, 0], prefixable: true },
  C: { scale: 1, exp10: 0, vector: [0, 0, 1, 1, 0], prefixable: true },
  V: { scale: 1, exp10: 0, vector: VOLT, prefixable: true },
  ohm: { scale: 1, exp10: 0, vector: OHM, prefixable: true },
  S: { scale: 1, exp10: 0, vector: [-2, -1, 3, 2, 0], prefixable: true },
  Hz: { scale: 1, exp10: 0, vector: [0, 0, -1, 0, 0], prefixable: true },
  K: { scale: 1, exp10: 0, vector: [0, 0, 0, 0, 1], prefixable: false },
};

/** SI prefixes as powers of ten. */
export const PREFIXES: Readonly<Record<string, number>> = {
  p: -12,
  n: -9,
  u: -6,
  m: -3,
  c: -2,
  d: -1,
  k: 3,
  M: 6,
  G: 9,
};

export function scaleBy(value: number, factor: UnitFactor): number {
  const scaled = value * factor.scale;
  return factor.exp10 >= 0 ? scaled * 10 ** factor.exp10 : scaled / 10 ** -factor.exp10;
}

export function unscaleBy(value: number, factor: UnitFactor): number {
  const unscaled = factor.exp10 >= 0 ? value / 10 ** factor.exp10 : value * 10 ** -factor.exp10;
  return unscaled / factor.scale;
}

/** Celsius spellings (after normalisation). A bare "C" is Celsius only where a temperature is asked for. */
export const CELSIUS_SPELLINGS: ReadonlySet<string> = new Set(['°C', 'degC', 'C']);
export const KELVIN_OFFSET = 273.15;

export function sameVector(a: DimensionVector, b: DimensionVector): boolean {
  return a.every((value, i) => Math.abs(value - b[i]!) < 1e-12);
}

/** The dimension whose vector this is, if it is one we name (used to say "10mV is a voltage"). */
export function dimensionOfVector(vector: DimensionVector): Dimension | undefined {
  return DIMENSION_NAMES.find((name) => sameVector(DIMENSIONS[name].vector, vector));
}
