/**
 * `elyte fit | conductivity | arrhenius | kk | drt` through the real command line: the contract's fields
 * and units, known answers from independent tools (impedance.py's Lin-KK and fit RMSE, CATALOGUE.tsv) or
 * from the reference study's generator (truth.json), and the exit-2 refusals of bad units and flags.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readCatalogue, sharedFile } from '../support/paths';
import {
  type CliRun,
  elyteAll,
  expectBadInput,
  expectNumber,
  expectNumberOrNull,
  expectOk,
  jsonOf,
  relativeError,
} from './support';

const BIOLOGIC = sharedFile('biologic_mpt/exampleDataBioLogic.mpt');
const CIRCUIT3 = sharedFile('zplot_z/impedance_py__Circuit3_EIS_1.z');
const IMPEDANCE_PY = sharedFile('impedance_py_csv/exampleData.csv');
const STUDY = join(REPO_ROOT, 'examples/reference-study');

/** impedance.py fits only the points with Im(Z) < 0; the highest such frequency bounds the range. */
function capacitiveRangeTop(): { fmax_Hz: number; points: number } {
  const rows = readFileSync(IMPEDANCE_PY, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number));
  const capacitive = rows.filter((r) => r[2]! < 0).map((r) => r[0]!);
  const top = Math.max(...capacitive);
  const next = Math.min(...rows.map((r) => r[0]!).filter((f) => f > top));
  return { fmax_Hz: Math.sqrt(top * next), points: capacitive.length };
}

interface Parameter {
  name: string;
  value: number;
  stderr: number | null;
  unit: string;
}

const runs = new Map<string, CliRun>();
const range = capacitiveRangeTop();
const series = [30, 40, 50, 60, 70, 80].map((t) => join(STUDY, `pvh_ss-eis_${t}C.mpt`));

beforeAll(async () => {
  const cases: [string, string[]][] = [
    ['conductivity', ['conductivity', BIOLOGIC, '--thickness', '100um', '--area', '1cm2', '--json']],
    [
      'fit',
      [
        'fit',
        IMPEDANCE_PY,
        '--circuit',
        'R0-p(R1,C1)-p(R2-Wo1,C2)',
        '--fmax',
        `${range.fmax_Hz}Hz`,
        '--json',
      ],
    ],
    ['kk', ['kk', CIRCUIT3, '--c', '0.69', '--json']],
    ['drt', ['drt', BIOLOGIC, '--json']],
    [
      'arrhenius',
      // Other spellings of the same units: 0.1mm = 100 µm, "2.01 cm^2" = 2.01 cm².
      [
        'arrhenius',
        ...series,
        '--thickness',
        '0.1mm',
        '--area',
        '2.01 cm^2',
        '--circuit',
        'R0-CPE1',
        '--json',
      ],
    ],
    ['no-unit', ['conductivity', BIOLOGIC, '--thickness', '100', '--area', '1cm2']],
    ['wrong-unit', ['conductivity', BIOLOGIC, '--thickness', '10mV', '--area', '1cm2']],
    ['unknown-flag', ['conductivity', BIOLOGIC, '--thickness', '100um', '--area', '1cm2', '--bogus']],
    ['missing-area', ['conductivity', BIOLOGIC, '--thickness', '100um']],
    ['bad-circuit', ['fit', BIOLOGIC, '--circuit', 'R0-p(R1']],
    ['bad-c', ['kk', CIRCUIT3, '--c', 'abc']],
    ['lsv-on-eis', ['lsv', BIOLOGIC, '--area', '1cm2', '--json']],
    ['unknown-command', ['fitt', BIOLOGIC]],
  ];
  await elyteAll(cases, runs);
});

