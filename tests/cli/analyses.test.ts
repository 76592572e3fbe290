/**
 * `elyte transference | lsv | ccd | symmetric | cycling` through the real command line: the contract's
 * fields and units; known answers from the reference study's generator (examples/reference-study/
 * truth.json, the documented truth of those files) and from independent tools on real cycler files
 * (navani's cycle summary in CATALOGUE.tsv, cellpy's cycle count); and exit 1 with the reason in the
 * JSON where a real record cannot give the number (no steady state, no short).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readCatalogue, sharedFile } from '../support/paths';
import {
  type CliRun,
  elyteAll,
  expectNumber,
  expectNumberOrNull,
  expectOk,
  jsonOf,
  relativeError,
} from './support';

const STUDY = join(REPO_ROOT, 'examples/reference-study');
const study = (name: string) => join(STUDY, name);
const GCPL_MPR = 'biologic_mpr/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr';
const ARBIN_RES = 'arbin_res/cellpy__20160805_test001_45_cc_01.res';
const NEWARE_CSV = 'neware_csv/cellpy__neware_uio.csv';
const CA_SHORT = 'biologic_mpt/ixdat__multiple_techniques_dataset_01_05_CA_C01.mpt';
const EIS = 'biologic_mpt/exampleDataBioLogic.mpt';

interface Truth {
  transference: { t_plus: number; R0_ohm: number; Rs_ohm: number; dV_V: number };
  lsv: { onset_V: number; threshold_mA_per_cm2: number };
  ccd: {
    ccd_mA_per_cm2: number;
    failure_mA_per_cm2: number;
    failure_time_h: number;
    steps: { mA_per_cm2: number; overpotential_mV: number }[];
  };
  lili: { current_mA_per_cm2: number; overpotential_mV: number; life_h: number | null }[];
}
const truth = (JSON.parse(readFileSync(study('truth.json'), 'utf8')) as Record<string, Truth>).PVH!;

interface Failure {
  ok: false;
  error: { kind: string; message: string; file?: string; where?: string };
}

const runs = new Map<string, CliRun>();

beforeAll(async () => {
  const cases: [string, string[]][] = [
    [
      'transference',
      [
        'transference',
        '--chrono',
        study('pvh_li-li_ca-10mV.mpt'),
        '--eis-before',
        study('pvh_li-li_peis-before.mpt'),
        '--eis-after',
        study('pvh_li-li_peis-after.mpt'),
        '--json',
      ],
    ],
    [
      'no-steady-state',
      [
        'transference',
        '--chrono',
        sharedFile(CA_SHORT),
        '--eis-before',
        sharedFile(EIS),
        '--eis-after',
        sharedFile(EIS),
        '--json',
      ],
    ],
    ['lsv', ['lsv', study('pvh_li-ss_lsv.mpt'), '--threshold', '0.01mA/cm2', '--json']],
    ['ccd', ['ccd', study('pvh_li-li_ccd.mpt'), '--area', '2.01cm2', '--json']],
    ['no-short', ['ccd', sharedFile(GCPL_MPR), '--area', '1cm2', '--json']],
    ['symmetric', ['symmetric', study('pvh_li-li_0.1mA-cm2.mpt'), '--area', '2.01cm2', '--json']],
    ['cycling-mpr', ['cycling', sharedFile(GCPL_MPR), '--mass', '10mg', '--reference', '2', '--json']],
    ['cycling-arbin', ['cycling', sharedFile(ARBIN_RES), '--mass', '1mg', '--json']],
    ['cycling-neware', ['cycling', sharedFile(NEWARE_CSV), '--mass', '2.08mg', '--json']],
    ['cycling-no-mass', ['cycling', sharedFile(NEWARE_CSV), '--json']],
  ];
  await elyteAll(cases, runs);
});

describe('elyte transference', () => {
  it('PVH’s DC polarisation: t₊ within ±0.02 of truth, and Bruce–Vincent recomputed from its own fields', () => {
    const run = runs.get('transference')!;
    expectOk(run);
    const r = jsonOf(run);
    for (const key of ['t_plus', 't_plus_stderr', 'I0_A', 'Is_A', 'R0_ohm', 'Rs_ohm', 'dV_V'])
      expectNumber(r[key], key);
    expect(typeof r.I0_method).toBe('string');
    expect(r.steady_state).toBeTypeOf('object');
    expect(Math.abs((r.t_plus as number) - truth.transference.t_plus)).toBeLessThan(0.02);
    expect(r.dV_V).toBeCloseTo(truth.transference.dV_V, 6);
    expect(relativeError(r.R0_ohm as number, truth.transference.R0_ohm)).toBeLessThan(0.02);
    expect(relativeError(r.Rs_ohm as number, truth.transference.Rs_ohm)).toBeLessThan(0.02);
    const [I0, Is, R0, Rs, dV] = [r.I0_A, r.Is_A, r.R0_ohm, r.Rs_ohm, r.dV_V] as number[];
    const bruceVincent = (Is! * (dV! - I0! * R0!)) / (I0! * (dV! - Is! * Rs!));
    // The printed fields are rounded to 4–6 significant digits.
    expect(relativeError(r.t_plus as number, bruceVincent)).toBeLessThan(2e-3);
  });

  it('a real CA record that never settles (ixdat): exit 1, and the JSON says there is no steady state', () => {
    const run = runs.get('no-steady-state')!;
    expect(run.code, run.stderr).toBe(1);
    expect(run.errorLines).toHaveLength(1);
    const r = jsonOf<Failure>(run);
    expect(r.ok).toBe(false);
    expect(r.error.kind).toBe('analysis');
    expect(r.error.message).toMatch(/no steady state/);
    expect(r.error.message).toContain('ixdat__multiple_techniques_dataset_01_05_CA_C01.mpt');
    expect(r).not.toHaveProperty('t_plus');
  });
});

describe('elyte lsv', () => {
  it('PVH’s oxidation onset within ±10 mV of truth at 0.01 mA/cm² (area from the file)', () => {
    const run = runs.get('lsv')!;
    expectOk(run);
    const r = jsonOf(run);
    expectNumber(r.onset_V, 'onset_V');
    expect(typeof r.method).toBe('string');
    expect(r.threshold_mA_per_cm2).toBeCloseTo(truth.lsv.threshold_mA_per_cm2, 9);
    expect(Math.abs((r.onset_V as number) - truth.lsv.onset_V)).toBeLessThan(0.01);
  });
});

describe('elyte ccd', () => {
  it('PVH’s stepped-current test: the exact CCD step, failure current and time, each step’s overpotential', () => {
    const run = runs.get('ccd')!;
    expectOk(run);
    const r = jsonOf(run);
    expect(r.ccd_mA_per_cm2).toBeCloseTo(truth.ccd.ccd_mA_per_cm2, 6);
    expect(r.failure_mA_per_cm2).toBeCloseTo(truth.ccd.failure_mA_per_cm2, 6);
    expectNumber(r.failure_time_h, 'failure_time_h');
    expect(Math.abs((r.failure_time_h as number) - truth.ccd.failure_time_h)).toBeLessThan(0.05);
    const steps = r.steps as {
      current_mA_per_cm2: number;
      overpotential_mV: number | null;
      shorted: boolean;
    }[];
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expectNumber(step.current_mA_per_cm2, 'current_mA_per_cm2');
      expectNumberOrNull(step.overpotential_mV, 'overpotential_mV');
      expect(typeof step.shorted).toBe('boolean');
      const expected = truth.ccd.steps.find((s) => Math.abs(s.mA_per_cm2 - step.current_mA_per_cm2) < 1e-3);
      if (expected && !step.shorted && step.overpotential_mV !== null)
        expect(relativeError(step.overpotential_mV, expected.overpotential_mV)).toBeLessThan(0.02);
    }
    expect(steps.filter((s) => s.shorted).map((s) => s.current_mA_per_cm2)).toEqual([
      truth.ccd.failure_mA_per_cm2,
    ]);
  });

  it('a real cycling record with no short (navani’s GCPL .mpr): exit 1, the reason in the JSON', () => {
    const run = runs.get('no-short')!;
    expect(run.code, run.stderr).toBe(1);
    expect(run.errorLines).toHaveLength(1);
    const r = jsonOf<Failure>(run);
    expect(r.ok).toBe(false);
    expect(r.error.kind).toBe('analysis');
    expect(r.error.message).toMatch(/never shorted/);
    expect(r.error.file).toBe(GCPL_MPR.split('/')[1]);
  });
});

describe('elyte symmetric', () => {
  it('PVH at 0.1 mA/cm²: overpotential within ±2 % and the short time of truth', () => {
    const run = runs.get('symmetric')!;
    expectOk(run);
    const r = jsonOf(run);
    const expected = truth.lili.find((l) => l.current_mA_per_cm2 === 0.1)!;
    expect(r.current_mA_per_cm2).toBeCloseTo(0.1, 3);
    expectNumber(r.overpotential_mV, 'overpotential_mV');
    expect(relativeError(r.overpotential_mV as number, expected.overpotential_mV)).toBeLessThan(0.02);
    expectNumber(r.failure_time_h, 'failure_time_h');
    expect(Math.abs((r.failure_time_h as number) - expected.life_h!)).toBeLessThan(0.1);
    expect(Number.isInteger(r.cycles) || Array.isArray(r.cycles)).toBe(true);
  });
});

interface CyclingJson {
  cycles: {
    cycle: number;
    c_rate: number | null;
    charge_mAh_per_g: number | null;
    discharge_mAh_per_g: number | null;
    charge_mAh: number | null;
    discharge_mAh: number | null;
    ce: number | null;
    mean_discharge_V: number | null;
  }[];
  retention_pct: number | null;
  retention_vs_reference_pct: number | null;
  reference_cycle: number;
  mean_ce: number | null;
  rate_steps: { c_rate: number; mean_discharge_mAh_per_g: number | null; cycles: number[] }[];
}

function expectCyclingContract(r: CyclingJson, mass_g: number): void {
  expect(r.cycles.length).toBeGreaterThan(0);
  for (const c of r.cycles) {
    expect(Number.isInteger(c.cycle)).toBe(true);
    expectNumberOrNull(c.c_rate, 'c_rate');
    expectNumberOrNull(c.charge_mAh_per_g, 'charge_mAh_per_g');
    expectNumberOrNull(c.discharge_mAh_per_g, 'discharge_mAh_per_g');
    expectNumberOrNull(c.ce, 'ce');
    // Specific capacity is the capacity over the --mass given (both printed to 6 significant digits).
    if (c.discharge_mAh !== null && c.discharge_mAh_per_g !== null)
      expect(relativeError(c.discharge_mAh_per_g, c.discharge_mAh / mass_g)).toBeLessThan(1e-5);
  }
  expectNumberOrNull(r.retention_pct, 'retention_pct');
  expectNumberOrNull(r.mean_ce, 'mean_ce');
  expect(r.rate_steps.length).toBeGreaterThan(0);
  for (const s of r.rate_steps) {
    expectNumber(s.c_rate, 'rate step c_rate');
    expectNumberOrNull(s.mean_discharge_mAh_per_g, 'mean_discharge_mAh_per_g');
    expect(Array.isArray(s.cycles)).toBe(true);
  }
}

describe('elyte cycling on real cycler files', () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('BioLogic GCPL .mpr: navani’s mean discharge/charge capacities and mean discharge voltage', () => {
    const expectations = readCatalogue().find((r) => r.local_path === GCPL_MPR)!.source_test_expectations;
    const navani = (label: string) => Number(new RegExp(`${label} (-?[0-9.]+)`).exec(expectations)![1]);
    const run = runs.get('cycling-mpr')!;
    expectOk(run);
    const r = jsonOf<CyclingJson>(run);
    expectCyclingContract(r, 0.01);
    const discharges = r.cycles.flatMap((c) => (c.discharge_mAh === null ? [] : [c.discharge_mAh]));
    const charges = r.cycles.flatMap((c) => (c.charge_mAh === null ? [] : [c.charge_mAh]));
    expect(relativeError(mean(discharges), navani('Discharge Capacity'))).toBeLessThan(0.005);
    expect(relativeError(mean(charges), navani('Charge Capacity'))).toBeLessThan(0.005);
    const dischargeV = r.cycles.flatMap((c) => (c.mean_discharge_V === null ? [] : [c.mean_discharge_V]));
    expect(Math.abs(mean(dischargeV) - navani('Avg discharge V'))).toBeLessThan(0.001);
    // --reference 2: retention against cycle 2 is last / cycle 2 discharge.
    expect(r.reference_cycle).toBe(2);
    const last = r.cycles.at(-1)!.discharge_mAh_per_g!;
    const second = r.cycles.find((c) => c.cycle === 2)!.discharge_mAh_per_g!;
    expect(relativeError(r.retention_vs_reference_pct!, (100 * last) / second)).toBeLessThan(1e-3);
  });

  it('Arbin .res: cellpy’s 18 cycles', () => {
    const metrics = JSON.parse(
      readFileSync(sharedFile('_reference/cellpy_goldens/pipeline_smoke/metrics.json'), 'utf8'),
    ) as { n_cycles: number; source: string };
    expect(metrics.source).toContain('20160805_test001_45_cc_01.res');
    const run = runs.get('cycling-arbin')!;
    expectOk(run);
    const r = jsonOf<CyclingJson>(run);
    expectCyclingContract(r, 0.001);
    expect(r.cycles).toHaveLength(metrics.n_cycles);
  });

  it('Neware CSV: the contract fields, finite throughout', () => {
    const run = runs.get('cycling-neware')!;
    expectOk(run);
    expectCyclingContract(jsonOf<CyclingJson>(run), 0.00208);
  });

  it('no active mass in the file nor on the command line: refused, naming --mass, never a number', () => {
    const run = runs.get('cycling-no-mass')!;
    expect(run.code).not.toBe(0);
    expect(run.errorLines).toHaveLength(1);
    expect(run.errorLines[0]).toMatch(/cellpy__neware_uio\.csv.*--mass/);
    const r = jsonOf<Failure>(run);
    expect(r.ok).toBe(false);
    expect(r.error.message).toMatch(/mass/);
  });
});
