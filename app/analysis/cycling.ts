/**
 * Full-cell galvanostatic cycling: half cycles and cycles from the current (segments.ts), per-cycle
 * specific capacities, Coulombic efficiency, energy, mean voltages and polarisation, retention against
 * a stated reference cycle, a rate-capability table, and dQ/dV of chosen cycles.
 */
import type { Measurement } from '../measurement';
import {
  badOption,
  C_PER_KG_PER_MAH_PER_G,
  C_PER_MAH,
  choiceOption,
  currentOf,
  massOf,
  numberOption,
  optionalNumber,
  refuse,
  requireChannel,
  requireKind,
  sig,
} from './common';
import { type DqdvCurve, dqdvOfHalfCycle } from './dqdv';
import {
  type Direction,
  defaultRestCurrent,
  groupByFileCycle,
  type HalfCycle,
  pairByCurrent,
  segmentHalfCycles,
} from './segments';

export type EfficiencyDefinition = 'discharge/charge' | 'charge/discharge';

export interface CyclingOptions {
  /** Active-material mass, kg (default: the file's; neither ⇒ refused). */
  mass_kg?: number;
  /** Nominal specific capacity for C-rates, C kg⁻¹ (default 612 000 = 170 mAh g⁻¹, LiFePO₄). */
  nominalCapacity_C_per_kg?: number;
  /** |I| at or below this is rest, A (default 0.5 % of the 99th-percentile |I|). */
  restCurrent_A?: number;
  /** Half cycles passing less charge are ignored as blips, C (default: 10 s at the 99th-percentile |I|). */
  minHalfCycleCharge_C?: number;
  /** Which half cycle opens a cycle (default 'auto': the direction of the first half cycle). */
  leading?: Direction | 'auto';
  /** 'current' (default): cycles from the current; 'file': grouped by the file's cycle column. */
  cycleSource?: 'current' | 'file';
  /** 'discharge/charge' (default, cathode-limited full cells) or 'charge/discharge' (anode half cells). */
  efficiency?: EfficiencyDefinition;
  /** Retention is also reported against this cycle number (default: the first complete cycle). */
  referenceCycle?: number;
  /** Consecutive cycles whose C-rates differ by less than this fraction form one rate step (default 0.05). */
  rateTolerance?: number;
  /** Cycles whose dQ/dV is computed (default none). */
  dqdvCycles?: number[];
  /** dQ/dV: keep points at least this far apart in voltage, V (default 0.002). */
  dqdvMinStep_V?: number;
  /** dQ/dV: centred moving-average window over the thinned points, odd (default 5; 1 = none). */
  dqdvSmoothingPoints?: number;
}

export interface CycleSummary {
  cycle: number;
  /** Indices into `halfCycles` (empty when this cycle has no such half; several with cycleSource "file"). */
  chargeHalf: number[];
  dischargeHalf: number[];
  charge_C: number | null;
  discharge_C: number | null;
  chargeSpecific_C_per_kg: number | null;
  dischargeSpecific_C_per_kg: number | null;
  /** Fraction (not %), per the stated definition; null unless both halves exist. */
  efficiency: number | null;
  chargeEnergy_J: number | null;
  dischargeEnergy_J: number | null;
  meanChargeVoltage_V: number | null;
  meanDischargeVoltage_V: number | null;
  /** Capacity-weighted mean charge V − mean discharge V. */
  polarisation_V: number | null;
  /** From the discharge mean current (else the charge's) and the nominal capacity, h⁻¹. */
  cRate: number | null;
  startTime_s: number;
  endTime_s: number;
}

export interface RateStep {
  /** Nominal C-rate of the step (snapped to a usual value within the tolerance). */
  cRate: number;
  cycles: number[];
  meanDischargeSpecific_C_per_kg: number | null;
  /** A later step at the first step's rate: the capacity recovered after the high rates. */
  recovery: boolean;
}

export interface CyclingResult {
  file: string;
  mass_kg: number;
  choices: {
    nominalCapacity_C_per_kg: number;
    restCurrent_A: number;
    minHalfCycleCharge_C: number;
    leading: Direction;
    cycleSource: 'current' | 'file';
    efficiency: EfficiencyDefinition;
    referenceCycle: number | null;
    rateTolerance: number;
    capacityMethod: string;
    dqdvMinStep_V: number;
    dqdvSmoothingPoints: number;
  };
  halfCycles: HalfCycle[];
  cycles: CycleSummary[];
  /** Last vs first complete cycle's discharge capacity, %. */
  retention_pct: number | null;
  /** Last vs the reference cycle, %. */
  retentionVsReference_pct: number | null;
  meanEfficiency: number | null;
  rateSteps: RateStep[];
  dqdv: DqdvCurve[];
  warnings: string[];
}