describe('elyte conductivity', () => {
  it('σ = L/(R·A) from R_bulk_ohm, 100 µm and 1 cm², within 1e-9, with the contract fields', () => {
    const run = runs.get('conductivity')!;
    expectOk(run);
    const r = jsonOf(run);
    for (const key of ['R_bulk_ohm', 'R_bulk_ohm_stderr', 'sigma_S_per_cm', 'sigma_S_per_cm_stderr'])
      expectNumber(r[key], key);
    expect(typeof r.method).toBe('string');
    const R = r.R_bulk_ohm as number;
    const sigma = 0.01 / (R * 1); // L = 0.01 cm, A = 1 cm²
    expect(relativeError(r.sigma_S_per_cm as number, sigma)).toBeLessThan(1e-9);
    // With exact geometry the only uncertainty is the fit's: relative errors of σ and R agree.
    expect(
      relativeError(
        (r.sigma_S_per_cm_stderr as number) / (r.sigma_S_per_cm as number),
        (r.R_bulk_ohm_stderr as number) / R,
      ),
    ).toBeLessThan(1e-6);
    // The bulk arc of this spectrum starts near 63 Ω (CATALOGUE: Z[0] = 65.47 Ω at 1 kHz, Z[-1] = 110.97 Ω).
    expect(R).toBeGreaterThan(0);
    expect(R).toBeLessThan(110.97);
  });

  it('CPE parameters are named CPE1_Q and CPE1_alpha, each {name, value, stderr, unit}', () => {
    const fit = jsonOf(runs.get('conductivity')!).fit as { parameters: Parameter[] };
    const names = fit.parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['R0', 'R1', 'CPE1_Q', 'CPE1_alpha']));
    for (const p of fit.parameters) {
      expectNumber(p.value, p.name);
      expectNumberOrNull(p.stderr, `${p.name} stderr`);
      expect(typeof p.unit).toBe('string');
    }
    expect(fit.parameters.find((p) => p.name === 'R1')!.unit).toBe('Ω');
  });
});

describe('elyte fit', () => {
  it('impedance.py’s example: the contract fields, and an RMSE no worse than impedance.py’s 5.838e-4 Ω', () => {
    const row = readCatalogue().find((r) => r.local_path === 'impedance_py_csv/exampleData.csv')!;
    expect(row.source_test_expectations).toContain('(57 of 66)');
    expect(row.source_test_expectations).toContain('RMSE 5.838e-4 ohm');
    expect(range.points).toBe(57);
    const run = runs.get('fit')!;
    expectOk(run);
    const r = jsonOf(run);
    expect(r.circuit).toBe('R0-p(R1,C1)-p(R2-Wo1,C2)');
    expectNumber(r.chi2, 'chi2');
    expect(typeof r.weighting).toBe('string');
    expect(Number.isInteger(r.iterations)).toBe(true);
    expect(r.converged).toBe(true);
    expect(r.points).toBe(57);
    const parameters = r.parameters as Parameter[];
    expect(parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['R0', 'R1', 'C1', 'R2', 'C2']));
    expect(parameters.find((p) => p.name === 'C1')!.unit).toBe('F');
    expectNumber(r.rmse_ohm, 'rmse_ohm');
    expect(r.rmse_ohm as number).toBeLessThanOrEqual(5.838e-4);
  });
});

describe('elyte kk', () => {
  it('Circuit3_EIS_1.z with --c 0.69: M = 10 and µ = 0.6843821118 (impedance.py, Schönleber’s Lin-KK)', () => {
    const row = readCatalogue().find((r) => r.local_path === 'zplot_z/impedance_py__Circuit3_EIS_1.z')!;
    expect(row.source_test_expectations).toContain('gives M = 10 RC elements and mu = 0.6843821118');
    const run = runs.get('kk')!;
    const r = jsonOf(run);
    expect(r.M).toBe(10);
    expectNumber(r.mu, 'mu');
    expect(Math.abs((r.mu as number) - 0.6843821118)).toBeLessThan(1e-6);
    expect(typeof r.pass).toBe('boolean');
    // A failed Kramers–Kronig test is still a result: exit 0, and the verdict is in the JSON.
    expect(run.code).toBe(0);
  });

  it('refuses a --c that is not a number, naming the flag', () =>
    expectBadInput(runs.get('bad-c')!, /--c must be a plain number/));
});

