/**
 * Li⁺ transference number by the Bruce–Vincent method:
 *   t₊ = I_s (ΔV − I₀R₀) / [I₀ (ΔV − I_s R_s)]
 * from a DC polarisation (chronoamperometry) of a Li‖electrolyte‖Li cell and the interfacial
 * resistances R₀, R_s fitted to its impedance spectra before and after. The circuit fit is injected
 * (the EIS engine's fitCircuit) so this module stays a pure function of its inputs.
 */
import type { FitOptions, FitResult, Spectrum } from '../eis/types';
import type { Measurement } from '../measurement';
import {
  badOption,
  choiceOption,
  fitLine,
  median,
  numberOption,
  optionalNumber,
  refuse,
  requireChannel,
  requireKind,
  sig,
} from './common';

export type FitCircuit = (spectrum: Spectrum, circuit: string, options?: FitOptions) => FitResult;

export type I0Method = 'extrapolate' | 'first-point' | 'ohmic';

export interface TransferenceOptions {
  /** Applied step, V (default: the file's control potential during the polarisation). */
  dV_V?: number;
  /** Circuit fitted to both spectra (default 'R0-p(R1,CPE1)-p(R2,CPE2)'). */
  circuit?: string;
  /** The interfacial resistance element (default 'R2'). */
  interfacialElement?: string;
  /** The bulk resistance element(s), used by the 'ohmic' I₀ method (default 'R0'; 'R0+R1' sums them). */
  bulkElement?: string;
  /** How I₀ is taken (default 'extrapolate'). */
  i0Method?: I0Method;
  /** 'extrapolate': points before this time after the step are the capacitive spike, s (default 1). */
  spikeExclusion_s?: number;
  /** 'extrapolate': the fit window ends when I − I_s has decayed to this fraction of its value at the window start (default 0.5). */
  decayFraction?: number;
  /** Steady state is judged over this final fraction of the run (default 0.1). */
  steadyWindowFraction?: number;
  /** Steady state: |drift| of the current over that window, relative to its mean, below this (default 0.01). */
  steadyDriftLimit?: number;
}

/** A resistance given directly (already fitted elsewhere) instead of a spectrum. */
export interface GivenResistance {
  value_ohm: number;
  stderr_ohm: number | null;
}

export interface ResistanceFit {
  source: 'fit' | 'given';
  file: string | null;
  element: string;
  value_ohm: number;
  stderr_ohm: number | null;
  bulk_ohm: number | null;
  chi2: number | null;
  converged: boolean | null;
  fit: FitResult | null;
}

export interface TransferenceResult {
  file: string;
  t_plus: number;
  t_plus_stderr: number;
  I0_A: number;
  I0_A_stderr: number;
  Is_A: number;
  Is_A_stderr: number;
  R0_ohm: number;
  Rs_ohm: number;
  dV_V: number;
  choices: {
    i0Method: I0Method;
    circuit: string;
    interfacialElement: string;
    bulkElement: string;
    dVSource: 'option' | 'control channel' | 'voltage channel';
    spikeExclusion_s: number;
    decayFraction: number;
    steadyWindowFraction: number;
    steadyDriftLimit: number;
  };
  steadyState: {
    steady: true;
    window_s: [number, number];
    /** Relative change of the fitted line across the window. */
    relativeDrift: number;
    limit: number;
    noise_A: number;
  };
  /** What to draw: the polarisation start, the extrapolation window and its exponential. */
  points: {
    polarisationStart_s: number;
    extrapolationWindow_s: [number, number] | null;
    /** I(t) = I_s + A·exp(−t/τ) fitted over that window (t from the polarisation start). */
    decay: { amplitude_A: number; tau_s: number } | null;
    firstPoint: { time_s: number; current_A: number };
  };
  before: ResistanceFit;
  after: ResistanceFit;
  warnings: string[];
}

export function brucevincent(I0: number, Is: number, R0: number, Rs: number, dV: number): number {
  return (Is * (dV - I0 * R0)) / (I0 * (dV - Is * Rs));
}

