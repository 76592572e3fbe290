/**
 * Conductivity, temperature series, Arrhenius and VTF on generated data with documented truth.
 */
import { describe, expect, it } from 'vitest';
import {
  arrhenius,
  bulkResistance,
  conductivity,
  fitCircuit,
  fitSeries,
  gaussian,
  logFrequencies,
  seededRandom,
  splitByDirection,
  syntheticSpectrum,
  vtf,
} from '../../app/eis/index';

const K_B = 8.617333262e-5; // eV/K
const F = logFrequencies(1e6, 1e-2, 60);

describe('conductivity', () => {
  it('is L/(R·A) with the fit error and the tolerances propagated in quadrature', () => {
    const result = conductivity({
      resistance_ohm: 100,
      resistance_stderr_ohm: 2,
      thickness_m: 1e-3,
      thickness_tolerance_m: 1e-5,
      area_m2: 1e-4,
      area_tolerance_m2: 1e-6,
    });
    expect(result.sigma_S_per_m).toBeCloseTo(0.1, 12);
    expect(result.sigma_stderr_S_per_m).toBeCloseTo(0.1 * Math.sqrt(0.02 ** 2 + 0.01 ** 2 + 0.01 ** 2), 12);
    expect(
      conductivity({ resistance_ohm: 100, thickness_m: 1e-3, area_m2: 1e-4 }).sigma_stderr_S_per_m,
    ).toBeNull();
    expect(() => conductivity({ resistance_ohm: 0, thickness_m: 1e-3, area_m2: 1e-4 })).toThrow(/resistance/);
    expect(() => conductivity({ resistance_ohm: 10, thickness_m: -1, area_m2: 1e-4 })).toThrow(/thickness/);
  });

  it('takes the bulk arc resistor by default, or the high-frequency intercept when the arc is out of range', () => {
    const circuit = 'R0-p(R1,CPE1)-CPE2';
    const inRange = syntheticSpectrum(
      circuit,
      { R0: 5, R1: 4000, CPE1_Q: 1e-9, CPE1_alpha: 0.9, CPE2_Q: 1e-6, CPE2_alpha: 0.85 },
      F,
      0.003,
      9,
    );
    const fit = fitCircuit(inRange, circuit);
    const bulk = bulkResistance(fit, inRange);
    expect(bulk.method).toBe('element');
    expect(bulk.element).toBe('R1');
    expect(bulk.R_ohm / 4000 - 1).toBeLessThan(0.01);
    expect(bulk.R_stderr_ohm).toBeGreaterThan(0);
    // Named element wins.
    expect(bulkResistance(fit, inRange, 'R0').element).toBe('R0');
    expect(() => bulkResistance(fit, inRange, 'R7')).toThrow(/not a parameter/);
    // A 40 Ω bulk arc with a 1e-11 F geometric capacitance peaks near 400 MHz, far above 1 MHz: only the
    // real-axis intercept R0 + R1 = 45 Ω is measurable.
    const outOfRange = syntheticSpectrum(
      circuit,
      { R0: 5, R1: 40, CPE1_Q: 1e-11, CPE1_alpha: 1, CPE2_Q: 1e-6, CPE2_alpha: 0.85 },
      F,
      0.003,
      10,
    );
    const fitOut = fitCircuit(outOfRange, circuit);
    const hf = bulkResistance(fitOut, outOfRange);
    expect(hf.method).toBe('hf-intercept');
    expect(Math.abs(hf.R_ohm / 45 - 1)).toBeLessThan(0.02);
  });
});

