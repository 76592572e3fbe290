/**
 * The reference-study demo from the bundled raw files (examples/reference-study, written by
 * examples/generate.ts) through the real readers and every analysis: the table must reproduce the
 * models' documented truth (truth.json) and the paper's numbers within the issue's tolerances, in < 10 s.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DemoManifest, type DemoTable, runDemo } from '../../app/analysis/demo';
import { REPO_ROOT } from '../support/paths';

const DIR = join(REPO_ROOT, 'examples/reference-study');

interface SampleTruth {
  sigma_25C: { sigma_S_per_cm: number };
  Ea_eV?: number;
  transference: { t_plus: number };
  lsv: { onset_V: number };
  ccd: { ccd_mA_per_cm2: number };
  lili: { current_mA_per_cm2: number; overpotential_mV: number; life_h: number | null; record_h: number }[];
  rate: { steps: { c_rate: number; discharge_mAh_per_g: number }[]; polarisation_2C_V: number };
  cycling: {
    c_rate: number;
    cycles: number;
    retention_pct: number;
    mean_ce_pct: number;
    max_mAh_per_g: number;
  }[];
}

/** The paper's numbers (../shared/docs/reference-study.md), for the samples and quantities it reports. */
const PAPER = {
  PVH: { sigma: 3.7e-4, Ea: 0.22, t_plus: 0.19, onset: 4.66, ccd: 0.4, life: [51, 33], polarisation: 0.78 },
  'SiO2-in-PVH': {
    sigma: 5.9e-4,
    Ea: null,
    t_plus: 0.33,
    onset: 4.75,
    ccd: 0.7,
    life: [330, 88],
    polarisation: 0.77,
  },
  'PVH-in-SiO2': {
    sigma: 1.32e-3,
    Ea: 0.17,
    t_plus: 0.46,
    onset: 5.0,
    ccd: 0.9,
    life: [null, null],
    polarisation: 0.51,
  },
} as const;

function loadDemo(): { table: DemoTable; seconds: number; truth: Record<string, SampleTruth> } {
  const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as DemoManifest;
  const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as Record<string, SampleTruth>;
  const files = readdirSync(DIR)
    .filter((name) => !name.endsWith('.json'))
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(DIR, name))) }));
  const started = performance.now();
  const table = runDemo(files, manifest);
  return { table, seconds: (performance.now() - started) / 1000, truth };
}

