/**
 * EC-Lab column names ("Ewe/V", "<I>/mA", "-Im(Z)/Ohm", "Q charge/discharge/mA.h") → Elyte's canonical
 * channels in SI units. Shared by the .mpt and .mpr readers, which both name columns the EC-Lab way.
 */
import type { CanonicalChannel, NumericColumn, OriginalColumn } from '../../measurement';

/** Splits an EC-Lab column header into name and unit: "Ewe/V" → ["Ewe", "V"], "mode" → ["mode", ""]. */
export function splitHeader(header: string): { quantity: string; unit: string } {
  const text = header.trim();
  // Some exports bracket the whole header: "<Ewe/V>" is the quantity "<Ewe>" in V.
  const bracketed = /^<([^<>/]+)\/([^<>]+)>$/.exec(text);
  if (bracketed) return { quantity: `<${bracketed[1]!.trim()}>`, unit: bracketed[2]!.trim() };
  // control/V/mA is one quantity whose unit depends on the control mode.
  if (text.endsWith('/V/mA')) return { quantity: text.slice(0, -5), unit: 'V/mA' };
  const slash = text.lastIndexOf('/');
  if (slash <= 0) return { quantity: text, unit: '' };
  // The unit is after the last slash: "Q charge/discharge/mA.h" is quantity "Q charge/discharge".
  const unit = text.slice(slash + 1).trim();
  return { quantity: text.slice(0, slash).trim(), unit };
}

const SI_PREFIX: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  m: 1e-3,
  µ: 1e-6,
  μ: 1e-6,
  u: 1e-6,
  n: 1e-9,
  p: 1e-12,
};

/** Factor from `unit` to `base` ('mA' → 'A' is 1e-3), or undefined when the unit is not a prefixed base. */
export function prefixFactor(unit: string, base: string): number | undefined {
  if (!unit.endsWith(base)) return undefined;
  return SI_PREFIX[unit.slice(0, unit.length - base.length)];
}

interface Rule {
  channel: CanonicalChannel;
  /** Multiplies the file's value into the canonical unit, or undefined when the unit does not fit. */
  factor: (unit: string) => number | undefined;
}

const exactUnit =
  (wanted: string, factor = 1) =>
  (unit: string): number | undefined =>
    unit === wanted ? factor : undefined;
const prefixed =
  (base: string, scale = 1) =>
  (unit: string): number | undefined => {
    const f = prefixFactor(unit, base);
    return f === undefined ? undefined : f * scale;
  };
const noUnit = (unit: string): number | undefined => (unit === '' ? 1 : undefined);
const ohm = (unit: string): number | undefined =>
  unit === 'Ohm' || unit === 'Ω' ? 1 : unit === 'kOhm' || unit === 'kΩ' ? 1e3 : undefined;
/** mA.h → C (×3.6) or C → C. */
const toCoulomb = (unit: string): number | undefined => {
  if (unit === 'C') return 1;
  if (unit === 'mC') return 1e-3;
  if (unit === 'mA.h' || unit === 'mAh') return 3.6;
  if (unit === 'A.h' || unit === 'Ah') return 3600;
  return undefined;
};
/** mA.h → Ah, A.h → Ah. */
const toAmpHour = (unit: string): number | undefined => {
  if (unit === 'mA.h' || unit === 'mAh') return 1e-3;
  if (unit === 'A.h' || unit === 'Ah') return 1;
  if (unit === 'µA.h' || unit === 'uA.h') return 1e-6;
  return undefined;
};

/** Quantity name (as EC-Lab writes it before the slash) → rule. First matching column wins. */
const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['time', { channel: 'time_s', factor: exactUnit('s') }],
  ['Ewe', { channel: 'voltage_V', factor: prefixed('V') }],
  ['<Ewe>', { channel: 'voltage_V', factor: prefixed('V') }],
  ['Ecell', { channel: 'voltage_V', factor: prefixed('V') }],
  ['<Ecell>', { channel: 'voltage_V', factor: prefixed('V') }],
  ['I', { channel: 'current_A', factor: prefixed('A') }],
  ['<I>', { channel: 'current_A', factor: prefixed('A') }],
  ['freq', { channel: 'frequency_Hz', factor: prefixed('Hz') }],
  ['Re(Z)', { channel: 'z_real_ohm', factor: ohm }],
  // EC-Lab writes −Im(Z): positive for capacitive behaviour. Elyte keeps Im(Z) itself (negative).
  ['-Im(Z)', { channel: 'z_imag_ohm', factor: (u) => negate(ohm(u)) }],
  ['Im(Z)', { channel: 'z_imag_ohm', factor: ohm }],
  ['|Z|', { channel: 'z_mod_ohm', factor: ohm }],
  ['Phase(Z)', { channel: 'z_phase_deg', factor: exactUnit('deg') }],
  ['cycle number', { channel: 'cycle', factor: noUnit }],
  ['Ns', { channel: 'step', factor: noUnit }],
  ['half cycle', { channel: 'half_cycle', factor: noUnit }],
  ['(Q-Qo)', { channel: 'charge_C', factor: toCoulomb }],
  ['Q charge/discharge', { channel: 'capacity_Ah', factor: toAmpHour }],
  ['Q charge', { channel: 'charge_capacity_Ah', factor: toAmpHour }],
  ['Q discharge', { channel: 'discharge_capacity_Ah', factor: toAmpHour }],
  ['P', { channel: 'power_W', factor: prefixed('W') }],
  ['Pwe', { channel: 'power_W', factor: prefixed('W') }],
  ['Temperature', { channel: 'temperature_C', factor: (u) => (u === '°C' ? 1 : undefined) }],
  ['control', { channel: 'control_V', factor: prefixed('V') }],
  ['Ece', { channel: 'counter_voltage_V', factor: prefixed('V') }],
  ['<Ece>', { channel: 'counter_voltage_V', factor: prefixed('V') }],
]);