describe('elyte drt', () => {
  it('gives τ, γ and peaks, all finite', () => {
    const run = runs.get('drt')!;
    expectOk(run);
    const r = jsonOf(run);
    const tau = r.tau_s as number[];
    const gamma = r.gamma_ohm as number[];
    expect(tau.length).toBeGreaterThan(10);
    expect(gamma).toHaveLength(tau.length);
    for (const [i, t] of tau.entries()) {
      expectNumber(t, `tau_s[${i}]`);
      expect(gamma[i]!).toBeGreaterThanOrEqual(0); // non-negative least squares
    }
    const peaks = r.peaks as { tau_s: number; R_ohm: number }[];
    expect(peaks.length).toBeGreaterThan(0);
    for (const p of peaks) {
      expectNumber(p.tau_s, 'peak tau_s');
      expectNumber(p.R_ohm, 'peak R_ohm');
    }
  });
});

describe('elyte arrhenius', () => {
  it('the reference study’s PVH series (files named _30C…_80C): Ea and each σ against the generator’s truth', () => {
    const truth = JSON.parse(readFileSync(join(STUDY, 'truth.json'), 'utf8')) as {
      PVH: { Ea_eV: number; arrhenius: { T_C: number; sigma_S_per_cm: number }[] };
    };
    const run = runs.get('arrhenius')!;
    expectOk(run);
    const r = jsonOf(run);
    for (const key of ['Ea_eV', 'Ea_eV_stderr', 'sigma_25C_S_per_cm', 'r2']) expectNumber(r[key], key);
    // Issue 4: Ea within ±0.005 eV of truth on generated data.
    expect(Math.abs((r.Ea_eV as number) - truth.PVH.Ea_eV)).toBeLessThan(0.005);
    const points = r.points as { T_K: number; sigma_S_per_cm: number; R_bulk_ohm: number }[];
    expect(points.map((p) => p.T_K)).toEqual(truth.PVH.arrhenius.map((p) => p.T_C + 273.15));
    for (const [i, p] of points.entries()) {
      // σ = L/(R·A): 0.01 cm / (R · 2.01 cm²).
      expect(relativeError(p.sigma_S_per_cm, 0.01 / (p.R_bulk_ohm * 2.01))).toBeLessThan(1e-9);
      expect(relativeError(p.sigma_S_per_cm, truth.PVH.arrhenius[i]!.sigma_S_per_cm)).toBeLessThan(0.02);
    }
  });
});

describe('bad input: exit 2 and one stderr line naming the option or file', () => {
  it('a quantity without its unit (--thickness 100)', () =>
    expectBadInput(runs.get('no-unit')!, /--thickness.*"100" has no unit/));
  it('a quantity in the wrong unit (--thickness 10mV)', () =>
    expectBadInput(runs.get('wrong-unit')!, /--thickness.*10mV/));
  it('an unknown flag', () => expectBadInput(runs.get('unknown-flag')!, /--bogus/));
  it('a missing required option', () => expectBadInput(runs.get('missing-area')!, /--area is required/));
  it('a malformed circuit', () => expectBadInput(runs.get('bad-circuit')!, /--circuit.*position/));
  it('an unknown command', () => expectBadInput(runs.get('unknown-command')!, /unknown command "fitt"/));
  it('an analysis of the wrong technique (lsv on an EIS file), the reason also in the JSON', () => {
    const run = runs.get('lsv-on-eis')!;
    expectBadInput(run, /exampleDataBioLogic\.mpt.*voltammetry/);
    const r = jsonOf<{ ok: boolean; error: { kind: string; message: string; file: string } }>(run);
    expect(r.ok).toBe(false);
    expect(r.error.file).toBe('exampleDataBioLogic.mpt');
  });
});
