/**
 * Critical current density from a stepped-current Li‖Li test: steps are runs of half cycles at one
 * current density; each step's overpotential is the mean plateau |V| of its half cycles; the first
 * short (or contact loss) ends the test. CCD = the highest current density completed without failure.
 */
import type { Measurement } from '../measurement';
import { A_PER_M2_PER_MA_PER_CM2, booleanOption, numberOption, refuse, sig } from './common';
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
import { segmentHalfCycles } from './segments';

export interface CcdOptions extends LithiumCellOptions {
  /** Half cycles whose mean |I| agree within this fraction form one step (default 0.03). */
  stepTolerance?: number;
  /** Refuse when the record has no failure (default true); false returns the highest step as a lower bound. */
  requireFailure?: boolean;
}

export interface CcdStep {
  step: number;
  currentDensity_A_per_m2: number;
  startTime_s: number;
  endTime_s: number;
  duration_s: number;
  halfCycles: number[];
  /** Mean plateau overpotential of the step's half cycles before any failure, V (null if none). */
  overpotential_V: number | null;
  shorted: boolean;
  softShort: boolean;
  contactLoss: boolean;
}

export interface CcdResult {
  file: string;
  area_m2: number;
  choices: { restCurrent_A: number; stepTolerance: number; criteria: ShortCriteria; criteriaText: string };
  steps: CcdStep[];
  /** Highest current density completed without failure, A m⁻². */
  ccd_A_per_m2: number;
  /** True when the record ended without a failure (ccd is then a lower bound). */
  lowerBound: boolean;
  failureMode: 'short' | 'contact-loss' | null;
  failureCurrentDensity_A_per_m2: number | null;
  failureTime_s: number | null;
  short: CollapseEvent | null;
  warnings: string[];
}

