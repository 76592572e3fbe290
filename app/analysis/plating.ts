/**
 * What Li‖Li analyses (CCD, long symmetric cycling) share: the plateau overpotential of a half cycle,
 * and the events on it — a short (an abrupt collapse of |V| that persists), soft shorts (repeated drops
 * that recover, or noise rising on the plateau) and contact loss (|V| at the instrument's limit).
 */
import type { Measurement } from '../measurement';
import {
  areaOf,
  currentOf,
  median,
  numberOption,
  optionalNumber,
  requireChannel,
  requireKind,
} from './common';
import { defaultRestCurrent, type HalfCycle } from './segments';

export interface ShortCriteria {
  /** A short: |V| falls below this fraction of the reference plateau overpotential (default 0.3). */
  shortFraction: number;
  /** …and stays there for this fraction of the rows until the end of the next half cycle (default 0.9). */
  persistFraction: number;
  /** The first part of each half cycle skipped as the polarisation transient (default 0.05). */
  transientFraction: number;
  /** A soft-short drop: |V| below this fraction of the plateau, then recovering (default 0.7). */
  dropFraction: number;
  /** Soft short: at least this many drops in one half cycle (default 2)… */
  minDrops: number;
  /** …or plateau noise rising above this multiple of the first half cycles' noise (default 3). */
  noiseRise: number;
  /** Contact loss: |V| reaching this fraction of the voltage limit (default 0.98). */
  limitFraction: number;
  /** The cell's voltage limit, V (default 5). */
  voltageLimit_V: number;
}

export interface ShortCriteriaOptions {
  shortFraction?: number;
  persistFraction?: number;
  transientFraction?: number;
  dropFraction?: number;
  minDrops?: number;
  noiseRise?: number;
  limitFraction?: number;
  voltageLimit_V?: number;
}

export function validateShortCriteria(o: ShortCriteriaOptions = {}): ShortCriteria {
  const fraction = { min: 0, max: 1, exclusiveMin: true };
  return {
    shortFraction: numberOption(o.shortFraction, 'shortFraction', 0.3, fraction),
    persistFraction: numberOption(o.persistFraction, 'persistFraction', 0.9, fraction),
    transientFraction: numberOption(o.transientFraction, 'transientFraction', 0.05, { min: 0, max: 0.5 }),
    dropFraction: numberOption(o.dropFraction, 'dropFraction', 0.7, fraction),
    minDrops: numberOption(o.minDrops, 'minDrops', 2, { min: 1, integer: true }),
    noiseRise: numberOption(o.noiseRise, 'noiseRise', 3, { min: 1 }),
    limitFraction: numberOption(o.limitFraction, 'limitFraction', 0.98, fraction),
    voltageLimit_V: numberOption(o.voltageLimit_V, 'voltageLimit_V', 5, { min: 0, exclusiveMin: true }),
  };
}

export function describeCriteria(c: ShortCriteria): string {
  return (
    `short: |V| below ${c.shortFraction * 100} % of the preceding plateau overpotential for ≥ ${c.persistFraction * 100} % ` +
    `of the rows to the end of the next half cycle (first ${c.transientFraction * 100} % of each half cycle skipped); ` +
    `soft short: ≥ ${c.minDrops} recovering drops below ${c.dropFraction * 100} % of the plateau, or plateau noise ` +
    `> ${c.noiseRise}× the first half cycles'; contact loss: |V| ≥ ${c.limitFraction * 100} % of ${c.voltageLimit_V} V`
  );
}

/** Median |V| of the middle 50 % of the half cycle's rows (the plateau, free of both transients). */
export function plateauOverpotential(voltage: Float64Array, h: HalfCycle): number {
  const n = h.end - h.start + 1;
  const from = h.start + Math.floor(n / 4);
  const to = Math.max(from + 1, h.start + Math.ceil((3 * n) / 4));
  const abs = new Float64Array(to - from);
  for (let i = from; i < to; i++) abs[i - from] = Math.abs(voltage[i]!);
  return median(abs);
}