describe('reference-study demo from raw files', () => {
  const { table, seconds, truth } = loadDemo();

  it('analyses every file without a refusal, in under 10 s', () => {
    expect(table.errors).toEqual([]);
    expect(table.samples.map((s) => s.sample)).toEqual(['PVH', 'SiO2-in-PVH', 'PVH-in-SiO2']);
    expect(seconds).toBeLessThan(10);
    expect(JSON.stringify(table)).not.toMatch(/NaN|Infinity/);
  });

  for (const id of ['PVH', 'SiO2-in-PVH', 'PVH-in-SiO2'] as const) {
    it(`${id}: σ, Ea, t₊, onset and CCD as the study reports`, () => {
      const row = table.samples.find((s) => s.sample === id)!;
      const t = truth[id]!;
      const paper = PAPER[id];
      expect(Math.abs(row.sigma_S_per_cm! / t.sigma_25C.sigma_S_per_cm - 1)).toBeLessThan(0.02);
      expect(Math.abs(row.sigma_S_per_cm! / paper.sigma - 1)).toBeLessThan(0.02);
      if (paper.Ea === null) expect(row.Ea_eV).toBeNull();
      else expect(Math.abs(row.Ea_eV! - paper.Ea)).toBeLessThan(0.01);
      expect(Math.abs(row.t_plus! - paper.t_plus)).toBeLessThan(0.02);
      expect(Math.abs(row.onset_V! - paper.onset)).toBeLessThan(0.01);
      expect(row.ccd_mA_per_cm2!).toBeCloseTo(paper.ccd, 2);
    });

    it(`${id}: Li‖Li overpotential (± 2 %) and life`, () => {
      const row = table.samples.find((s) => s.sample === id)!;
      const t = truth[id]!;
      expect(row.lili).toHaveLength(2);
      for (const [i, run] of row.lili.entries()) {
        expect(run.current_mA_per_cm2).toBeCloseTo(t.lili[i]!.current_mA_per_cm2, 3);
        expect(Math.abs(run.overpotential_mV / t.lili[i]!.overpotential_mV - 1)).toBeLessThan(0.02);
        const life = PAPER[id].life[i]!;
        if (life === null) {
          expect(run.life_h).toBeNull();
          expect(run.record_h).toBeGreaterThanOrEqual(1000);
        } else expect(Math.abs(run.life_h! - life)).toBeLessThanOrEqual(0.2);
      }
      if (id === 'PVH-in-SiO2') {
        expect(Math.abs(row.lili[0]!.overpotential_mV / 68.2 - 1)).toBeLessThan(0.02);
        expect(Math.abs(row.lili[1]!.overpotential_mV / 88.6 - 1)).toBeLessThan(0.02);
      }
    });

    it(`${id}: rate capability (± 0.5 %), 2 C polarisation and long-cycling retention (± 0.3 points)`, () => {
      const row = table.samples.find((s) => s.sample === id)!;
      const t = truth[id]!;
      expect(row.rate.map((s) => s.c_rate)).toEqual(t.rate.steps.map((s) => s.c_rate));
      for (const [i, step] of row.rate.entries()) {
        expect(Math.abs(step.discharge_mAh_per_g / t.rate.steps[i]!.discharge_mAh_per_g - 1)).toBeLessThan(
          0.005,
        );
      }
      expect(row.rate.at(-1)!.recovery).toBe(true);
      expect(Math.abs(row.polarisation_2C_V! - t.rate.polarisation_2C_V)).toBeLessThan(0.01);
      expect(Math.abs(row.polarisation_2C_V! - PAPER[id].polarisation)).toBeLessThan(0.02);
      expect(row.cycling.map((c) => c.c_rate)).toEqual(t.cycling.map((c) => c.c_rate).sort((a, b) => a - b));
      for (const run of row.cycling) {
        const expected = t.cycling.find((c) => c.c_rate === run.c_rate)!;
        expect(run.cycles).toBe(expected.cycles);
        expect(Math.abs(run.retention_pct - expected.retention_pct)).toBeLessThan(0.3);
        expect(Math.abs(run.mean_ce_pct - expected.mean_ce_pct)).toBeLessThan(0.1);
        expect(Math.abs(run.max_mAh_per_g / expected.max_mAh_per_g - 1)).toBeLessThan(0.005);
      }
    });
  }

  it('PVH-in-SiO₂ full cells: the paper’s rate table, 0.2/3/5 C retention and mean CE', () => {
    const row = table.samples.find((s) => s.sample === 'PVH-in-SiO2')!;
    const paperRate = [157.4, 154.5, 148.1, 139.6, 126.0, 75.6, 152.6];
    row.rate.forEach((s, i) => {
      expect(Math.abs(s.discharge_mAh_per_g / paperRate[i]! - 1)).toBeLessThan(0.005);
    });
    const [c02, c3, c5] = row.cycling;
    expect(Math.abs(c02!.retention_pct - 99.4)).toBeLessThan(0.3);
    expect(Math.abs(c02!.max_mAh_per_g / 158.6 - 1)).toBeLessThan(0.005);
    expect(Math.abs(c02!.mean_ce_pct - 99.8)).toBeLessThan(0.1);
    expect(Math.abs(c3!.retention_pct - 92.9)).toBeLessThan(0.3);
    expect(Math.abs(c5!.retention_pct - 77.5)).toBeLessThan(0.3);
    const pvh = table.samples.find((s) => s.sample === 'PVH')!;
    expect(Math.abs(pvh.cycling[0]!.retention_pct - 42.1)).toBeLessThan(0.3);
    const sio2 = table.samples.find((s) => s.sample === 'SiO2-in-PVH')!;
    expect(Math.abs(sio2.rate[5]!.discharge_mAh_per_g / 27.4 - 1)).toBeLessThan(0.005);
  });

  it('reports a missing file as an error entry, not a number', () => {
    const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as DemoManifest;
    const only = manifest.files.filter((f) => f.role === 'lsv');
    const result = runDemo([], { ...manifest, files: only });
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]!.message).toMatch(/not among the files/);
    expect(result.samples.every((s) => s.onset_V === null)).toBe(true);
  });
});
