/**
 * Shapes shared by the impedance engine. Everything is SI: Hz, Ω, F, H, s, m, m², K, S/m.
 * Impedance sign convention: z_imag_ohm is negative for capacitive behaviour (as in Measurement).
 */

export interface Spectrum {
  frequency_Hz: Float64Array;
  z_real_ohm: Float64Array;
  /** Negative = capacitive. */
  z_imag_ohm: Float64Array;
}

/**
 * How each residual is scaled before squaring:
 * - `unit`: σ = 1 Ω (absolute errors; large impedances dominate);
 * - `proportional`: σ_re = |Z'|, σ_im = |Z''| (each component relative, floored at 1 % of |Z|);
 * - `modulus`: σ = |Z| for both components (Boukamp's modulus weighting; the default).
 */
export type Weighting = 'unit' | 'proportional' | 'modulus';

export const WEIGHTINGS: readonly Weighting[] = ['unit', 'proportional', 'modulus'];

export interface FitOptions {
  /** Residual weighting (default 'modulus'). */
  weighting?: Weighting;
  /** Starting values by parameter name (e.g. { R1: 120, CPE1_Q: 1e-9 }); they win over automatic ones. */
  initial?: Record<string, number>;
  /** Parameters held at these values (excluded from the fit, stderr null). */
  fixed?: Record<string, number>;
  /** Lower/upper bounds by parameter name (inclusive); a fitted value at a bound raises a warning. */
  bounds?: Record<string, [number, number]>;
  /** Only points with fmin ≤ f ≤ fmax are fitted (default: all). */
  frequencyRange_Hz?: [number, number];
  /** Levenberg–Marquardt iteration budget for the final polish (default 200). */
  maxIterations?: number;
  /**
   * Multi-start global stage: 'auto' (default) runs it only when the local fit from the automatic
   * initial values is poor; 'always' runs it anyway; 'never' keeps the local fit.
   */
  globalSearch?: 'auto' | 'always' | 'never';
}

export interface FitParameter {
  /** CLI names: R0, C1, CPE1_Q, CPE1_alpha, Wo1_R, Wo1_tau, … */
  name: string;
  value: number;
  /** One standard error from the Jacobian at the optimum; null when fixed or not identifiable. */
  stderr: number | null;
  unit: string;
  fixed: boolean;
}

export interface FitResult {
  /** The circuit in impedance.py syntax (CDC input is rewritten). */
  circuit: string;
  parameters: FitParameter[];
  /** Weighted sum of squared residuals Σ[(ΔZ'/σ)² + (ΔZ''/σ)²]. */
  chi2: number;
  /** chi2 / (2N − P), P = number of free parameters. */
  reducedChi2: number;
  /** sqrt(Σ|Z_fit − Z|² / N), Ω (impedance.py's rmse). */
  rmse_ohm: number;
  /** Akaike / Bayesian information criteria from chi2 (lower = better; compare circuits on the same data). */
  aic: number;
  bic: number;
  weighting: Weighting;
  iterations: number;
  converged: boolean;
  /** Correlation matrix of the free parameters, in the order of `parameters` with fixed ones skipped. */
  correlation: number[][];
  /** Relative residuals (Z_fit − Z)/|Z| per point, real and imaginary. */
  residuals: { frequency_Hz: Float64Array; real: Float64Array; imag: Float64Array };
  warnings: string[];
  /** Number of frequencies fitted. */
  points: number;
  /** Starting values actually used by the local fit (automatic or typed). */
  initialValues: Record<string, number>;
  usedGlobalSearch: boolean;
}

export type ElementType = 'R' | 'C' | 'L' | 'CPE' | 'W' | 'Wo' | 'Ws' | 'G' | 'La' | 'K' | 'TLM';

export type CircuitNode =
  | { kind: 'element'; type: ElementType; name: string }
  | { kind: 'series'; children: CircuitNode[] }
  | { kind: 'parallel'; children: CircuitNode[] };