export function analyseTransference(
  chrono: Measurement,
  before: Measurement | GivenResistance,
  after: Measurement | GivenResistance,
  fitCircuit: FitCircuit | null,
  options: TransferenceOptions = {},
): TransferenceResult {
  const analysis = 'transference number (Bruce–Vincent)';
  requireKind(chrono, ['potentiostatic', 'other'], analysis);
  const time = requireChannel(chrono, 'time_s', analysis);
  const current = requireChannel(chrono, 'current_A', analysis);
  const circuit = textOption(options.circuit, 'circuit', 'R0-p(R1,CPE1)-p(R2,CPE2)');
  const element = textOption(options.interfacialElement, 'interfacialElement', 'R2');
  const bulkElement = textOption(options.bulkElement, 'bulkElement', 'R0');
  const i0Method = choiceOption(options.i0Method, 'i0Method', 'extrapolate', [
    'extrapolate',
    'first-point',
    'ohmic',
  ] as const);
  const spike = numberOption(options.spikeExclusion_s, 'spikeExclusion_s', 1, { min: 0 });
  const decayFraction = numberOption(options.decayFraction, 'decayFraction', 0.5, { min: 0.05, max: 0.95 });
  const steadyFraction = numberOption(options.steadyWindowFraction, 'steadyWindowFraction', 0.1, {
    min: 0.01,
    max: 0.5,
  });
  const driftLimit = numberOption(options.steadyDriftLimit, 'steadyDriftLimit', 0.01, {
    min: 0,
    exclusiveMin: true,
  });
  const dVOption = optionalNumber(options.dV_V, 'dV_V', { min: 0, exclusiveMin: true });
  const warnings: string[] = [];

  // The polarisation starts where the control potential is first applied (else the first row).
  const control = chrono.channels.control_V;
  let start = 0;
  if (control) {
    while (start < control.length && Math.abs(control[start]!) < 1e-6) start++;
    if (start === control.length)
      throw refuse('the control potential is zero throughout: no polarisation step', chrono.fileName);
  }
  let dV: number;
  let dVSource: TransferenceResult['choices']['dVSource'];
  if (dVOption !== undefined) {
    dV = dVOption;
    dVSource = 'option';
  } else if (control) {
    dV = Math.abs(median(control, start));
    dVSource = 'control channel';
  } else if (chrono.channels.voltage_V) {
    dV = Math.abs(median(chrono.channels.voltage_V, start));
    dVSource = 'voltage channel';
    warnings.push(
      'ΔV taken from the measured voltage (the file has no control potential); give --dv to be sure',
    );
  } else {
    throw refuse(
      'ΔV is unknown: the file has no control or voltage channel; give it with --dv',
      chrono.fileName,
      '--dv',
    );
  }
  if (!(dV > 0)) throw refuse('ΔV is zero; give the applied step with --dv', chrono.fileName, '--dv');

  const n = time.length - start;
  if (n < 20)
    throw refuse(`only ${n} points after the step; too few to judge a steady state`, chrono.fileName);
  // Work with the current in the direction of the step, whatever sign the instrument logged.
  const sign = Math.sign(median(current, start)) || 1;
  const t = new Float64Array(n);
  const I = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = time[start + i]! - time[start]!;
    I[i] = sign * current[start + i]!;
  }

  // Steady state over the last fraction of the run.
  const tEnd = t[n - 1]!;
  const windowStart = tEnd * (1 - steadyFraction);
  let w0 = n - 1;
  while (w0 > 0 && t[w0 - 1]! >= windowStart) w0--;
  if (n - w0 < 5) throw refuse('fewer than 5 points in the steady-state window', chrono.fileName);
  const plateau = fitLine(t, I, w0, n);
  const plateauMean = I.subarray(w0).reduce((a, b) => a + b, 0) / (n - w0);
  const drift = Math.abs(plateau.slope * (tEnd - t[w0]!)) / Math.abs(plateauMean);
  if (!(plateauMean > 0) || drift > driftLimit) {
    throw refuse(
      `no steady state: the current changed by ${(drift * 100).toFixed(2)} % over the last ${steadyFraction * 100} % of the run (limit ${driftLimit * 100} %); polarise longer or relax --steady-drift`,
      chrono.fileName,
    );
  }
  const Is = plateauMean;
  const IsErr = plateau.residualSd / Math.sqrt(n - w0);

  const r0 = resistance(before, fitCircuit, circuit, element, bulkElement, 'before');
  const rs = resistance(after, fitCircuit, circuit, element, bulkElement, 'after');
  for (const r of [r0, rs]) {
    if (r.converged === false)
      warnings.push(`the EIS fit of ${r.file} did not converge; check it before trusting ${r.element}`);
    if (r.stderr_ohm === null)
      warnings.push(`${r.element} of ${r.file ?? 'the given value'} has no standard error`);
  }

  let I0: number;
  let I0Err: number;
  let window: [number, number] | null = null;
  let decay: { amplitude_A: number; tau_s: number } | null = null;
  if (i0Method === 'first-point') {
    I0 = I[0]!;
    I0Err = plateau.residualSd;
  } else if (i0Method === 'ohmic') {
    if (r0.bulk_ohm === null) {
      throw refuse(
        `the ohmic I₀ needs the bulk resistance ${bulkElement} from the EIS before`,
        chrono.fileName,
      );
    }
    I0 = dV / (r0.bulk_ohm + r0.value_ohm);
    I0Err = (I0 * (r0.stderr_ohm ?? 0)) / (r0.bulk_ohm + r0.value_ohm);
  } else {
    let a = 0;
    while (a < n && t[a]! < spike) a++;
    const excess0 = I[a]! - Is;
    if (a >= n - 5 || !(excess0 > 5 * IsErr && excess0 > 0)) {
      throw refuse(
        `no decay to extrapolate after ${spike} s (the current is already at its plateau); use --i0 first-point or a smaller spike exclusion`,
        chrono.fileName,
      );
    }
    let b = a;
    while (b < w0 && I[b]! - Is > decayFraction * excess0) b++;
    b = Math.max(b, a + 5);
    const ok = (i: number): boolean => I[i]! - Is > 0;
    const logExcess = new Float64Array(n);
    for (let i = a; i < b; i++) logExcess[i] = ok(i) ? Math.log(I[i]! - Is) : 0;
    const fit = fitLine(t, logExcess, a, b, ok);
    const amplitude = Math.exp(fit.intercept);
    I0 = Is + amplitude;
    I0Err = Math.hypot(amplitude * fit.interceptStderr, IsErr);
    window = [t[a]!, t[b - 1]!];
    decay = { amplitude_A: amplitude, tau_s: fit.slope < 0 ? -1 / fit.slope : Number.POSITIVE_INFINITY };
    if (!(fit.slope < 0))
      throw refuse('the early current does not decay; cannot extrapolate I₀', chrono.fileName);
  }

  if (!(I0 > Is))
    throw refuse(
      `I₀ (${I0.toExponential(3)} A) is not above I_s (${Is.toExponential(3)} A)`,
      chrono.fileName,
    );
  if (dV - I0 * r0.value_ohm <= 0 || dV - Is * rs.value_ohm <= 0) {
    throw refuse(
      'ΔV − I·R is not positive: the interfacial resistance takes the whole applied step; check the element (--element) and ΔV',
      chrono.fileName,
    );
  }
  const tPlus = brucevincent(I0, Is, r0.value_ohm, rs.value_ohm, dV);
  const partial = (f: (d: number) => number, x: number, err: number): number => {
    if (!(err > 0)) return 0;
    const h = Math.abs(x) * 1e-6 || 1e-12;
    return ((f(h) - f(-h)) / (2 * h)) * err;
  };
  const stderr = Math.hypot(
    partial((d) => brucevincent(I0 + d, Is, r0.value_ohm, rs.value_ohm, dV), I0, I0Err),
    partial((d) => brucevincent(I0, Is + d, r0.value_ohm, rs.value_ohm, dV), Is, IsErr),
    partial(
      (d) => brucevincent(I0, Is, r0.value_ohm + d, rs.value_ohm, dV),
      r0.value_ohm,
      r0.stderr_ohm ?? 0,
    ),
    partial(
      (d) => brucevincent(I0, Is, r0.value_ohm, rs.value_ohm + d, dV),
      rs.value_ohm,
      rs.stderr_ohm ?? 0,
    ),
  );
  if (!Number.isFinite(tPlus) || !Number.isFinite(stderr)) {
    throw refuse('t₊ is not finite with these inputs', chrono.fileName);
  }
  if (tPlus < 0 || tPlus > 1) warnings.push(`t₊ = ${tPlus.toFixed(3)} lies outside 0…1; check the inputs`);

  return {
    file: chrono.fileName,
    t_plus: tPlus,
    t_plus_stderr: stderr,
    I0_A: I0 * sign,
    I0_A_stderr: I0Err,
    Is_A: Is * sign,
    Is_A_stderr: IsErr,
    R0_ohm: r0.value_ohm,
    Rs_ohm: rs.value_ohm,
    dV_V: dV,
    choices: {
      i0Method,
      circuit,
      interfacialElement: element,
      bulkElement,
      dVSource,
      spikeExclusion_s: spike,
      decayFraction,
      steadyWindowFraction: steadyFraction,
      steadyDriftLimit: driftLimit,
    },
    steadyState: {
      steady: true,
      window_s: [t[w0]! + time[start]!, tEnd + time[start]!],
      relativeDrift: drift,
      limit: driftLimit,
      noise_A: plateau.residualSd,
    },
    points: {
      polarisationStart_s: time[start]!,
      extrapolationWindow_s: window ? [window[0] + time[start]!, window[1] + time[start]!] : null,
      decay,
      firstPoint: { time_s: time[start]!, current_A: current[start]! },
    },
    before: r0,
    after: rs,
    warnings,
  };
}

