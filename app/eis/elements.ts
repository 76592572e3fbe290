/**
 * Circuit elements: formula, parameters with units, and the impedance with its ANALYTIC derivative with
 * respect to every parameter (ω = 2πf, j² = −1). Parameter names are `<element>_<suffix>`, except
 * one-parameter elements (R0, C1, L1, W1) which use the element name alone, as impedance.py does.
 */
import { type Complex, cadd, cdiv, cmul, cscale, csqrt, ctanh, jomegaPow, lnJomega } from './complex';
import type { ElementType } from './types';

/** 'positive': fitted as ln p. 'fraction': an exponent in (0, 1], fitted through a logit. */
export type ParameterKind = 'positive' | 'fraction';

export interface ParameterSpec {
  suffix: string;
  unit: string;
  kind: ParameterKind;
}

export interface ElementSpec {
  type: ElementType;
  /** One-line formula for documentation and the UI. */
  formula: string;
  parameters: readonly ParameterSpec[];
  /** Z(ω; p) and dZ/dp_k (k in parameter order). */
  evaluate(p: ArrayLike<number>, omega: number): { z: Complex; dz: Complex[] };
}

const ONE: Complex = [1, 0];

/** A resistance and a time constant: the parameters of Wo, Ws, G and K, in that order. */
const R_TAU: readonly ParameterSpec[] = [
  { suffix: 'R', unit: 'Ω', kind: 'positive' },
  { suffix: 'tau', unit: 's', kind: 'positive' },
];

/** coth(u)/u and its derivative: the finite-space Warburg shape (also the de Levie line). */
function cothOverU(u: Complex): { f: Complex; df: Complex } {
  const c = cdiv(ONE, ctanh(u));
  const f = cdiv(c, u);
  // d/du [coth u / u] = −(coth² u − 1)/u − coth u / u²
  const c2m1: Complex = cadd(cmul(c, c), [-1, 0]);
  const df = cscale(cadd(cdiv(c2m1, u), cdiv(c, cmul(u, u))), -1);
  return { f, df };
}

/** tanh(u)/u and its derivative: the finite-length Warburg shape. */
function tanhOverU(u: Complex): { f: Complex; df: Complex } {
  const t = ctanh(u);
  const f = cdiv(t, u);
  // d/du [tanh u / u] = (1 − tanh² u)/u − tanh u / u²
  const sech2: Complex = cadd(ONE, cscale(cmul(t, t), -1));
  const df = cadd(cdiv(sech2, u), cscale(cdiv(t, cmul(u, u)), -1));
  return { f, df };
}

/** Z0·g(u), u = sqrt(jωτ): derivatives share du/dτ = u/(2τ). */
function diffusion(p: ArrayLike<number>, omega: number, shape: (u: Complex) => { f: Complex; df: Complex }) {
  const z0 = p[0]!;
  const tau = p[1]!;
  const u = csqrt([0, omega * tau]);
  const { f, df } = shape(u);
  const z = cscale(f, z0);
  return { z, dz: [f, cscale(cmul(df, u), z0 / (2 * tau))] };
}

