/**
 * Physical models behind the generated measurements, each returning its arrays (SI) AND its documented
 * truth — the numbers an analysis must recover. Used by examples/generate.ts (which writes them as
 * instrument files) and by the known-answer tests. Seeded noise, so every run writes the same bytes.
 */
import { gaussian, logFrequencies, seededRandom, syntheticSpectrum } from '../app/eis';

export interface TimeSeries {
  time_s: Float64Array;
  voltage_V: Float64Array;
  current_A: Float64Array;
  /** Set point: V for potentiostatic records, A for galvanostatic ones. */
  control: Float64Array;
  cycle: Float64Array;
}

function build(rows: { t: number; v: number; i: number; c: number; n: number }[]): TimeSeries {
  return {
    time_s: Float64Array.from(rows, (r) => r.t),
    voltage_V: Float64Array.from(rows, (r) => r.v),
    current_A: Float64Array.from(rows, (r) => r.i),
    control: Float64Array.from(rows, (r) => r.c),
    cycle: Float64Array.from(rows, (r) => r.n),
  };
}

// ---------------------------------------------------------------- EIS

/** Blocking SS‖electrolyte‖SS cell: R_b = L/(σA) in series with a CPE double layer (the bulk arc lies above 1 MHz). */
export function blockingSpectrum(p: {
  sigma_S_per_m: number;
  thickness_m: number;
  area_m2: number;
  seed: number;
  noise?: number;
}): { spectrum: ReturnType<typeof syntheticSpectrum>; truth: { R_bulk_ohm: number } } {
  const R = p.thickness_m / (p.sigma_S_per_m * p.area_m2);
  const frequency = logFrequencies(1e6, 0.1, 71);
  // Geometric capacitance ε0·εr·A/L with εr ≈ 10, in parallel with the bulk resistance.
  const Cg = (8.854e-12 * 10 * p.area_m2) / p.thickness_m;
  const spectrum = syntheticSpectrum(
    'R0-p(R1,C1)-CPE1',
    { R0: 0.02 * R, R1: 0.98 * R, C1: Cg, CPE1_Q: 5e-6, CPE1_alpha: 0.82 },
    frequency,
    p.noise ?? 0.003,
    p.seed,
  );
  return { spectrum, truth: { R_bulk_ohm: R } };
}

/** σ(T) = σ(25 °C)·exp(−Ea/k_B (1/T − 1/298.15 K)). */
export function arrheniusSigma(sigma25_S_per_m: number, Ea_eV: number, T_K: number): number {
  return sigma25_S_per_m * Math.exp((-Ea_eV / 8.617333262e-5) * (1 / T_K - 1 / 298.15));
}

export const LI_LI_CIRCUIT = 'R0-p(R1,CPE1)-p(R2,CPE2)';

/** Li‖electrolyte‖Li: bulk R0, an SEI arc R1∥CPE1 (~60 kHz) and the interfacial arc R2∥CPE2 (~300 Hz). */
export function lithiumSpectrum(p: {
  R_bulk_ohm: number;
  R_sei_ohm: number;
  R_int_ohm: number;
  seed: number;
}) {
  const frequency = logFrequencies(1e6, 0.1, 71);
  return syntheticSpectrum(
    LI_LI_CIRCUIT,
    {
      R0: p.R_bulk_ohm,
      R1: p.R_sei_ohm,
      CPE1_Q: 1e-6,
      CPE1_alpha: 0.9,
      R2: p.R_int_ohm,
      CPE2_Q: 1e-4,
      CPE2_alpha: 0.85,
    },
    frequency,
    0.002,
    p.seed,
  );
}

// ---------------------------------------------------------------- DC polarisation (Bruce–Vincent)

export interface ChronoTruth {
  dV_V: number;
  I0_A: number;
  Is_A: number;
  R0_ohm: number;
  Rs_ohm: number;
  t_plus: number;
  tau_s: number;
}