/** Relative plateau noise: median |ΔV| between neighbours of the middle 50 %, over the plateau |V|. */
export function plateauNoise(voltage: Float64Array, h: HalfCycle, plateau: number): number {
  const n = h.end - h.start + 1;
  const from = h.start + Math.floor(n / 4);
  const to = h.start + Math.ceil((3 * n) / 4);
  if (to - from < 3 || plateau <= 0) return 0;
  const d = new Float64Array(to - from - 1);
  for (let i = from + 1; i < to; i++) d[i - from - 1] = Math.abs(voltage[i]! - voltage[i - 1]!);
  return median(d) / plateau;
}

export interface CollapseEvent {
  /** Row where |V| first fell below the short level. */
  row: number;
  time_s: number;
  /** |V| level that defined the short, V. */
  level_V: number;
}

/**
 * The first row of half cycle `h` where |V| drops below shortFraction·reference and stays there for
 * persistFraction of the rows until the end of the next half cycle (or of the record).
 */
export function findCollapse(
  time: Float64Array,
  voltage: Float64Array,
  h: HalfCycle,
  next: HalfCycle | undefined,
  reference: number,
  c: ShortCriteria,
): CollapseEvent | null {
  const level = c.shortFraction * reference;
  const n = h.end - h.start + 1;
  const first = h.start + Math.floor(c.transientFraction * n);
  const windowEnd = next ? next.end : voltage.length - 1;
  // Rows below the level from i to the window end, for every i, in one backward pass.
  const belowFrom = new Uint32Array(windowEnd - first + 2);
  for (let j = windowEnd; j >= first; j--) {
    belowFrom[j - first] = belowFrom[j - first + 1]! + (Math.abs(voltage[j]!) < level ? 1 : 0);
  }
  for (let i = first; i <= h.end; i++) {
    if (Math.abs(voltage[i]!) >= level) continue;
    if (belowFrom[i - first]! >= c.persistFraction * (windowEnd - i + 1)) {
      return { row: i, time_s: time[i]!, level_V: level };
    }
  }
  return null;
}

/** Recovering drops on the plateau: runs below dropFraction·plateau that climb back above 0.9·plateau. */
export function countDrops(voltage: Float64Array, h: HalfCycle, plateau: number, c: ShortCriteria): number {
  const n = h.end - h.start + 1;
  const first = h.start + Math.floor(Math.max(c.transientFraction, 0.1) * n);
  let drops = 0;
  let inDrop = false;
  for (let i = first; i <= h.end; i++) {
    const a = Math.abs(voltage[i]!);
    if (!inDrop && a < c.dropFraction * plateau) inDrop = true;
    else if (inDrop && a > 0.9 * plateau) {
      inDrop = false;
      drops++;
    }
  }
  return drops;
}

/** First row of the half cycle at the voltage limit, or null. */
export function findLimit(voltage: Float64Array, h: HalfCycle, c: ShortCriteria): number | null {
  const level = c.limitFraction * c.voltageLimit_V;
  for (let i = h.start; i <= h.end; i++) if (Math.abs(voltage[i]!) >= level) return i;
  return null;
}

/** The options every Li‖Li analysis takes besides its own. */
export interface LithiumCellOptions extends ShortCriteriaOptions {
  /** Electrode area, m² (default: the file's; neither ⇒ refused). */
  area_m2?: number;
  /** |I| at or below this is rest, A (default 0.5 % of the 99th-percentile |I|). */
  restCurrent_A?: number;
}

/** The channels, area and shared options of a Li‖Li record, checked in one order for every analysis. */
export function lithiumCellInputs(m: Measurement, options: LithiumCellOptions, analysis: string) {
  requireKind(m, ['galvanostatic', 'other'], analysis);
  const time = requireChannel(m, 'time_s', analysis);
  const voltage = requireChannel(m, 'voltage_V', analysis);
  const { current } = currentOf(m, analysis);
  const area = areaOf(
    m,
    optionalNumber(options.area_m2, 'area_m2', { min: 0, exclusiveMin: true }),
    analysis,
  );
  const criteria = validateShortCriteria(options);
  const rest = numberOption(options.restCurrent_A, 'restCurrent_A', defaultRestCurrent(current), { min: 0 });
  return { time, voltage, current, area, criteria, rest };
}
