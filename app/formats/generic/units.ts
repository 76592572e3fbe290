/**
 * Units at the edge: splits "Voltage (V)", "I/mA", "Current [µA]", "Z' / Ohm" into a name and a unit,
 * and converts a unit to the SI unit of a canonical channel (mA → A, kΩ → Ω, min → s, K → °C, mAh → Ah).
 * An unknown or mismatched unit is an error naming the column, never a silent guess.
 */
import { ElyteError } from '../../errors';
import type { CanonicalChannel } from '../../measurement';

/** What a canonical channel measures; units convert only within one dimension. */
type Dimension =
  | 'time'
  | 'voltage'
  | 'current'
  | 'charge'
  | 'capacity'
  | 'energy'
  | 'power'
  | 'resistance'
  | 'frequency'
  | 'temperature'
  | 'angle'
  | 'count';

export const CHANNEL_DIMENSION: Record<CanonicalChannel, Dimension> = {
  time_s: 'time',
  voltage_V: 'voltage',
  current_A: 'current',
  charge_C: 'charge',
  capacity_Ah: 'capacity',
  charge_capacity_Ah: 'capacity',
  discharge_capacity_Ah: 'capacity',
  energy_Wh: 'energy',
  power_W: 'power',
  frequency_Hz: 'frequency',
  z_real_ohm: 'resistance',
  z_imag_ohm: 'resistance',
  z_mod_ohm: 'resistance',
  z_phase_deg: 'angle',
  cycle: 'count',
  step: 'count',
  half_cycle: 'count',
  temperature_C: 'temperature',
  control_V: 'voltage',
  control_A: 'current',
  counter_voltage_V: 'voltage',
};

/** value_in_channel_unit = value × scale + offset. */
export interface UnitConversion {
  scale: number;
  offset: number;
}

const PREFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  m: 1e-3,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  n: 1e-9,
  p: 1e-12,
};

/** Base unit symbols (after normalising spelling) for each dimension, with their factor to the channel unit. */
const BASE_UNITS: Record<Dimension, Record<string, number>> = {
  time: { s: 1, sec: 1, min: 60, h: 3600, hr: 3600, d: 86400 },
  voltage: { V: 1 },
  current: { A: 1 },
  charge: { C: 1, Ah: 3600 },
  capacity: { Ah: 1, C: 1 / 3600 },
  energy: { Wh: 1, J: 1 / 3600 },
  power: { W: 1 },
  resistance: { '\u03a9': 1 },
  frequency: { Hz: 1 },
  temperature: {},
  angle: { '°': 1, rad: 180 / Math.PI },
  count: { '': 1 },
};

/** Prefixes that make sense per dimension ("ms" yes, "kmin" no). */
const PREFIXABLE: Record<Dimension, string[]> = {
  time: ['s'],
  voltage: ['V'],
  current: ['A'],
  charge: ['C', 'Ah'],
  capacity: ['Ah', 'C'],
  energy: ['Wh', 'J'],
  power: ['W'],
  resistance: ['\u03a9'],
  frequency: ['Hz'],
  temperature: [],
  angle: [],
  count: [],
};

/** Spelling variants instruments write → one symbol. */
function normaliseUnit(unit: string): string {
  let u = unit.trim().replace(/\s+/g, '');
  u = u.replace(/^\[|\]$/g, '').replace(/^\(|\)$/g, '');
  u = u.replace(/\u2126/gu, '\u03a9').replace(/ohms?$/i, '\u03a9');
  u = u.replace(/^(.?)amps?$/i, '$1A');
  u = u.replace(/^(.?)volts?$/i, '$1V');
  u = u.replace(/^(.?)hz$/i, '$1Hz');
  if (/^(secs?|seconds?)$/i.test(u)) return 's';
  if (/^(mins?|minutes?)$/i.test(u)) return 'min';
  if (/^(hrs?|hours?)$/i.test(u)) return 'h';
  if (/^(days?)$/i.test(u)) return 'd';
  if (/^(deg|degrees?)$/i.test(u)) return '°';
  if (/^(°c|degc|celsius|℃)$/i.test(u)) return '°C';
  if (/^(amp-?hr|a\.?h)$/i.test(u)) return 'Ah';
  if (/^(watt-?hr|w\.?h)$/i.test(u)) return 'Wh';
  if (/^m-?ah$/i.test(u)) return 'mAh';
  if (/^m-?wh$/i.test(u)) return 'mWh';
  return u;
}

/**
 * Conversion from `unit` to the SI unit of `channel`, or null when the unit does not belong to it.
 * Temperature: °C, C and K (K → °C subtracts 273.15); °F is converted too.
 */
