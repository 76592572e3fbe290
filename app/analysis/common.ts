/**
 * Plumbing shared by the analyses: option validation (once, with the option named in the error),
 * refusals a technician can act on, channel access and the few statistics every analysis needs.
 * Everything here is SI; units appear only in messages.
 */
import { ElyteError } from '../errors';
import type { CanonicalChannel, Measurement, TechniqueKind } from '../measurement';

/** The analysis ran but cannot produce a trustworthy number: say why, name the file. */
export function refuse(message: string, file?: string, where?: string): ElyteError {
  const details: { file?: string; where?: string } = {};
  if (file !== undefined) details.file = file;
  if (where !== undefined) details.where = where;
  return new ElyteError('analysis', message, details);
}

export function badOption(option: string, message: string): ElyteError {
  return new ElyteError('invalid-argument', message, { where: option });
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Strictly greater than min (default false: min is allowed). */
  exclusiveMin?: boolean;
  integer?: boolean;
}

/** A finite number within its rule, or the default when undefined. Throws naming the option. */
export function numberOption(
  value: unknown,
  option: string,
  fallback: number,
  rule: NumberRule = {},
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badOption(option, `${option} must be a finite number, got ${String(value)}`);
  }
  if (rule.integer && !Number.isInteger(value)) throw badOption(option, `${option} must be an integer`);
  if (rule.min !== undefined) {
    const below = rule.exclusiveMin ? value <= rule.min : value < rule.min;
    if (below) throw badOption(option, `${option} must be ${rule.exclusiveMin ? '>' : '≥'} ${rule.min}`);
  }
  if (rule.max !== undefined && value > rule.max) throw badOption(option, `${option} must be ≤ ${rule.max}`);
  return value;
}

/** Like numberOption but undefined stays undefined (an optional quantity with no default). */
export function optionalNumber(value: unknown, option: string, rule: NumberRule = {}): number | undefined {
  return value === undefined ? undefined : numberOption(value, option, 0, rule);
}