function textOption(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw badOption(option, `${option} must be a non-empty text`);
  }
  return value.trim();
}

function resistance(
  input: Measurement | GivenResistance,
  fitCircuit: FitCircuit | null,
  circuit: string,
  element: string,
  bulkElement: string,
  label: string,
): ResistanceFit {
  if (!('format' in input)) {
    if (!(input.value_ohm > 0)) throw refuse(`the given ${label} resistance must be > 0 Ω`, undefined, label);
    return {
      source: 'given',
      file: null,
      element,
      value_ohm: input.value_ohm,
      stderr_ohm: input.stderr_ohm,
      bulk_ohm: null,
      chi2: null,
      converged: null,
      fit: null,
    };
  }
  const analysis = `the EIS ${label} polarisation`;
  requireKind(input, ['eis'], analysis);
  if (!fitCircuit) throw refuse(`no circuit fitter available to fit ${analysis}`, input.fileName);
  const spectrum: Spectrum = {
    frequency_Hz: requireChannel(input, 'frequency_Hz', analysis),
    z_real_ohm: requireChannel(input, 'z_real_ohm', analysis),
    z_imag_ohm: requireChannel(input, 'z_imag_ohm', analysis),
  };
  const fit = fitCircuit(spectrum, circuit);
  const parameter = fit.parameters.find((p) => p.name === element);
  if (!parameter) {
    throw refuse(
      `the circuit ${circuit} has no element ${element}; choose one of ${fit.parameters.map((p) => p.name).join(', ')}`,
      input.fileName,
      '--element',
    );
  }
  if (!(parameter.value > 0) || !Number.isFinite(parameter.value)) {
    throw refuse(
      `the fitted ${element} is ${parameter.value} Ω; not a usable interfacial resistance`,
      input.fileName,
    );
  }
  // The bulk may be a sum of series elements ('R0+R1': bulk and grain-boundary/SEI arc).
  const bulkParts = bulkElement.split('+').map((name) => fit.parameters.find((p) => p.name === name.trim()));
  const bulk = bulkParts.every((p) => p !== undefined)
    ? { value: bulkParts.reduce((sum, p) => sum + p!.value, 0) }
    : undefined;
  return {
    source: 'fit',
    file: input.fileName,
    element,
    value_ohm: parameter.value,
    stderr_ohm: parameter.stderr,
    bulk_ohm: bulk ? bulk.value : null,
    chi2: fit.chi2,
    converged: fit.converged,
    fit,
  };
}