export function analyseCcd(m: Measurement, options: CcdOptions = {}): CcdResult {
  const analysis = 'CCD analysis';
  const { time, voltage, current, area, criteria, rest } = lithiumCellInputs(m, options, analysis);
  const tolerance = numberOption(options.stepTolerance, 'stepTolerance', 0.03, { min: 0, max: 0.5 });
  const requireFailure = booleanOption(options.requireFailure, 'requireFailure', true);
  const halves = segmentHalfCycles(time, current, voltage, { restCurrent_A: rest, minCharge_C: 0 });
  if (halves.length < 2) {
    throw refuse(
      `found ${halves.length} half cycle(s); a CCD test needs alternating current steps`,
      m.fileName,
    );
  }

  const steps: CcdStep[] = [];
  const plateaus: number[] = [];
  const overpotentials = new Map<number, number[]>();
  let failureMode: CcdResult['failureMode'] = null;
  let failureTime: number | null = null;
  let short: CollapseEvent | null = null;
  let baselineNoise = 0;
  const warnings: string[] = [];
  for (let k = 0; k < halves.length; k++) {
    const h = halves[k]!;
    const density = h.meanCurrent_A / area;
    let step = steps[steps.length - 1];
    if (
      !step ||
      Math.abs(density - step.currentDensity_A_per_m2) > tolerance * step.currentDensity_A_per_m2
    ) {
      step = {
        step: steps.length + 1,
        currentDensity_A_per_m2: density,
        startTime_s: h.startTime_s,
        endTime_s: h.endTime_s,
        duration_s: 0,
        halfCycles: [],
        overpotential_V: null,
        shorted: false,
        softShort: false,
        contactLoss: false,
      };
      steps.push(step);
    }
    step.halfCycles.push(h.index);
    step.endTime_s = h.endTime_s;
    step.duration_s += h.activeTime_s;
    const plateau = plateauOverpotential(voltage, h);
    const previous = plateaus.slice(-3);
    const reference = previous.length > 0 ? previous.reduce((a, b) => a + b, 0) / previous.length : plateau;
    const collapse = k > 0 ? findCollapse(time, voltage, h, halves[k + 1], reference, criteria) : null;
    if (collapse) {
      step.shorted = true;
      step.endTime_s = collapse.time_s;
      failureMode = 'short';
      failureTime = collapse.time_s;
      short = collapse;
      break;
    }
    const limitRow = findLimit(voltage, h, criteria);
    if (limitRow !== null) {
      step.contactLoss = true;
      failureMode = 'contact-loss';
      failureTime = time[limitRow]!;
      break;
    }
    const noise = plateauNoise(voltage, h, plateau);
    if (k < 4) baselineNoise = Math.max(baselineNoise, noise);
    if (
      countDrops(voltage, h, plateau, criteria) >= criteria.minDrops ||
      (k >= 4 && baselineNoise > 0 && noise > criteria.noiseRise * baselineNoise)
    ) {
      step.softShort = true;
    }
    plateaus.push(plateau);
    const list = overpotentials.get(step.step) ?? [];
    list.push(plateau);
    overpotentials.set(step.step, list);
  }
  for (const step of steps) {
    const list = overpotentials.get(step.step);
    step.overpotential_V = list ? list.reduce((a, b) => a + b, 0) / list.length : null;
  }
  const soft = steps.filter((s) => s.softShort);
  if (soft.length > 0) {
    warnings.push(`soft-short signs at ${soft.map((s) => fmtDensity(s.currentDensity_A_per_m2)).join(', ')}`);
  }

  const failed = failureMode !== null ? steps[steps.length - 1]! : null;
  const completed = failed ? steps.slice(0, -1) : steps;
  if (failed && completed.length === 0) {
    throw refuse(
      `the cell failed (${failureMode}) in the first step (${fmtDensity(failed.currentDensity_A_per_m2)}); the CCD is below the lowest step tested`,
      m.fileName,
    );
  }
  if (!failed && requireFailure) {
    const top = Math.max(...steps.map((s) => s.currentDensity_A_per_m2));
    throw refuse(
      `the cell never shorted in this record: the CCD is above the highest step tested (${fmtDensity(top)}); no CCD can be stated (${describeCriteria(criteria)})`,
      m.fileName,
    );
  }
  const ccd = Math.max(...completed.map((s) => s.currentDensity_A_per_m2));
  if (failed && failed.currentDensity_A_per_m2 < ccd) {
    warnings.push('the failure happened at a lower current density than an earlier completed step');
  }
  return {
    file: m.fileName,
    area_m2: area,
    choices: {
      restCurrent_A: rest,
      stepTolerance: tolerance,
      criteria,
      criteriaText: describeCriteria(criteria),
    },
    steps,
    ccd_A_per_m2: ccd,
    lowerBound: failed === null,
    failureMode,
    failureCurrentDensity_A_per_m2: failed ? failed.currentDensity_A_per_m2 : null,
    failureTime_s: failureTime,
    short,
    warnings,
  };
}

function fmtDensity(aPerM2: number): string {
  return `${sig(aPerM2 / A_PER_M2_PER_MA_PER_CM2, 3)} mA cm⁻²`;
}

/** The `elyte ccd --json` fields (cli.md), in edge units. */
export function ccdToCli(r: CcdResult): Record<string, unknown> {
  const mA = (v: number): number => sig(v / A_PER_M2_PER_MA_PER_CM2, 4);
  return {
    file: r.file,
    ccd_mA_per_cm2: mA(r.ccd_A_per_m2),
    ccd_is_lower_bound: r.lowerBound,
    failure_mode: r.failureMode,
    failure_mA_per_cm2:
      r.failureCurrentDensity_A_per_m2 === null ? null : mA(r.failureCurrentDensity_A_per_m2),
    failure_time_h: r.failureTime_s === null ? null : sig(r.failureTime_s / 3600, 5),
    steps: r.steps.map((s) => ({
      current_mA_per_cm2: mA(s.currentDensity_A_per_m2),
      duration_h: sig(s.duration_s / 3600, 4),
      overpotential_mV: s.overpotential_V === null ? null : sig(s.overpotential_V * 1000, 4),
      shorted: s.shorted,
      soft_short: s.softShort,
      contact_loss: s.contactLoss,
    })),
    criteria: r.choices.criteriaText,
    warnings: r.warnings,
  };
}
