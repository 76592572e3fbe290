/**
 * Fits on REAL instrument files read through app/formats (parseInstrumentFile):
 * - Zahner's RC test circuit against Zahner Analysis's own fit (_reference/zahner, CATALOGUE row);
 * - every EIS file of ../shared/data with a two-arc circuit from automatic initial values: a result that is
 *   finite and flagged when poor, and never worse than the same LM started from a naive fixed guess
 *   (every positive parameter 1, every exponent 0.9: a technician's untuned start).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCircuit, fitCircuit, simulate, spectrumFromMeasurement } from '../../app/eis/index';
import { parseInstrumentFile } from '../../app/formats/index';
import { readCatalogue, readShared, sharedFile } from '../support/paths';

function load(path: string) {
  const measurement = parseInstrumentFile(readShared(path), path.split('/').pop()!);
  return spectrumFromMeasurement(measurement).spectrum;
}

/** Mean |(|Z_model|/|Z| − 1)| in %, Zahner Analysis's "impedance error". */
function meanModulusError(
  spectrum: ReturnType<typeof load>,
  model: { real: Float64Array; imag: Float64Array },
) {
  let sum = 0;
  for (let i = 0; i < spectrum.frequency_Hz.length; i++) {
    const measured = Math.hypot(spectrum.z_real_ohm[i]!, spectrum.z_imag_ohm[i]!);
    sum += Math.abs(Math.hypot(model.real[i]!, model.imag[i]!) / measured - 1);
  }
  return (100 * sum) / spectrum.frequency_Hz.length;
}

describe('Zahner RC test circuit (zahner__rc-data.ism) vs Zahner Analysis', () => {
  const reference = JSON.parse(
    readFileSync(
      sharedFile('_reference/zahner/Examples__BasicIntroduction__fit_results__fit_result.json'),
      'utf8',
    ),
  ) as { model: { R0: { R: { value: number } }; C0: { C: { value: number } } } };
  const R = reference.model.R0.R.value;
  const C = reference.model.C0.C.value;

  it('finds R and C within 0.5 % of Zahner Analysis and fits at least as well on the same points', () => {
    expect(R).toBeCloseTo(98865833, -1);
    const spectrum = load('zahner_ism/zahner__rc-data.ism');
    const fit = fitCircuit(spectrum, 'p(R0,C0)');
    expect(fit.converged).toBe(true);
    const r = fit.parameters.find((p) => p.name === 'R0')!.value;
    const c = fit.parameters.find((p) => p.name === 'C0')!.value;
    expect(Math.abs(r / R - 1)).toBeLessThan(0.005);
    expect(Math.abs(c / C - 1)).toBeLessThan(0.005);
    const ours = meanModulusError(spectrum, simulate('p(R0,C0)', { R0: r, C0: c }, spectrum.frequency_Hz));
    const theirs = meanModulusError(spectrum, simulate('p(R0,C0)', { R0: R, C0: C }, spectrum.frequency_Hz));
    expect(ours).toBeLessThanOrEqual(theirs);
  });
});

describe('every real EIS file', () => {
  const files = readCatalogue()
    .filter((row) => /EIS|impedance/i.test(row.technique) && !/broken/i.test(row.technique))
    .map((row) => row.local_path)
    .filter((path) => {
      try {
        return load(path).frequency_Hz.length >= 12;
      } catch {
        return false;
      }
    });

  it('includes the instrument EIS files', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files).toContain('gamry_dta/exampleDataGamry.DTA');
    expect(files).toContain('zplot_z/impedance_py__Circuit3_EIS_1.z');
  });

  const circuit = 'R0-p(R1,CPE1)-p(R2,CPE2)';
  it.each(files)(`%s: ${circuit} from automatic values beats a naive start`, (path) => {
    const spectrum = load(path);
    const auto = fitCircuit(spectrum, circuit);
    expect(Number.isFinite(auto.rmse_ohm)).toBe(true);
    for (const p of auto.parameters) expect(Number.isFinite(p.value)).toBe(true);
    if (!auto.converged) expect(auto.warnings.join(' ')).toMatch(/did not converge/);
    const naiveStart = Object.fromEntries(
      compileCircuit(circuit).parameters.map((p) => [p.name, p.kind === 'fraction' ? 0.9 : 1]),
    );
    const naive = fitCircuit(spectrum, circuit, { initial: naiveStart, globalSearch: 'never' });
    // At least as low, up to 1 % of one reduced-χ² unit (two runs ending in the same minimum differ by less).
    expect(auto.chi2).toBeLessThanOrEqual(naive.chi2 + 0.01 * naive.reducedChi2);
  });
});