describe('temperature series → Arrhenius', () => {
  // Truth: σ = σ0 exp(−Ea/kT) with Ea = 0.35 eV and σ(25 °C) = 1e-4 S/m; 500 µm × 1 cm² pellet;
  // bulk CPE Q = 5e-11, α = 0.95; blocking CPE 1e-6, α = 0.85; 0.5 % noise; 30, 40, …, 80 °C.
  const Ea = 0.35;
  const sigma25 = 1e-4;
  const L = 500e-6;
  const A = 1e-4;
  const temperatures = [30, 40, 50, 60, 70, 80].map((c) => c + 273.15);
  const sigmaAt = (T: number) => sigma25 * Math.exp((-Ea / K_B) * (1 / T - 1 / 298.15));
  const circuit = 'R0-p(R1,CPE1)-CPE2';
  const series = temperatures.map((T, i) => ({
    T_K: T,
    label: `${(T - 273.15).toFixed(0)}C`,
    spectrum: syntheticSpectrum(
      circuit,
      { R0: 3, R1: L / (sigmaAt(T) * A), CPE1_Q: 5e-11, CPE1_alpha: 0.95, CPE2_Q: 1e-6, CPE2_alpha: 0.85 },
      F,
      0.005,
      100 + i,
    ),
  }));

  it('fits six spectra warm-started and gives Ea within ±0.005 eV and σ(25 °C) within 2 %', () => {
    const progress: number[] = [];
    const fits = fitSeries(series, circuit, {}, (done) => progress.push(done));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fits.every((f) => f.fit !== null && f.error === null)).toBe(true);
    expect(fits.slice(1).some((f) => f.warmStarted)).toBe(true);
    const points = fits.map((f, i) => {
      const bulk = bulkResistance(f.fit!, series[i]!.spectrum);
      const sigma = conductivity({
        resistance_ohm: bulk.R_ohm,
        resistance_stderr_ohm: bulk.R_stderr_ohm,
        thickness_m: L,
        area_m2: A,
      });
      return {
        T_K: f.T_K,
        sigma_S_per_m: sigma.sigma_S_per_m,
        sigma_stderr_S_per_m: sigma.sigma_stderr_S_per_m,
      };
    });
    const result = arrhenius(points);
    expect(Math.abs(result.Ea_eV - Ea)).toBeLessThan(0.005);
    expect(result.Ea_eV_stderr).toBeGreaterThan(0);
    expect(Math.abs(result.Ea_eV - Ea)).toBeLessThan(5 * result.Ea_eV_stderr + 1e-4);
    expect(Math.abs(result.sigma25C_S_per_m / sigma25 - 1)).toBeLessThan(0.02);
    expect(result.extrapolated).toBe(true);
    expect(result.weighted).toBe(true);
    expect(result.r2).toBeGreaterThan(0.999);
  });

  it('keeps going when one spectrum of a series is unusable, and says which', () => {
    const broken = {
      T_K: 360,
      label: 'broken.mpr',
      spectrum: {
        frequency_Hz: Float64Array.of(1e3, 1e2, 0),
        z_real_ohm: Float64Array.of(1, 2, 3),
        z_imag_ohm: Float64Array.of(-1, -1, -1),
      },
    };
    const fits = fitSeries([series[0]!, broken, series[1]!], circuit);
    expect(fits.map((f) => f.fit !== null)).toEqual([true, false, true]);
    expect(fits[1]!.error).toMatch(/frequency 0 Hz/);
    expect(fits[1]!.label).toBe('broken.mpr');
  });

  it('fits ln(σT) when asked (σT-Arrhenius truth)', () => {
    const normal = gaussian(seededRandom(5));
    const points = temperatures.map((T) => ({
      T_K: T,
      sigma_S_per_m: (1e5 / T) * Math.exp(-0.42 / (K_B * T)) * (1 + 0.005 * normal()),
    }));
    const result = arrhenius(points, { sigmaT: true });
    expect(result.sigmaT).toBe(true);
    expect(Math.abs(result.Ea_eV - 0.42)).toBeLessThan(0.005);
    expect(result.lnSigma0).toBeCloseTo(Math.log(1e5), 0);
  });

  it('refuses fewer than two temperatures or non-positive values', () => {
    expect(() => arrhenius([{ T_K: 300, sigma_S_per_m: 1 }])).toThrow(/at least 2/);
    expect(() =>
      arrhenius([
        { T_K: 300, sigma_S_per_m: 1 },
        { T_K: 310, sigma_S_per_m: 0 },
      ]),
    ).toThrow(/must be > 0/);
  });
});

describe('VTF', () => {
  it('recovers A, B and T0 of σ = A T^−½ exp(−B/(T − T0)) from 0.3 % noise', () => {
    const truth = { A: 50, B: 900, T0: 190 };
    const normal = gaussian(seededRandom(8));
    const points = Array.from({ length: 10 }, (_, i) => {
      const T = 250 + i * 15;
      const sigma = truth.A * T ** -0.5 * Math.exp(-truth.B / (T - truth.T0));
      return { T_K: T, sigma_S_per_m: sigma * (1 + 0.003 * normal()) };
    });
    const result = vtf(points);
    expect(Math.abs(result.T0_K - truth.T0)).toBeLessThan(Math.max(4 * result.T0_K_stderr, 5));
    expect(Math.abs(result.B_K / truth.B - 1)).toBeLessThan(0.1);
    expect(Math.abs(result.A / truth.A - 1)).toBeLessThan(0.25);
    expect(result.B_eV).toBeCloseTo(result.B_K * K_B, 12);
    expect(result.r2).toBeGreaterThan(0.999);
    expect(() => vtf(points.slice(0, 3))).toThrow(/at least 4/);
  });
});

describe('heating and cooling runs', () => {
  it('splits a series where the temperature turns, sharing the turning point', () => {
    const temps = [30, 40, 50, 60, 60.2, 50, 40, 30, 40];
    const runs = splitByDirection(temps.map((c) => ({ T_K: c + 273.15 })));
    expect(runs.map((r) => r.direction)).toEqual(['heating', 'cooling', 'heating']);
    expect(runs[0]!.indices).toEqual([0, 1, 2, 3, 4]);
    expect(runs[1]!.indices).toEqual([4, 5, 6, 7]);
    expect(runs[2]!.indices).toEqual([7, 8]);
  });
});