/** The `elyte transference --json` fields (cli.md). */
export function transferenceToCli(r: TransferenceResult): Record<string, unknown> {
  return {
    file: r.file,
    t_plus: sig(r.t_plus, 4),
    t_plus_stderr: sig(r.t_plus_stderr, 3),
    I0_A: sig(r.I0_A),
    I0_A_stderr: sig(r.I0_A_stderr, 3),
    Is_A: sig(r.Is_A),
    Is_A_stderr: sig(r.Is_A_stderr, 3),
    R0_ohm: sig(r.R0_ohm),
    R0_ohm_stderr: r.before.stderr_ohm === null ? null : sig(r.before.stderr_ohm, 3),
    Rs_ohm: sig(r.Rs_ohm),
    Rs_ohm_stderr: r.after.stderr_ohm === null ? null : sig(r.after.stderr_ohm, 3),
    dV_V: sig(r.dV_V),
    I0_method: r.choices.i0Method,
    element: r.choices.interfacialElement,
    circuit: r.choices.circuit,
    steady_state: {
      steady: true,
      window_s: r.steadyState.window_s.map((x) => sig(x)),
      drift_pct: sig(r.steadyState.relativeDrift * 100, 3),
      limit_pct: r.steadyState.limit * 100,
    },
    extrapolation_window_s: r.points.extrapolationWindow_s,
    warnings: r.warnings,
  };
}