function negate(value: number | undefined): number | undefined {
  return value === undefined ? undefined : -value;
}

/** Where a canonical channel comes from: the original column index and the factor to apply. */
export interface ChannelSource {
  channel: CanonicalChannel;
  column: number;
  factor: number;
}

/** Picks, for each canonical channel, the first original column that maps to it. */
export function planChannels(headers: readonly string[]): ChannelSource[] {
  const plan: ChannelSource[] = [];
  const taken = new Set<CanonicalChannel>();
  headers.forEach((header, column) => {
    const { quantity, unit } = splitHeader(header);
    let rule = RULES.get(quantity);
    // control/mA is the current set-point, control/V the potential one.
    if (quantity === 'control' && prefixFactor(unit, 'A') !== undefined) {
      rule = { channel: 'control_A', factor: prefixed('A') };
    }
    if (!rule || taken.has(rule.channel)) return;
    const factor = rule.factor(unit);
    if (factor === undefined) return;
    taken.add(rule.channel);
    plan.push({ channel: rule.channel, column, factor });
  });
  return plan;
}

/**
 * Builds canonical channels from the decoded original columns. A channel in the file's own unit shares
 * the original array (no copy), except time, which finishMeasurement rebases in place.
 */
export function buildChannels(
  plan: readonly ChannelSource[],
  original: readonly OriginalColumn[],
): Partial<Record<CanonicalChannel, Float64Array>> {
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {};
  for (const { channel, column, factor } of plan) {
    const values = original[column]?.values;
    if (!(values instanceof Float64Array)) continue;
    if (factor === 1 && channel !== 'time_s') {
      channels[channel] = values;
      continue;
    }
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
    channels[channel] = out;
  }
  return channels;
}

/**
 * Channels EC-Lab's text export computes from the stored columns and analyses need, computed the same
 * way so an .mpr and the .mpt exported from it give the same channels (checked on public twin pairs
 * with `scripts/compare-twins.ts`). Each is filled only when the file has no column for it:
 * - current_A: ⟨I⟩ = dq/Δt per point (GCPL stores the charge increment, not the current);
 * - z_real_ohm / z_imag_ohm: from |Z| and Phase(Z) (Modulo Bat stores only those).
 * The export's other computed columns (cycle number = ⌊half cycle / 2⌋, set-points split by control
 * mode, charge/discharge split, power) are not repeated: the file's own columns hold the same
 * information, and each would cost a million-row file another 8 MB and its decode speed.
 */
export function deriveEcLabChannels(
  channels: Partial<Record<CanonicalChannel, Float64Array>>,
  original: readonly OriginalColumn[],
): void {
  const wide = (name: string): Float64Array | undefined => {
    const values = original.find((c) => c.name === name)?.values;
    return values === undefined || Array.isArray(values) ? undefined : asFloat64(values);
  };
  const time = wide('time/s');
  const dq = wide('dq/mA.h');
  if (!channels.current_A && time && dq) {
    channels.current_A = new Float64Array(time.length);
    currentFromIncrements(time, dq, channels.current_A, 0, time.length);
  }
  const modulus = channels.z_mod_ohm;
  const phase = channels.z_phase_deg;
  if (modulus && phase && !channels.z_real_ohm && !channels.z_imag_ohm) {
    const real = new Float64Array(modulus.length);
    const imaginary = new Float64Array(modulus.length);
    for (let i = 0; i < modulus.length; i++) {
      const radians = (phase[i]! * Math.PI) / 180;
      real[i] = modulus[i]! * Math.cos(radians);
      imaginary[i] = modulus[i]! * Math.sin(radians); // Im(Z): negative for capacitive behaviour
    }
    channels.z_real_ohm = real;
    channels.z_imag_ohm = imaginary;
  }
}

/** The column itself when it is Float64 (EC-Lab stores time and dq so), else a widened copy. */
export function asFloat64(values: NumericColumn): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** ⟨I⟩ in A for rows [first, end) from time (s) and charge increments (mA·h); 0 where Δt ≤ 0, as EC-Lab writes it. */
export function currentFromIncrements(
  time: Float64Array,
  dq_mAh: Float64Array,
  out: Float64Array,
  first: number,
  end: number,
): void {
  for (let i = Math.max(first, 1); i < end; i++) {
    const dt = time[i]! - time[i - 1]!;
    out[i] = dt > 0 ? (dq_mAh[i]! * 3.6) / dt : 0; // mA·h → C
  }
}
