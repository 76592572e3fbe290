/**
 * The reference study (Liu, Pan et al., Nano-Micro Lett. 17:190, 2025; ../shared/docs/reference-study.md)
 * as generator parameters: what each sample's films and cells are, and the numbers the paper reports.
 * Where the paper gives no number (thickness, resistances, overpotentials of the weaker samples…) we
 * chose plausible ones; each is marked "assumed".
 */

export type SampleId = 'PVH' | 'SiO2-in-PVH' | 'PVH-in-SiO2';

export interface SampleParameters {
  id: SampleId;
  slug: string;
  /** σ at 25 °C, S m⁻¹ (paper: S cm⁻¹ × 100). */
  sigma25_S_per_m: number;
  /** Activation energy, eV (null: the paper gives none, no temperature series generated). */
  Ea_eV: number | null;
  t_plus: number;
  /** Interfacial resistance before/after polarisation, Ω (assumed). */
  R0_ohm: number;
  Rs_ohm: number;
  onset_V: number;
  /** PVH's small oxidation peak near 4.0 V, A m⁻² (kept below the 0.1 A m⁻² threshold). */
  lsvPeak: { V: number; height_A_per_m2: number; width_V: number } | null;
  ccd_A_per_m2: number;
  /** Li‖Li kinetics η(j) = c·asinh(j/j0) via two anchor overpotentials at 1 and 2 A m⁻², V. */
  eta_1: number;
  eta_2: number;
  /** Overpotential growth, V s⁻¹ (assumed). */
  trend_V_per_s: number;
  /** Li‖Li life at 1 and 2 A m⁻², h (null: no short within the 1000 h record). */
  life_1_h: number | null;
  life_2_h: number | null;
  /** LFP rate capability: discharge mAh g⁻¹ at 0.1, 0.2, 0.5, 1, 2, 5 C and back at 0.1 C. */
  rate_mAh_per_g: [number, number, number, number, number, number, number];
  polarisation_2C_V: number;
  /** 3 C cycling: first-cycle capacity and retention after 300 cycles, % (null: not generated). */
  cycling3C: { first: number; retention_pct: number } | null;
}

export const AREA_M2 = 2.01e-4; // 16 mm discs
export const THICKNESS_M = 100e-6; // assumed
export const LFP_LOADING_KG_PER_M2 = 2.0e-6 / 1e-4; // 2.0 mg cm⁻²
export const LFP_MASS_KG = LFP_LOADING_KG_PER_M2 * AREA_M2; // 4.02 mg
export const ARRHENIUS_TEMPERATURES_C = [30, 40, 50, 60, 70, 80];

export const SAMPLES: SampleParameters[] = [
  {
    id: 'PVH',
    slug: 'pvh',
    sigma25_S_per_m: 3.7e-2,
    Ea_eV: 0.22,
    t_plus: 0.19,
    R0_ohm: 30,
    Rs_ohm: 38,
    onset_V: 4.66,
    lsvPeak: { V: 4.0, height_A_per_m2: 0.06, width_V: 0.05 },
    ccd_A_per_m2: 4,
    eta_1: 0.15,
    eta_2: 0.21,
    trend_V_per_s: 0.5e-3 / 3600,
    life_1_h: 51,
    life_2_h: 33,
    // Assumed (the paper shows only PVH-in-SiO₂'s table); PVH's 2 C polarisation is the paper's.
    rate_mAh_per_g: [150.2, 144.1, 131.5, 115.3, 92.4, 20.3, 141.7],
    polarisation_2C_V: 0.78,
    cycling3C: { first: 98.0, retention_pct: 42.1 },
  },
  {
    id: 'SiO2-in-PVH',
    slug: 'sio2-in-pvh',
    sigma25_S_per_m: 5.9e-2,
    Ea_eV: null,
    t_plus: 0.33,
    R0_ohm: 20,
    Rs_ohm: 24,
    onset_V: 4.75,
    lsvPeak: null,
    ccd_A_per_m2: 7,
    eta_1: 0.11,
    eta_2: 0.15,
    trend_V_per_s: 0.1e-3 / 3600,
    life_1_h: 330,
    life_2_h: 88,
    // 27.4 mAh g⁻¹ at 5 C and the 0.77 V polarisation are the paper's; the rest assumed.
    rate_mAh_per_g: [153.1, 148.9, 138.7, 124.6, 101.8, 27.4, 147.3],
    polarisation_2C_V: 0.77,
    cycling3C: null,
  },
  {
    id: 'PVH-in-SiO2',
    slug: 'pvh-in-sio2',
    sigma25_S_per_m: 1.32e-1,
    Ea_eV: 0.17,
    t_plus: 0.46,
    R0_ohm: 14,
    Rs_ohm: 17,
    onset_V: 5.0,
    lsvPeak: null,
    ccd_A_per_m2: 9,
    eta_1: 0.0682,
    eta_2: 0.0886,
    trend_V_per_s: 0,
    life_1_h: null,
    life_2_h: null,
    rate_mAh_per_g: [157.4, 154.5, 148.1, 139.6, 126.0, 75.6, 152.6],
    polarisation_2C_V: 0.51,
    cycling3C: { first: 112.0, retention_pct: 92.9 },
  },
];

export const RATES = [0.1, 0.2, 0.5, 1, 2, 5, 0.1];

/** PVH-in-SiO₂ at 0.2 C: 152.8 → 158.6 mAh g⁻¹ over 20 cycles, 99.4 % of cycle 1 after 100 cycles. */
export const CYCLING_02C = { first: 152.8, peak: 158.6, peakCycle: 20, retention_pct: 99.4, cycles: 100 };
/** PVH-in-SiO₂ at 5 C: 77.5 % after 300 cycles. */
export const CYCLING_5C = { first: 75.6, retention_pct: 77.5, cycles: 300 };