export function choiceOption<T extends string>(
  value: unknown,
  option: string,
  fallback: T,
  choices: readonly T[],
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw badOption(option, `${option} must be one of ${choices.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

export function booleanOption(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw badOption(option, `${option} must be true or false`);
  return value;
}

/** Refuses a file of the wrong technique family before anything is computed. */
export function requireKind(m: Measurement, kinds: readonly TechniqueKind[], analysis: string): void {
  if (!kinds.includes(m.kind)) {
    // The wrong file for this analysis is bad input (CLI exit 2), not an analysis that could not judge.
    throw new ElyteError(
      'invalid-argument',
      `${analysis} needs a ${kinds.join(' or ')} measurement, but this file is ${m.kind} (technique ${m.technique})`,
      { file: m.fileName },
    );
  }
}

export function requireChannel(m: Measurement, channel: CanonicalChannel, analysis: string): Float64Array {
  const values = m.channels[channel];
  if (!values || values.length === 0) {
    throw refuse(`${analysis} needs the ${channel} channel, which this file does not have`, m.fileName);
  }
  return values;
}

/**
 * The current of a record: the current channel, or (files such as BioLogic GCPL .mpr that store only
 * charge) the derivative of the cumulative charge, which integrates back to exactly that charge.
 */
export function currentOf(m: Measurement, analysis: string): { current: Float64Array; derived: boolean } {
  const direct = m.channels.current_A;
  if (direct && direct.length === m.rows) return { current: direct, derived: false };
  const time = requireChannel(m, 'time_s', analysis);
  const chargeC = m.channels.charge_C;
  const capacityAh = m.channels.capacity_Ah;
  const charge = chargeC ?? capacityAh;
  if (!charge) {
    throw refuse(
      `${analysis} needs a current (or cumulative charge) channel; this file has neither`,
      m.fileName,
    );
  }
  const scale = chargeC ? 1 : 3600;
  const current = new Float64Array(m.rows);
  for (let i = 1; i < m.rows; i++) {
    const dt = time[i]! - time[i - 1]!;
    current[i] = dt > 0 ? ((charge[i]! - charge[i - 1]!) * scale) / dt : 0;
  }
  return { current, derived: true };
}

/**
 * A required input the user did not give (area, mass) is bad input (CLI exit 2), like a wrong
 * technique — not an analysis that ran and could not judge (exit 1).
 */
function missingInput(message: string, file: string, where: string): ElyteError {
  return new ElyteError('invalid-argument', message, { file, where });
}

/** Electrode area (m²): the option wins over the file; neither ⇒ refuse (never a guessed area). */
export function areaOf(m: Measurement, option: number | undefined, analysis: string): number {
  const area = option ?? m.metadata.area_m2;
  if (area === undefined || !(area > 0)) {
    throw missingInput(
      `${analysis} needs the electrode area: the file does not record one, give it with --area (e.g. 2.01cm2)`,
      m.fileName,
      '--area',
    );
  }
  return area;
}

/** Active mass (kg): the option wins over the file; neither ⇒ refuse. */
export function massOf(m: Measurement, option: number | undefined, analysis: string): number {
  const mass = option ?? m.metadata.mass_kg;
  if (mass === undefined || !(mass > 0)) {
    throw missingInput(
      `${analysis} needs the active-material mass: the file does not record one, give it with --mass (e.g. 2.0mg)`,
      m.fileName,
      '--mass',
    );
  }
  return mass;
}

/** Median of values[from, to) (copies; the input is not reordered). NaN-free inputs assumed. */
export function median(values: ArrayLike<number>, from = 0, to = values.length): number {
  return quantile(values, 0.5, from, to);
}

export function quantile(values: ArrayLike<number>, q: number, from = 0, to = values.length): number {
  const n = to - from;
  if (n <= 0) return Number.NaN;
  const copy = new Float64Array(n);
  for (let i = 0; i < n; i++) copy[i] = values[from + i]!;
  copy.sort();
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return copy[lo]! + (copy[hi]! - copy[lo]!) * (pos - lo);
}

export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum / (to - from);
}

export function standardDeviation(values: ArrayLike<number>, from = 0, to = values.length): number {
  const m = mean(values, from, to);
  let ss = 0;
  for (let i = from; i < to; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / Math.max(1, to - from - 1));
}

export interface LineFit {
  slope: number;
  intercept: number;
  slopeStderr: number;
  interceptStderr: number;
  /** Residual standard deviation. */
  residualSd: number;
  r2: number;
  n: number;
}

/** Ordinary least squares y = intercept + slope·x over indices [from, to) where keep(i) (default all). */
export function fitLine(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from = 0,
  to = x.length,
  keep?: (i: number) => boolean,
): LineFit {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    if (keep && !keep(i)) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    if (keep && !keep(i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const residualSd = n > 2 ? Math.sqrt(sse / (n - 2)) : 0;
  const slopeStderr = sxx > 0 ? residualSd / Math.sqrt(sxx) : 0;
  const interceptStderr = n > 0 && sxx > 0 ? residualSd * Math.sqrt(1 / n + (mx * mx) / sxx) : 0;
  const r2 = syy > 0 ? 1 - sse / syy : 1;
  return { slope, intercept, slopeStderr, interceptStderr, residualSd, r2, n };
}

/** Coulombs → mAh and per-kg → per-g at the edge: 1 mAh g⁻¹ = 3600 C kg⁻¹. */
export const C_PER_MAH = 3.6;
export const C_PER_KG_PER_MAH_PER_G = 3600;
/** 1 mA cm⁻² = 10 A m⁻². */
export const A_PER_M2_PER_MA_PER_CM2 = 10;

/** Rounds for JSON output at the edge (keeps `digits` significant digits). */
export function sig(value: number, digits = 6): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