/**
 * I(t) = I_s + (I₀ − I_s)·e^(−t/τ) + spike, with I₀ = ΔV/(R_b + R_sei + R₀) and I_s chosen so that
 * Bruce–Vincent gives exactly t₊: I_s = t₊I₀ΔV / (ΔV − I₀R₀ + t₊I₀R_s). The capacitive spike
 * (ΔV/R_b − I₀)·e^(−t/0.1 s) is gone after 1 s. Points every 0.1 s to 10 s, 1 s to 100 s, 20 s after.
 */
export function chronoModel(p: {
  dV_V: number;
  R_bulk_ohm: number;
  R_sei_ohm: number;
  R0_ohm: number;
  Rs_ohm: number;
  t_plus: number;
  tau_s?: number;
  duration_s?: number;
  noise?: number;
  seed: number;
}): { record: TimeSeries; truth: ChronoTruth } {
  const tau = p.tau_s ?? 300;
  const duration = p.duration_s ?? 4 * 3600;
  const I0 = p.dV_V / (p.R_bulk_ohm + p.R_sei_ohm + p.R0_ohm);
  const Is = (p.t_plus * I0 * p.dV_V) / (p.dV_V - I0 * p.R0_ohm + p.t_plus * I0 * p.Rs_ohm);
  const normal = gaussian(seededRandom(p.seed));
  const spike = p.dV_V / p.R_bulk_ohm - I0;
  const rows: { t: number; v: number; i: number; c: number; n: number }[] = [];
  const push = (t: number): void => {
    const i =
      Is + (I0 - Is) * Math.exp(-t / tau) + spike * Math.exp(-t / 0.1) + (p.noise ?? 0.002) * Is * normal();
    rows.push({ t, v: p.dV_V + 2e-5 * normal(), i, c: p.dV_V, n: 0 });
  };
  for (let t = 0; t < 10; t += 0.1) push(Number(t.toFixed(1)));
  for (let t = 10; t < 100; t += 1) push(t);
  for (let t = 100; t <= duration; t += 20) push(t);
  return {
    record: build(rows),
    truth: {
      dV_V: p.dV_V,
      I0_A: I0,
      Is_A: Is,
      R0_ohm: p.R0_ohm,
      Rs_ohm: p.Rs_ohm,
      t_plus: p.t_plus,
      tau_s: tau,
    },
  };
}

// ---------------------------------------------------------------- LSV

/**
 * Anodic sweep at 1 mV s⁻¹, one point per 5 mV: a capacitive baseline (offset + slope) plus
 * j_th·exp((V − V_onset)/b) — which reaches the threshold j_th exactly at V_onset — plus an optional
 * small Gaussian peak (PVH's ≈4.0 V feature, kept below the threshold).
 */
export function lsvModel(p: {
  onset_V: number;
  area_m2: number;
  threshold_A_per_m2?: number;
  b_V?: number;
  start_V?: number;
  end_V?: number;
  peak?: { V: number; height_A_per_m2: number; width_V: number };
  seed: number;
}): { record: TimeSeries; truth: { onset_V: number } } {
  const jth = p.threshold_A_per_m2 ?? 0.1;
  const b = p.b_V ?? 0.06;
  const start = p.start_V ?? 3.0;
  const end = p.end_V ?? Math.max(5.5, p.onset_V + 0.4);
  const rate = 1e-3;
  const normal = gaussian(seededRandom(p.seed));
  const rows: { t: number; v: number; i: number; c: number; n: number }[] = [];
  for (let k = 0; start + k * 0.005 <= end + 1e-9; k++) {
    const V = start + k * 0.005;
    let j = 0.02 + 0.004 * (V - start) + jth * Math.exp((V - p.onset_V) / b);
    if (p.peak) j += p.peak.height_A_per_m2 * Math.exp(-0.5 * ((V - p.peak.V) / p.peak.width_V) ** 2);
    j += 0.002 * normal();
    rows.push({ t: (V - start) / rate, v: V + 1e-5 * normal(), i: j * p.area_m2, c: V, n: 1 });
  }
  return { record: build(rows), truth: { onset_V: p.onset_V } };
}

// ---------------------------------------------------------------- Li‖Li