export function unitConversion(channel: CanonicalChannel, unit: string): UnitConversion | null {
  const dimension = CHANNEL_DIMENSION[channel];
  const u = normaliseUnit(unit);
  if (dimension === 'temperature') {
    if (u === '°C' || u === 'C' || u === '') return u === '' ? null : { scale: 1, offset: 0 };
    if (u === 'K') return { scale: 1, offset: -273.15 };
    if (u === '°F' || u === 'F') return { scale: 5 / 9, offset: (-32 * 5) / 9 };
    return null;
  }
  if (dimension === 'count') return u === '' || u === '#' ? { scale: 1, offset: 0 } : null;
  const bases = BASE_UNITS[dimension];
  const direct = bases[u];
  if (direct !== undefined) return { scale: direct, offset: 0 };
  for (const base of PREFIXABLE[dimension]) {
    if (u.length > base.length && u.endsWith(base)) {
      const prefix = PREFIX[u.slice(0, u.length - base.length)];
      const factor = bases[base];
      if (prefix !== undefined && factor !== undefined) return { scale: prefix * factor, offset: 0 };
    }
  }
  return null;
}

/** Like unitConversion, but throws an 'invalid-argument' error naming the column and the unit. */
export function requireUnitConversion(
  channel: CanonicalChannel,
  unit: string,
  column: string,
  fileName: string,
): UnitConversion {
  const conversion = unitConversion(channel, unit);
  if (!conversion) {
    throw new ElyteError(
      'invalid-argument',
      `column "${column}" has unit "${unit}", which cannot be converted to ${channel} ` +
        `(expected a ${CHANNEL_DIMENSION[channel]} unit such as ${exampleUnits(channel)})`,
      { file: fileName, where: `column "${column}"` },
    );
  }
  return conversion;
}

function exampleUnits(channel: CanonicalChannel): string {
  switch (CHANNEL_DIMENSION[channel]) {
    case 'time':
      return 's, ms, min, h';
    case 'voltage':
      return 'V, mV';
    case 'current':
      return 'A, mA, µA, nA';
    case 'charge':
      return 'C, mC, mAh';
    case 'capacity':
      return 'Ah, mAh, µAh';
    case 'energy':
      return 'Wh, mWh, J';
    case 'power':
      return 'W, mW';
    case 'resistance':
      return 'Ohm, mOhm, kOhm';
    case 'frequency':
      return 'Hz, kHz, mHz';
    case 'temperature':
      return '°C, K';
    case 'angle':
      return 'deg, rad';
    default:
      return 'none (a plain number)';
  }
}

/** Converts values in place to the channel unit. */
export function applyConversion(values: Float64Array, conversion: UnitConversion): Float64Array {
  if (conversion.scale === 1 && conversion.offset === 0) return values;
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * conversion.scale + conversion.offset;
  return values;
}

/** A header split into the quantity name and the unit written with it ('' when none). */
export interface HeaderUnit {
  name: string;
  unit: string;
}

/** True when `text` reads as a unit of any dimension (used to tell "Re(Z)" from "Voltage (V)"). */
export function isKnownUnit(text: string): boolean {
  const u = normaliseUnit(text);
  if (u === '' || u === '°C' || u === 'K' || u === '%') return u !== '';
  const probes: CanonicalChannel[] = [
    'time_s',
    'voltage_V',
    'current_A',
    'charge_C',
    'energy_Wh',
    'power_W',
    'z_real_ohm',
    'frequency_Hz',
    'z_phase_deg',
  ];
  return probes.some((channel) => unitConversion(channel, u) !== null);
}

/**
 * Splits a column header into name and unit. Recognised forms: "Voltage (V)", "Current [µA]",
 * "I/mA", "Z' / Ohm", "Ewe/V". "Re(Z)" keeps its parentheses because "Z" is not a unit.
 */
export function parseHeaderUnit(header: string): HeaderUnit {
  const h = header.trim();
  const bracket = /^(.*?)\s*\[([^\]]*)\]$/.exec(h);
  if (bracket?.[1]) return { name: bracket[1].trim(), unit: bracket[2]!.trim() };
  const paren = /^(.*?)\s*\(([^()]*)\)$/.exec(h);
  if (paren?.[1] && isKnownUnit(paren[2]!)) return { name: paren[1].trim(), unit: paren[2]!.trim() };
  const slash = h.lastIndexOf('/');
  if (slash > 0 && slash < h.length - 1) {
    const unit = h.slice(slash + 1).trim();
    const name = h.slice(0, slash).trim();
    // "dVdt (I/h)" is a name with a slash inside parentheses, not "dVdt (I" in "h)".
    const balanced = name.split('(').length === name.split(')').length;
    if (balanced && isKnownUnit(unit)) return { name, unit };
  }
  return { name: h, unit: '' };
}