const NICE_RATES = [0.02, 0.05, 0.1, 0.2, 0.25, 1 / 3, 0.5, 1, 2, 3, 4, 5, 10, 20];

export function analyseCycling(m: Measurement, options: CyclingOptions = {}): CyclingResult {
  const analysis = 'cycling analysis';
  requireKind(m, ['galvanostatic', 'other'], analysis);
  const time = requireChannel(m, 'time_s', analysis);
  const voltage = requireChannel(m, 'voltage_V', analysis);
  const { current, derived } = currentOf(m, analysis);
  const mass = massOf(
    m,
    optionalNumber(options.mass_kg, 'mass_kg', { min: 0, exclusiveMin: true }),
    analysis,
  );
  const nominal = numberOption(options.nominalCapacity_C_per_kg, 'nominalCapacity_C_per_kg', 170 * 3600, {
    min: 0,
    exclusiveMin: true,
  });
  const autoRest = defaultRestCurrent(current);
  const restCurrent = numberOption(options.restCurrent_A, 'restCurrent_A', autoRest, { min: 0 });
  const minCharge = numberOption(
    options.minHalfCycleCharge_C,
    'minHalfCycleCharge_C',
    (autoRest / 0.005) * 10,
    {
      min: 0,
    },
  );
  const leadingOption = choiceOption(options.leading, 'leading', 'auto', [
    'auto',
    'charge',
    'discharge',
  ] as const);
  const cycleSource = choiceOption(options.cycleSource, 'cycleSource', 'current', [
    'current',
    'file',
  ] as const);
  const efficiency = choiceOption(options.efficiency, 'efficiency', 'discharge/charge', [
    'discharge/charge',
    'charge/discharge',
  ] as const);
  const referenceOption = optionalNumber(options.referenceCycle, 'referenceCycle', { min: 0, integer: true });
  const rateTolerance = numberOption(options.rateTolerance, 'rateTolerance', 0.05, { min: 0, max: 0.5 });
  const dqdvMinStep = numberOption(options.dqdvMinStep_V, 'dqdvMinStep_V', 0.002, {
    min: 0,
    exclusiveMin: true,
  });
  const smoothing = numberOption(options.dqdvSmoothingPoints, 'dqdvSmoothingPoints', 5, {
    min: 1,
    integer: true,
  });
  if (smoothing % 2 === 0) throw badOption('dqdvSmoothingPoints', 'dqdvSmoothingPoints must be odd');
  const dqdvCycles = options.dqdvCycles ?? [];
  if (!Array.isArray(dqdvCycles) || dqdvCycles.some((c) => !Number.isInteger(c))) {
    throw badOption('dqdvCycles', 'dqdvCycles must be a list of cycle numbers');
  }

  const warnings: string[] = [];
  if (derived) warnings.push('the file has no current column: current derived from the cumulative charge');
  if (cycleSource === 'file' && !m.channels.cycle) {
    throw badOption('cycleSource', 'cycleSource "file" needs a cycle column, which this file does not have');
  }
  const halves = segmentHalfCycles(
    time,
    current,
    voltage,
    { restCurrent_A: restCurrent, minCharge_C: minCharge },
    m.channels.cycle,
  );
  if (halves.length < 2) {
    throw refuse(
      `found ${halves.length} charge/discharge half cycle(s) in the current; cycling needs at least one charge and one discharge`,
      m.fileName,
    );
  }

  let leading: Direction = leadingOption === 'auto' ? halves[0]!.direction : leadingOption;
  let groups: { cycle: number; charge: number[]; discharge: number[] }[];
  if (cycleSource === 'current') {
    const pairing = pairByCurrent(halves, leadingOption);
    leading = pairing.leading;
    groups = pairing.cycles.map((c) => ({
      cycle: c.cycle,
      charge: c.charge === null ? [] : [c.charge],
      discharge: c.discharge === null ? [] : [c.discharge],
    }));
  } else {
    groups = [...groupByFileCycle(halves)].map(([cycle, list]) => ({
      cycle,
      charge: list.filter((h) => h.direction === 'charge').map((h) => h.index),
      discharge: list.filter((h) => h.direction === 'discharge').map((h) => h.index),
    }));
  }
  if (m.channels.cycle && cycleSource === 'current') {
    const fileCycles = new Set(halves.map((h) => h.fileCycle));
    const complete = groups.filter((g) => g.charge.length > 0 && g.discharge.length > 0).length;
    if (fileCycles.size !== groups.length) {
      warnings.push(
        `the file's cycle column has ${fileCycles.size} cycles but the current gives ${groups.length} (${complete} complete); the current decides (cycleSource "file" follows the column)`,
      );
    }
  }

  const cycles = groups.map((g) => summarise(g, halves, mass, nominal, efficiency));
  const complete = cycles.filter((c) => c.discharge_C !== null && c.charge_C !== null && c.cycle > 0);
  const withDischarge = cycles.filter((c) => c.dischargeSpecific_C_per_kg !== null && c.cycle > 0);
  const first = complete[0] ?? withDischarge[0];
  const last = withDischarge[withDischarge.length - 1];
  const retention = first && last ? (100 * last.discharge_C!) / first.discharge_C! : null;
  const referenceCycle = referenceOption ?? first?.cycle ?? null;
  const reference = cycles.find((c) => c.cycle === referenceCycle && c.discharge_C !== null);
  if (referenceOption !== undefined && !reference) {
    warnings.push(`reference cycle ${referenceOption} has no discharge; retention vs reference not computed`);
  }
  const retentionVsReference = reference && last ? (100 * last.discharge_C!) / reference.discharge_C! : null;
  const efficiencies = complete.map((c) => c.efficiency!);
  const meanEfficiency =
    efficiencies.length > 0 ? efficiencies.reduce((a, b) => a + b, 0) / efficiencies.length : null;

  const dqdv: DqdvCurve[] = [];
  for (const cycleNumber of dqdvCycles) {
    const cycle = cycles.find((c) => c.cycle === cycleNumber);
    if (!cycle) {
      warnings.push(`dQ/dV: there is no cycle ${cycleNumber}`);
      continue;
    }
    for (const index of [...cycle.chargeHalf, ...cycle.dischargeHalf]) {
      dqdv.push(dqdvOfHalfCycle(time, voltage, current, halves[index]!, cycleNumber, dqdvMinStep, smoothing));
    }
  }

  return {
    file: m.fileName,
    mass_kg: mass,
    choices: {
      nominalCapacity_C_per_kg: nominal,
      restCurrent_A: restCurrent,
      minHalfCycleCharge_C: minCharge,
      leading,
      cycleSource,
      efficiency,
      referenceCycle,
      rateTolerance,
      capacityMethod: derived
        ? 'differences of the cumulative charge column'
        : '∫I dt, each row’s current times the interval before it',
      dqdvMinStep_V: dqdvMinStep,
      dqdvSmoothingPoints: smoothing,
    },
    halfCycles: halves,
    cycles,
    retention_pct: retention,
    retentionVsReference_pct: retentionVsReference,
    meanEfficiency,
    rateSteps: rateSteps(cycles, rateTolerance),
    dqdv,
    warnings,
  };
}