/** Plateau overpotential η(j) = c·asinh(j/j0) (Butler–Volmer-like, symmetric). */
export function overpotential(j_A_per_m2: number, c_V: number, j0_A_per_m2: number): number {
  return c_V * Math.asinh(j_A_per_m2 / j0_A_per_m2);
}

/** c and j0 such that η(j1) = eta1 and η(j2) = eta2 (bisection on j0). */
export function fitAsinh(j1: number, eta1: number, j2: number, eta2: number): { c_V: number; j0: number } {
  const ratio = eta2 / eta1;
  let lo = 1e-6;
  let hi = 1e3;
  for (let k = 0; k < 200; k++) {
    const mid = Math.sqrt(lo * hi);
    const r = Math.asinh(j2 / mid) / Math.asinh(j1 / mid);
    // r grows towards j2/j1 as j0 grows (linear regime).
    if (r < ratio) lo = mid;
    else hi = mid;
  }
  const j0 = Math.sqrt(lo * hi);
  return { c_V: eta1 / Math.asinh(j1 / j0), j0 };
}

interface HalfCycleShape {
  /** Plateau |V| at this time (V). */
  eta: (t: number) => number;
  shortAt_s: number | null;
  shortV: number;
}

/**
 * Alternating half cycles of ±I for `halfCycle_s`, sampled every `dt_s`; |V| rises to the plateau
 * η with a 2-minute transient and collapses to the short voltage at `shortAt_s` for good.
 */
function lithiumRows(
  halfCurrents: number[],
  halfCycle_s: number,
  dt_s: number,
  shape: HalfCycleShape,
  seed: number,
  noise_V: number,
): TimeSeries {
  const normal = gaussian(seededRandom(seed));
  const rows: { t: number; v: number; i: number; c: number; n: number }[] = [];
  let t0 = 0;
  halfCurrents.forEach((I, k) => {
    const sign = Math.sign(I);
    for (let s = k === 0 ? 0 : 1; s * dt_s <= halfCycle_s + 1e-9; s++) {
      // Row s closes the interval ((s−1)·dt, s·dt] of this half cycle (the instrument's averaged current).
      const local = s * dt_s;
      const t = t0 + local;
      const shorted = shape.shortAt_s !== null && t >= shape.shortAt_s;
      const plateau = shape.eta(t);
      const v = shorted
        ? sign * shape.shortV + 0.2 * noise_V * normal()
        : sign * plateau * (1 - 0.3 * Math.exp(-Math.max(local, 1) / 120)) + noise_V * normal();
      rows.push({ t, v, i: I * (1 + 2e-4 * normal()), c: I, n: Math.floor(k / 2) });
    }
    t0 += halfCycle_s;
  });
  return build(rows);
}

export interface CcdTruth {
  ccd_A_per_m2: number;
  failure_A_per_m2: number;
  failureTime_s: number;
  steps: { density_A_per_m2: number; overpotential_V: number }[];
}

/**
 * Stepped-current CCD test: steps of `step` A m⁻² (one plating + one stripping half cycle of 0.5 h
 * each), rows every 30 s; the cell shorts 40 % into the first half cycle of the step above the CCD.
 */
export function ccdModel(p: {
  area_m2: number;
  ccd_A_per_m2: number;
  step_A_per_m2?: number;
  c_V: number;
  j0_A_per_m2: number;
  seed: number;
}): { record: TimeSeries; truth: CcdTruth } {
  const step = p.step_A_per_m2 ?? 0.5;
  const nSteps = Math.round(p.ccd_A_per_m2 / step) + 1;
  const half = 1800;
  const currents: number[] = [];
  const steps: CcdTruth['steps'] = [];
  for (let s = 1; s <= nSteps; s++) {
    const j = s * step;
    currents.push(j * p.area_m2, -j * p.area_m2);
    steps.push({ density_A_per_m2: j, overpotential_V: overpotential(j, p.c_V, p.j0_A_per_m2) });
  }
  // Two more half cycles after the failing step so the short is seen to persist.
  const failing = nSteps * step;
  currents.push(failing * p.area_m2, -failing * p.area_m2);
  const shortAt = (nSteps - 1) * 2 * half + 0.4 * half;
  const stepOf = (t: number): number => Math.min(nSteps - 1, Math.floor(t / (2 * half)));
  const record = lithiumRows(
    currents,
    half,
    30,
    {
      eta: (t) => steps[stepOf(t)]!.overpotential_V,
      shortAt_s: shortAt,
      shortV: failing * p.area_m2 * 0.05,
    },
    p.seed,
    0.0005,
  );
  return {
    record,
    truth: {
      ccd_A_per_m2: (nSteps - 1) * step,
      failure_A_per_m2: failing,
      failureTime_s: shortAt,
      steps: steps.slice(0, -1),
    },
  };
}

