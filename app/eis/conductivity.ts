/**
 * Ionic conductivity σ = L/(R·A) from a fitted bulk resistance, with first-order error propagation:
 * (sσ/σ)² = (sR/R)² + (sL/L)² + (sA/A)², the thickness and area tolerances read as one standard uncertainty.
 */
import { ElyteError } from '../errors';
import { parseCircuit } from './circuit';
import type { CircuitNode, FitResult, Spectrum } from './types';

export interface ConductivityInput {
  resistance_ohm: number;
  resistance_stderr_ohm?: number | null;
  thickness_m: number;
  thickness_tolerance_m?: number;
  area_m2: number;
  area_tolerance_m2?: number;
}

export interface ConductivityResult {
  sigma_S_per_m: number;
  /** Null when no uncertainty at all is known (no fit error, no tolerances). */
  sigma_stderr_S_per_m: number | null;
}

function positive(value: number, name: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new ElyteError('invalid-argument', `${name} must be a positive number, got ${String(value)}`, {
      where: name,
    });
  }
}

export function conductivity(input: ConductivityInput): ConductivityResult {
  positive(input.resistance_ohm, 'resistance');
  positive(input.thickness_m, 'thickness');
  positive(input.area_m2, 'area');
  const parts: number[] = [];
  const relative = (error: number | null | undefined, value: number, name: string) => {
    if (error === null || error === undefined) return;
    if (!(Number.isFinite(error) && error >= 0)) {
      throw new ElyteError('invalid-argument', `${name} must be ≥ 0, got ${error}`, { where: name });
    }
    parts.push((error / value) ** 2);
  };
  relative(input.resistance_stderr_ohm, input.resistance_ohm, 'resistance stderr');
  relative(input.thickness_tolerance_m, input.thickness_m, 'thickness tolerance');
  relative(input.area_tolerance_m2, input.area_m2, 'area tolerance');
  const sigma = input.thickness_m / (input.resistance_ohm * input.area_m2);
  return {
    sigma_S_per_m: sigma,
    sigma_stderr_S_per_m: parts.length ? sigma * Math.sqrt(parts.reduce((a, b) => a + b, 0)) : null,
  };
}

export interface BulkResistance {
  R_ohm: number;
  R_stderr_ohm: number | null;
  /**
   * 'element': the fitted value of a named or the bulk-arc resistor;
   * 'hf-intercept': the arc lies above the measured frequencies, so the high-frequency real-axis intercept
   * (series resistors of the fit, which then absorb the bulk) is used.
   */
  method: 'element' | 'hf-intercept';
  element: string | null;
}

/** Characteristic frequency of a parallel block R ∥ C or R ∥ CPE: 1/(2π (RQ)^(1/α)). */
function blockFrequency(block: CircuitNode, values: Map<string, number>): { r: string; f: number } | null {
  if (block.kind !== 'parallel') return null;
  const elements = block.children.filter(
    (c): c is Extract<CircuitNode, { kind: 'element' }> => c.kind === 'element',
  );
  const r = elements.find((e) => e.type === 'R');
  const cap = elements.find((e) => e.type === 'C' || e.type === 'CPE');
  if (!r || !cap) return null;
  const rv = values.get(r.name)!;
  const q = cap.type === 'C' ? values.get(cap.name)! : values.get(`${cap.name}_Q`)!;
  const alpha = cap.type === 'C' ? 1 : values.get(`${cap.name}_alpha`)!;
  return { r: r.name, f: 1 / (2 * Math.PI * (rv * q) ** (1 / alpha)) };
}

/**
 * Chooses the bulk resistance from a fit: `element` when named; else the resistor of the highest-frequency
 * R∥C / R∥CPE block at the top level (the bulk arc: R1 in R0-p(R1,CPE1)-CPE2); when that arc's
 * characteristic frequency lies above the highest measured frequency, or the circuit has no such arc,
 * or when the fit leaves that arc undetermined (relative standard error > 50 %), the high-frequency
 * intercept: the sum of the top-level series resistors (plus the collapsed arc's R when it is above range).
 */
export function bulkResistance(fit: FitResult, spectrum: Spectrum, element?: string): BulkResistance {
  const byName = new Map(fit.parameters.map((p) => [p.name, p]));
  if (element !== undefined) {
    const param = byName.get(element);
    if (!param) {
      throw new ElyteError(
        'invalid-argument',
        `element "${element}" is not a parameter of ${fit.circuit} (parameters: ${fit.parameters.map((p) => p.name).join(', ')})`,
        { where: '--element' },
      );
    }
    return { R_ohm: param.value, R_stderr_ohm: param.stderr, method: 'element', element };
  }
  const tree = parseCircuit(fit.circuit);
  const top = tree.kind === 'series' ? tree.children : [tree];
  const values = new Map(fit.parameters.map((p) => [p.name, p.value]));
  const arcs = top.flatMap((node) => blockFrequency(node, values) ?? []).sort((a, b) => b.f - a.f);
  let fMax = 0;
  for (const f of spectrum.frequency_Hz) fMax = Math.max(fMax, f);
  const bulk = arcs[0];
  const bulkParam = bulk ? byName.get(bulk.r)! : null;
  // An arc the data do not determine (relative standard error over 50 %) is no bulk arc: the fit parked it
  // under another feature, and the series resistors carry the intercept.
  const resolved =
    bulkParam !== null && bulkParam.stderr !== null && bulkParam.stderr < 0.5 * Math.abs(bulkParam.value);
  if (bulk && bulkParam && resolved && bulk.f <= fMax) {
    return { R_ohm: bulkParam.value, R_stderr_ohm: bulkParam.stderr, method: 'element', element: bulk.r };
  }
  const series = top.flatMap((node) => (node.kind === 'element' && node.type === 'R' ? [node.name] : []));
  // Above the measured range the arc has collapsed onto the real axis and adds to the intercept.
  if (bulk && resolved) series.push(bulk.r);
  if (series.length === 0) {
    throw new ElyteError(
      'analysis',
      `${fit.circuit} has neither a bulk R∥C/CPE arc nor a series resistor: name the bulk element (--element)`,
    );
  }
  const params = series.map((name) => byName.get(name)!);
  const anyMissing = params.some((p) => p.stderr === null);
  return {
    R_ohm: params.reduce((sum, p) => sum + p.value, 0),
    R_stderr_ohm: anyMissing ? null : Math.sqrt(params.reduce((sum, p) => sum + p.stderr! ** 2, 0)),
    method: 'hf-intercept',
    element: series.join('+'),
  };
}
