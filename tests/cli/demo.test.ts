/**
 * `elyte demo`: the reference study from its bundled raw files, in under 10 s, against the generator's
 * documented truth (examples/reference-study/truth.json) within issue 5's tolerances.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import {
  type CliRun,
  elyte,
  expectBadInput,
  expectNumber,
  expectOk,
  jsonOf,
  relativeError,
  tempDir,
} from './support';

const STUDY = join(REPO_ROOT, 'examples/reference-study');

interface TruthSample {
  sample: string;
  sigma_25C: { sigma_S_per_cm: number };
  Ea_eV?: number;
  transference: { t_plus: number };
  lsv: { onset_V: number };
  ccd: { ccd_mA_per_cm2: number };
  lili: { current_mA_per_cm2: number; overpotential_mV: number; life_h: number | null }[];
  rate: { steps: { c_rate: number; discharge_mAh_per_g: number }[]; polarisation_2C_V: number };
  cycling: { c_rate: number; first_mAh_per_g: number; last_mAh_per_g: number; retention_pct: number }[];
}

interface DemoJson {
  study: string;
  seconds: number;
  errors: { file: string; message: string }[];
  samples: {
    sample: string;
    sigma_S_per_cm: number | null;
    Ea_eV: number | null;
    t_plus: number | null;
    onset_V: number | null;
    ccd_mA_per_cm2: number | null;
    lili: { current_mA_per_cm2: number; overpotential_mV: number; life_h: number | null }[];
    rate: { c_rate: number; discharge_mAh_per_g: number; recovery: boolean }[];
    cycling: { c_rate: number; first_mAh_per_g: number; last_mAh_per_g: number; retention_pct: number }[];
  }[];
}

const truth = Object.values(
  JSON.parse(readFileSync(join(STUDY, 'truth.json'), 'utf8')) as Record<string, TruthSample>,
);

describe('elyte demo', () => {
  const { dir, cleanup } = tempDir();
  let json: CliRun;
  let table: CliRun;
  let wallSeconds = 0;
  let broken: CliRun;

  beforeAll(async () => {
    const started = performance.now();
    json = await elyte(['demo', '--json']);
    wallSeconds = (performance.now() - started) / 1000;
    // A study folder whose manifest names files that are not there.
    copyFileSync(join(STUDY, 'manifest.json'), join(dir, 'manifest.json'));
    [table, broken] = await Promise.all([elyte(['demo']), elyte(['demo', '--folder', dir])]);
  });
  afterAll(cleanup);

  it('analyses every bundled raw file in under 10 s, exit 0, no errors', () => {
    expectOk(json);
    const r = jsonOf<DemoJson>(json);
    expect(r.errors).toEqual([]);
    expect(wallSeconds, 'npx elyte demo wall-clock time').toBeLessThan(10);
    expect(r.seconds).toBeLessThan(10);
    expect(r.samples.map((s) => s.sample)).toEqual(truth.map((t) => t.sample));
  });

  it.each(truth.map((t) => [t.sample, t] as const))(
    '%s: the study table within the stated tolerances',
    (_name, t) => {
      const row = jsonOf<DemoJson>(json).samples.find((s) => s.sample === t.sample)!;
      expectNumber(row.sigma_S_per_cm, 'sigma_S_per_cm');
      expect(relativeError(row.sigma_S_per_cm, t.sigma_25C.sigma_S_per_cm)).toBeLessThan(0.02);
      if (t.Ea_eV !== undefined) {
        expectNumber(row.Ea_eV, 'Ea_eV');
        expect(Math.abs(row.Ea_eV - t.Ea_eV)).toBeLessThan(0.005);
      } else {
        expect(row.Ea_eV).toBeNull();
      }
      expectNumber(row.t_plus, 't_plus');
      expect(Math.abs(row.t_plus - t.transference.t_plus)).toBeLessThan(0.02);
      expectNumber(row.onset_V, 'onset_V');
      expect(Math.abs(row.onset_V - t.lsv.onset_V)).toBeLessThan(0.01);
      expectNumber(row.ccd_mA_per_cm2, 'ccd_mA_per_cm2');
      // The exact step: steps are 0.05 mA/cm² apart.
      expect(Math.abs(row.ccd_mA_per_cm2 - t.ccd.ccd_mA_per_cm2)).toBeLessThan(0.005);
      expect(row.lili).toHaveLength(t.lili.length);
      for (const [i, expected] of t.lili.entries()) {
        const got = row.lili[i]!;
        expect(relativeError(got.overpotential_mV, expected.overpotential_mV)).toBeLessThan(0.02);
        if (expected.life_h === null) expect(got.life_h).toBeNull();
        else expect(Math.abs(got.life_h! - expected.life_h)).toBeLessThan(0.1);
      }
      expect(row.rate.map((r) => r.c_rate)).toEqual(t.rate.steps.map((s) => s.c_rate));
      for (const [i, step] of t.rate.steps.entries())
        expect(relativeError(row.rate[i]!.discharge_mAh_per_g, step.discharge_mAh_per_g)).toBeLessThan(0.005);
      expect(row.cycling.map((c) => c.c_rate).sort()).toEqual(t.cycling.map((c) => c.c_rate).sort());
      for (const expected of t.cycling) {
        const got = row.cycling.find((c) => c.c_rate === expected.c_rate)!;
        expect(relativeError(got.first_mAh_per_g, expected.first_mAh_per_g)).toBeLessThan(0.005);
        expect(relativeError(got.last_mAh_per_g, expected.last_mAh_per_g)).toBeLessThan(0.005);
        expect(Math.abs(got.retention_pct - expected.retention_pct)).toBeLessThan(0.3);
      }
    },
  );

  it('prints the table for people', () => {
    expectOk(table);
    for (const t of truth) expect(table.stdout).toContain(t.sample);
    expect(table.stdout).toMatch(/Li‖Li cycling/);
  });

  it('a study folder missing its files: exit 2 naming the first missing file', () =>
    expectBadInput(broken, /pvh_ss-eis_25C\.mpt.*cannot be read/));
});