export interface SymmetricTruth {
  density_A_per_m2: number;
  /** Mean plateau overpotential of the half cycles before the short, V. */
  overpotential_V: number;
  trend_V_per_s: number;
  failureTime_s: number | null;
  record_s: number;
}

/**
 * Long Li‖Li cycling at ±j, 1 h per half cycle, rows every `dt_s` (default 600 s); the plateau grows
 * linearly η(t) = η₀ + k·t; a short at `shortAt_s` (or none within `duration_s`).
 */
export function symmetricModel(p: {
  area_m2: number;
  density_A_per_m2: number;
  eta0_V: number;
  trend_V_per_s?: number;
  shortAt_s: number | null;
  duration_s: number;
  dt_s?: number;
  seed: number;
}): { record: TimeSeries; truth: SymmetricTruth } {
  const half = 3600;
  const trend = p.trend_V_per_s ?? 0;
  const end = p.shortAt_s === null ? p.duration_s : Math.min(p.duration_s, p.shortAt_s + 4 * half);
  const nHalves = Math.round(end / half);
  const currents = Array.from(
    { length: nHalves },
    (_, k) => (k % 2 === 0 ? 1 : -1) * p.density_A_per_m2 * p.area_m2,
  );
  const eta = (t: number): number => p.eta0_V + trend * t;
  const record = lithiumRows(
    currents,
    half,
    p.dt_s ?? 600,
    { eta, shortAt_s: p.shortAt_s, shortV: p.density_A_per_m2 * p.area_m2 * 0.05 },
    p.seed,
    0.0008,
  );
  // Truth: the plateau (middle 50 %) of each complete half cycle before the short, averaged.
  const complete = p.shortAt_s === null ? nHalves : Math.floor(p.shortAt_s / half);
  let sum = 0;
  for (let k = 0; k < complete; k++) sum += eta((k + 0.5) * half);
  return {
    record,
    truth: {
      density_A_per_m2: p.density_A_per_m2,
      overpotential_V: sum / complete,
      trend_V_per_s: trend,
      failureTime_s: p.shortAt_s,
      record_s: nHalves * half,
    },
  };
}

// ---------------------------------------------------------------- LFP full cell

export interface CyclePlan {
  cRate: number;
  discharge_mAh_per_g: number;
  /** Coulombic efficiency discharge/charge. */
  ce: number;
}

export interface FullCellTruth {
  mass_kg: number;
  cycles: {
    cycle: number;
    cRate: number;
    charge_mAh_per_g: number;
    discharge_mAh_per_g: number;
    ce: number;
    meanCharge_V: number;
    meanDischarge_V: number;
  }[];
}

/** LFP open-circuit curve against the fraction x of the half cycle: a flat 3.42 V plateau with steep ends. */
function lfpCurve(x: number, charging: boolean): number {
  const u = charging ? x : 1 - x;
  return 3.42 + 0.04 * (u - 0.5) + 0.25 * Math.exp((u - 1) / 0.025) - 0.45 * Math.exp(-u / 0.025);
}

/**
 * Galvanostatic LFP‖Li cycling: each cycle a charge then a discharge at the plan's C-rate (C from the
 * 170 mAh g⁻¹ nominal), each half cycle's duration set by its capacity; V = OCV curve ± I·R, the
 * polarisation growing with the rate as η = `polarisation_V_per_C`·rate/2 (half on each side).
 * `rows` points per half cycle (cosine-spaced in capacity: dense at the steep ends), a 60 s rest (2 rows) after each half cycle.
 */
