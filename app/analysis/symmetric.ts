/**
 * Long Li‖Li (symmetric) cycling: the plateau overpotential of each half cycle (median of its middle
 * 50 %), its trend, the time to a short (null if it never shorted) and the areal capacity passed.
 */
import type { Measurement } from '../measurement';
import { A_PER_M2_PER_MA_PER_CM2, fitLine, numberOption, refuse, sig } from './common';
import {
  type CollapseEvent,
  countDrops,
  describeCriteria,
  findCollapse,
  findLimit,
  type LithiumCellOptions,
  lithiumCellInputs,
  plateauNoise,
  plateauOverpotential,
  type ShortCriteria,
} from './plating';
import { type HalfCycle, segmentHalfCycles } from './segments';

export interface SymmetricOptions extends LithiumCellOptions {
  /** The short's reference overpotential is the median of this many preceding half cycles (default 3). */
  referenceHalfCycles?: number;
}

export interface SymmetricHalfCycle {
  index: number;
  direction: HalfCycle['direction'];
  startTime_s: number;
  endTime_s: number;
  currentDensity_A_per_m2: number;
  overpotential_V: number;
  softShort: boolean;
}

export interface SymmetricResult {
  file: string;
  area_m2: number;
  choices: {
    restCurrent_A: number;
    overpotential: string;
    criteria: ShortCriteria;
    criteriaText: string;
    referenceHalfCycles: number;
  };
  halfCycles: SymmetricHalfCycle[];
  /** Median |I|/A over the half cycles, A m⁻². */
  currentDensity_A_per_m2: number;
  /** Mean plateau overpotential over the half cycles before failure, V. */
  overpotential_V: number;
  /** Linear trend of the overpotential with time before failure, V s⁻¹ (and its stderr). */
  overpotentialTrend_V_per_s: number;
  overpotentialTrend_V_per_s_stderr: number;
  /** The short: where and when (null if the cell never shorted in the record). */
  short: CollapseEvent | null;
  failureTime_s: number | null;
  contactLossTime_s: number | null;
  /** Full cycles completed before failure (or in the record). */
  cycles: number;
  /** Charge passed per area (one direction's half cycles counted each time), C m⁻². */
  arealCharge_C_per_m2: number;
  recordDuration_s: number;
  warnings: string[];
}