function summarise(
  group: { cycle: number; charge: number[]; discharge: number[] },
  halves: readonly HalfCycle[],
  mass: number,
  nominal: number,
  efficiency: EfficiencyDefinition,
): CycleSummary {
  const ch = group.charge.map((i) => halves[i]!);
  const dis = group.discharge.map((i) => halves[i]!);
  const total = (list: HalfCycle[], pick: (h: HalfCycle) => number): number | null =>
    list.length === 0 ? null : list.reduce((sum, h) => sum + pick(h), 0);
  const chargeC = total(ch, (h) => h.charge_C);
  const dischargeC = total(dis, (h) => h.charge_C);
  const weightedV = (list: HalfCycle[], q: number | null): number | null =>
    q === null || q <= 0 ? null : list.reduce((s, h) => s + h.meanVoltage_V * h.charge_C, 0) / q;
  const meanCh = weightedV(ch, chargeC);
  const meanDis = weightedV(dis, dischargeC);
  const both = chargeC !== null && dischargeC !== null && chargeC > 0 && dischargeC > 0;
  const rateSource = dis.length > 0 ? dis : ch;
  const activeTime = rateSource.reduce((s, h) => s + h.activeTime_s, 0);
  const rateCharge = rateSource.reduce((s, h) => s + h.charge_C, 0);
  const cRate = activeTime > 0 ? ((rateCharge / activeTime) * 3600) / (nominal * mass) : null;
  const all = [...ch, ...dis];
  return {
    cycle: group.cycle,
    chargeHalf: group.charge,
    dischargeHalf: group.discharge,
    charge_C: chargeC,
    discharge_C: dischargeC,
    chargeSpecific_C_per_kg: chargeC === null ? null : chargeC / mass,
    dischargeSpecific_C_per_kg: dischargeC === null ? null : dischargeC / mass,
    efficiency: both
      ? efficiency === 'discharge/charge'
        ? dischargeC / chargeC
        : chargeC / dischargeC
      : null,
    chargeEnergy_J: total(ch, (h) => h.energy_J),
    dischargeEnergy_J: total(dis, (h) => h.energy_J),
    meanChargeVoltage_V: meanCh,
    meanDischargeVoltage_V: meanDis,
    polarisation_V: meanCh !== null && meanDis !== null ? meanCh - meanDis : null,
    cRate,
    startTime_s: Math.min(...all.map((h) => h.startTime_s)),
    endTime_s: Math.max(...all.map((h) => h.endTime_s)),
  };
}