export function fullCellModel(p: {
  mass_kg: number;
  plan: CyclePlan[];
  polarisation_at_2C_V: number;
  rows?: number;
  seed: number;
}): { record: TimeSeries; truth: FullCellTruth } {
  const nominal = 170 * 3.6; // C per g
  const normal = gaussian(seededRandom(p.seed));
  const n = p.rows ?? 30;
  const rows: { t: number; v: number; i: number; c: number; n: number }[] = [];
  const truth: FullCellTruth['cycles'] = [];
  let t = 0;
  let lastV = 3.0;
  rows.push({ t: 0, v: lastV, i: 0, c: 0, n: 1 });
  p.plan.forEach((plan, k) => {
    const I = (plan.cRate * nominal * (p.mass_kg * 1000)) / 3600; // A
    const eta = (p.polarisation_at_2C_V / 2) * (plan.cRate / 2);
    const qDis = plan.discharge_mAh_per_g * 3.6 * p.mass_kg * 1000; // C
    const qCh = qDis / plan.ce;
    const means: number[] = [];
    for (const [charging, q] of [
      [true, qCh],
      [false, qDis],
    ] as const) {
      const duration = q / I;
      const sign = charging ? 1 : -1;
      const voltageAt = (x: number): number => lfpCurve(x, charging) + sign * eta;
      for (let s = 1; s <= n; s++) {
        // Denser near both ends, where the curve is steep (as a cycler recording every few mV would be).
        const x = (1 - Math.cos((Math.PI * s) / n)) / 2;
        rows.push({
          t: t + x * duration,
          v: voltageAt(x) + 0.0005 * normal(),
          i: sign * I * (1 + 3e-4 * normal()),
          c: sign * I,
          n: k + 1,
        });
      }
      // Truth mean voltage: the continuous curve averaged over capacity (fine midpoint rule).
      let sum = 0;
      const fine = 4000;
      for (let s = 0; s < fine; s++) sum += voltageAt((s + 0.5) / fine);
      means.push(sum / fine);
      t += duration;
      lastV = voltageAt(1);
      rows.push({ t: t + 30, v: lastV - sign * eta * 0.9, i: 0, c: 0, n: k + 1 });
      rows.push({ t: t + 60, v: lastV - sign * eta, i: 0, c: 0, n: k + 1 });
      t += 60;
    }
    truth.push({
      cycle: k + 1,
      cRate: plan.cRate,
      charge_mAh_per_g: plan.discharge_mAh_per_g / plan.ce,
      discharge_mAh_per_g: plan.discharge_mAh_per_g,
      ce: plan.ce,
      meanCharge_V: means[0]!,
      meanDischarge_V: means[1]!,
    });
  });
  return { record: build(rows), truth: { mass_kg: p.mass_kg, cycles: truth } };
}

/** A rate-capability plan: `perStep` cycles at each rate with the given discharge capacities. */
export function ratePlan(
  steps: { cRate: number; discharge_mAh_per_g: number }[],
  perStep: number,
  ce = 0.998,
): CyclePlan[] {
  return steps.flatMap((s) => Array.from({ length: perStep }, () => ({ ...s, ce })));
}

/** Long cycling: capacity from `first` rising to `peak` at `peakCycle`, then linearly to `last` at cycle n. */
export function fadePlan(p: {
  cRate: number;
  cycles: number;
  first: number;
  peak?: number;
  peakCycle?: number;
  last: number;
  ce?: number;
}): CyclePlan[] {
  const peak = p.peak ?? p.first;
  const peakCycle = p.peakCycle ?? 1;
  return Array.from({ length: p.cycles }, (_, k) => {
    const c = k + 1;
    const q =
      c <= peakCycle
        ? p.first + ((peak - p.first) * (c - 1)) / Math.max(1, peakCycle - 1)
        : peak + ((p.last - peak) * (c - peakCycle)) / Math.max(1, p.cycles - peakCycle);
    return { cRate: p.cRate, discharge_mAh_per_g: q, ce: c === 1 ? 0.97 : (p.ce ?? 0.998) };
  });
}