export function analyseSymmetric(m: Measurement, options: SymmetricOptions = {}): SymmetricResult {
  const analysis = 'Li‖Li cycling analysis';
  const { time, voltage, current, area, criteria, rest } = lithiumCellInputs(m, options, analysis);
  const refCount = numberOption(options.referenceHalfCycles, 'referenceHalfCycles', 3, {
    min: 1,
    integer: true,
  });
  const halves = segmentHalfCycles(time, current, voltage, { restCurrent_A: rest, minCharge_C: 0 });
  if (halves.length < 2) {
    throw refuse(`found ${halves.length} half cycle(s); Li‖Li cycling needs alternating current`, m.fileName);
  }
  const warnings: string[] = [];
  const rows: SymmetricHalfCycle[] = [];
  const plateaus: number[] = [];
  let short: CollapseEvent | null = null;
  let contactLoss: number | null = null;
  let baselineNoise = 0;
  for (let k = 0; k < halves.length; k++) {
    const h = halves[k]!;
    const plateau = plateauOverpotential(voltage, h);
    const previous = plateaus.slice(-refCount);
    const reference = previous.length > 0 ? medianOf(previous) : plateau;
    if (k > 0) {
      const collapse = findCollapse(time, voltage, h, halves[k + 1], reference, criteria);
      if (collapse) {
        short = collapse;
        break;
      }
    }
    const limitRow = findLimit(voltage, h, criteria);
    if (limitRow !== null) {
      contactLoss = time[limitRow]!;
      warnings.push(
        `contact loss: |V| reached the ${criteria.voltageLimit_V} V limit at ${fmtH(contactLoss)} h`,
      );
      break;
    }
    const noise = plateauNoise(voltage, h, plateau);
    if (k < 4) baselineNoise = Math.max(baselineNoise, noise);
    const soft =
      countDrops(voltage, h, plateau, criteria) >= criteria.minDrops ||
      (k >= 4 && baselineNoise > 0 && noise > criteria.noiseRise * baselineNoise);
    plateaus.push(plateau);
    rows.push({
      index: h.index,
      direction: h.direction,
      startTime_s: h.startTime_s,
      endTime_s: h.endTime_s,
      currentDensity_A_per_m2: h.meanCurrent_A / area,
      overpotential_V: plateau,
      softShort: soft,
    });
  }
  if (rows.length === 0)
    throw refuse('the cell failed in its first half cycle; no overpotential to report', m.fileName);
  const softCount = rows.filter((r) => r.softShort).length;
  if (softCount > 0)
    warnings.push(`${softCount} half cycle(s) show soft-short signs (drops or rising noise)`);
  const mid = Float64Array.from(rows, (r) => (r.startTime_s + r.endTime_s) / 2);
  const eta = Float64Array.from(rows, (r) => r.overpotential_V);
  const trend = rows.length >= 3 ? fitLine(mid, eta) : null;
  const densities = rows.map((r) => r.currentDensity_A_per_m2).sort((a, b) => a - b);
  const failure = short ? short.time_s : contactLoss;
  const end = failure ?? time[time.length - 1]!;
  let charge = 0;
  for (const h of halves) {
    if (h.startTime_s >= end) break;
    charge += h.endTime_s <= end ? h.charge_C : h.meanCurrent_A * (end - h.startTime_s);
  }
  return {
    file: m.fileName,
    area_m2: area,
    choices: {
      restCurrent_A: rest,
      overpotential:
        'median |V| of the middle 50 % of each half cycle, averaged over the half cycles before failure',
      criteria,
      criteriaText: describeCriteria(criteria),
      referenceHalfCycles: refCount,
    },
    halfCycles: rows,
    currentDensity_A_per_m2: densities[Math.floor(densities.length / 2)]!,
    overpotential_V: eta.reduce((a, b) => a + b, 0) / eta.length,
    overpotentialTrend_V_per_s: trend ? trend.slope : 0,
    overpotentialTrend_V_per_s_stderr: trend ? trend.slopeStderr : 0,
    short,
    failureTime_s: short ? short.time_s : null,
    contactLossTime_s: contactLoss,
    cycles: Math.floor(rows.length / 2),
    arealCharge_C_per_m2: charge / area,
    recordDuration_s: time[time.length - 1]! - time[0]!,
    warnings,
  };
}

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function fmtH(seconds: number): string {
  return (seconds / 3600).toFixed(2);
}

/** The `elyte symmetric --json` fields (cli.md), in edge units. */
export function symmetricToCli(r: SymmetricResult): Record<string, unknown> {
  return {
    file: r.file,
    current_mA_per_cm2: sig(r.currentDensity_A_per_m2 / A_PER_M2_PER_MA_PER_CM2, 4),
    overpotential_mV: sig(r.overpotential_V * 1000, 4),
    overpotential_trend_mV_per_h: sig(r.overpotentialTrend_V_per_s * 3.6e6, 4),
    overpotential_trend_mV_per_h_stderr: sig(r.overpotentialTrend_V_per_s_stderr * 3.6e6, 3),
    failure_time_h: r.failureTime_s === null ? null : sig(r.failureTime_s / 3600, 5),
    contact_loss_time_h: r.contactLossTime_s === null ? null : sig(r.contactLossTime_s / 3600, 5),
    record_h: sig(r.recordDuration_s / 3600, 5),
    cycles: r.cycles,
    areal_capacity_mAh_per_cm2: sig(r.arealCharge_C_per_m2 / 36000, 5),
    criteria: r.choices.criteriaText,
    warnings: r.warnings,
  };
}