/** Snaps a measured C-rate to the usual value it is within `tolerance` of (else 2 significant digits). */
export function nominalRate(rate: number, tolerance: number): number {
  for (const nice of NICE_RATES) if (Math.abs(rate - nice) <= tolerance * nice) return nice;
  return Number(rate.toPrecision(2));
}

function rateSteps(cycles: readonly CycleSummary[], tolerance: number): RateStep[] {
  const steps: { rates: number[]; cycles: CycleSummary[] }[] = [];
  for (const c of cycles) {
    if (c.cRate === null || c.cycle === 0) continue;
    const step = steps[steps.length - 1];
    const stepRate = step ? step.rates.reduce((a, b) => a + b, 0) / step.rates.length : 0;
    if (step && Math.abs(c.cRate - stepRate) <= tolerance * stepRate) {
      step.rates.push(c.cRate);
      step.cycles.push(c);
    } else steps.push({ rates: [c.cRate], cycles: [c] });
  }
  const firstRate = steps[0] ? nominalRate(mean(steps[0].rates), tolerance) : 0;
  return steps.map((s, i) => {
    const capacities = s.cycles
      .map((c) => c.dischargeSpecific_C_per_kg)
      .filter((v): v is number => v !== null);
    const rate = nominalRate(mean(s.rates), tolerance);
    return {
      cRate: rate,
      cycles: s.cycles.map((c) => c.cycle),
      meanDischargeSpecific_C_per_kg: capacities.length > 0 ? mean(capacities) : null,
      recovery:
        i > 0 && rate === firstRate && steps.slice(1, i).some((p) => nominalRate(mean(p.rates), 0) > rate),
    };
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The `elyte cycling --json` fields (cli.md), in edge units. */
export function cyclingToCli(r: CyclingResult): Record<string, unknown> {
  const mAhg = (v: number | null): number | null => (v === null ? null : sig(v / C_PER_KG_PER_MAH_PER_G));
  return {
    file: r.file,
    mass_mg: sig(r.mass_kg * 1e6),
    cycles: r.cycles.map((c) => ({
      cycle: c.cycle,
      c_rate: c.cRate === null ? null : sig(c.cRate, 4),
      charge_mAh_per_g: mAhg(c.chargeSpecific_C_per_kg),
      discharge_mAh_per_g: mAhg(c.dischargeSpecific_C_per_kg),
      charge_mAh: c.charge_C === null ? null : sig(c.charge_C / C_PER_MAH),
      discharge_mAh: c.discharge_C === null ? null : sig(c.discharge_C / C_PER_MAH),
      ce: c.efficiency === null ? null : sig(c.efficiency),
      mean_charge_V: c.meanChargeVoltage_V === null ? null : sig(c.meanChargeVoltage_V),
      mean_discharge_V: c.meanDischargeVoltage_V === null ? null : sig(c.meanDischargeVoltage_V),
      polarisation_V: c.polarisation_V === null ? null : sig(c.polarisation_V),
      discharge_energy_mWh: c.dischargeEnergy_J === null ? null : sig(c.dischargeEnergy_J / 3.6),
    })),
    retention_pct: r.retention_pct === null ? null : sig(r.retention_pct, 5),
    retention_vs_reference_pct:
      r.retentionVsReference_pct === null ? null : sig(r.retentionVsReference_pct, 5),
    reference_cycle: r.choices.referenceCycle,
    mean_ce: r.meanEfficiency === null ? null : sig(r.meanEfficiency),
    ce_definition: r.choices.efficiency,
    rate_steps: r.rateSteps.map((s) => ({
      c_rate: s.cRate,
      mean_discharge_mAh_per_g: mAhg(s.meanDischargeSpecific_C_per_kg),
      cycles: s.cycles,
      recovery: s.recovery,
    })),
    choices: { ...r.choices, nominal_mAh_per_g: r.choices.nominalCapacity_C_per_kg / C_PER_KG_PER_MAH_PER_G },
    warnings: r.warnings,
  };
}