export const ELEMENTS: Record<ElementType, ElementSpec> = {
  R: {
    type: 'R',
    formula: 'Z = R',
    parameters: [{ suffix: '', unit: 'Ω', kind: 'positive' }],
    evaluate: (p) => ({ z: [p[0]!, 0], dz: [ONE] }),
  },
  C: {
    type: 'C',
    formula: 'Z = 1/(jωC)',
    parameters: [{ suffix: '', unit: 'F', kind: 'positive' }],
    evaluate: (p, omega) => {
      const c = p[0]!;
      return { z: [0, -1 / (omega * c)], dz: [[0, 1 / (omega * c * c)]] };
    },
  },
  L: {
    type: 'L',
    formula: 'Z = jωL',
    parameters: [{ suffix: '', unit: 'H', kind: 'positive' }],
    evaluate: (p, omega) => ({ z: [0, omega * p[0]!], dz: [[0, omega]] }),
  },
  CPE: {
    type: 'CPE',
    formula: 'Z = 1/(Q (jω)^α), 0 < α ≤ 1',
    parameters: [
      { suffix: 'Q', unit: 'Ω⁻¹·sᵅ', kind: 'positive' },
      { suffix: 'alpha', unit: '', kind: 'fraction' },
    ],
    evaluate: (p, omega) => {
      const q = p[0]!;
      const z = cdiv(ONE, cscale(jomegaPow(omega, p[1]!), q));
      return { z, dz: [cscale(z, -1 / q), cscale(cmul(z, lnJomega(omega)), -1)] };
    },
  },
  W: {
    type: 'W',
    formula: 'Z = σ (1 − j)/√ω (semi-infinite Warburg)',
    parameters: [{ suffix: '', unit: 'Ω·s^-½', kind: 'positive' }],
    evaluate: (p, omega) => {
      const s = 1 / Math.sqrt(omega);
      return { z: [p[0]! * s, -p[0]! * s], dz: [[s, -s]] };
    },
  },
  Wo: {
    type: 'Wo',
    formula: 'Z = R coth(√(jωτ))/√(jωτ) (finite-space / open, reflective boundary)',
    parameters: R_TAU,
    evaluate: (p, omega) => diffusion(p, omega, cothOverU),
  },
  Ws: {
    type: 'Ws',
    formula: 'Z = R tanh(√(jωτ))/√(jωτ) (finite-length / short, transmissive boundary)',
    parameters: R_TAU,
    evaluate: (p, omega) => diffusion(p, omega, tanhOverU),
  },
  G: {
    type: 'G',
    formula: 'Z = R/√(1 + jωτ) (Gerischer)',
    parameters: R_TAU,
    evaluate: (p, omega) => {
      const r = p[0]!;
      const w: Complex = [1, omega * p[1]!];
      const z = cdiv([r, 0], csqrt(w));
      // dZ/dτ = −Z jω / (2(1 + jωτ))
      return { z, dz: [cscale(z, 1 / r), cscale(cdiv(cmul(z, [0, omega]), w), -0.5)] };
    },
  },
  La: {
    type: 'La',
    formula: 'Z = L (jω)^α (inductor with exponent)',
    parameters: [
      { suffix: 'L', unit: 'H·s^(α−1)', kind: 'positive' },
      { suffix: 'alpha', unit: '', kind: 'fraction' },
    ],
    evaluate: (p, omega) => {
      const l = p[0]!;
      const z = cscale(jomegaPow(omega, p[1]!), l);
      return { z, dz: [cscale(z, 1 / l), cmul(z, lnJomega(omega))] };
    },
  },
  K: {
    type: 'K',
    formula: 'Z = R/(1 + jωτ) (Voigt RC element written with τ = RC)',
    parameters: R_TAU,
    evaluate: (p, omega) => {
      const r = p[0]!;
      const w: Complex = [1, omega * p[1]!];
      const z = cdiv([r, 0], w);
      return { z, dz: [cdiv(ONE, w), cscale(cdiv(cmul(z, [0, omega]), w), -1)] };
    },
  },
  TLM: {
    type: 'TLM',
    formula:
      'Z = √(R·Zs) coth(√(R/Zs)), Zs = 1/(Q (jω)^α) (de Levie porous electrode, blocking end; ' +
      'R = total ionic resistance of the pore)',
    parameters: [
      { suffix: 'R', unit: 'Ω', kind: 'positive' },
      { suffix: 'Q', unit: 'Ω⁻¹·sᵅ', kind: 'positive' },
      { suffix: 'alpha', unit: '', kind: 'fraction' },
    ],
    evaluate: (p, omega) => {
      // With u = √(R Q (jω)^α), Z = R coth(u)/u; du/dR = u/2R, du/dQ = u/2Q, du/dα = u ln(jω)/2.
      const r = p[0]!;
      const q = p[1]!;
      const u = csqrt(cscale(jomegaPow(omega, p[2]!), r * q));
      const { f, df } = cothOverU(u);
      const dfu = cmul(df, u);
      return {
        z: cscale(f, r),
        dz: [cadd(f, cscale(dfu, 0.5)), cscale(dfu, r / (2 * q)), cscale(cmul(dfu, lnJomega(omega)), r / 2)],
      };
    },
  },
};

/** impedance.py-style positional aliases (CPE1_0 → CPE1_Q, Wo1_1 → Wo1_tau …) accepted in options. */
export function parameterNames(type: ElementType, name: string): string[] {
  return ELEMENTS[type].parameters.map((spec) => (spec.suffix ? `${name}_${spec.suffix}` : name));
}
