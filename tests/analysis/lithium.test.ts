/**
 * Li‖Li analyses on generated records with documented truth: CCD exact step, overpotential ± 2 %,
 * time to short within one sampling interval; soft shorts, contact loss and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { analyseCcd, ccdToCli } from '../../app/analysis/ccd';
import { analyseSymmetric, symmetricToCli } from '../../app/analysis/symmetric';
import { ccdModel, fitAsinh, symmetricModel, type TimeSeries } from '../../examples/models';
import { measurementOf, relativeError } from './support';

const AREA = 2.01e-4;
// PVH-in-SiO₂: 68.2 mV at 0.1 mA cm⁻² and 88.6 mV at 0.2 mA cm⁻² (1 and 2 A m⁻²).
const kinetics = fitAsinh(1, 0.0682, 2, 0.0886);

describe('CCD (stepped current, generated)', () => {
  for (const ccd of [4, 7, 9]) {
    it(`finds the CCD ${ccd / 10} mA cm⁻² exactly, the failure step and time`, () => {
      const { record, truth } = ccdModel({
        area_m2: AREA,
        ccd_A_per_m2: ccd,
        ...{ c_V: kinetics.c_V, j0_A_per_m2: kinetics.j0 },
        seed: ccd,
      });
      const r = analyseCcd(measurementOf(record, 'galvanostatic', 'GCPL', { area_m2: AREA }));
      expect(r.ccd_A_per_m2).toBeCloseTo(truth.ccd_A_per_m2, 2);
      expect(r.failureMode).toBe('short');
      expect(r.failureCurrentDensity_A_per_m2!).toBeCloseTo(truth.failure_A_per_m2, 2);
      expect(Math.abs(r.failureTime_s! - truth.failureTime_s)).toBeLessThanOrEqual(30);
      const completed = r.steps.filter((s) => !s.shorted);
      expect(completed).toHaveLength(truth.steps.length);
      for (const [i, s] of completed.entries()) {
        expect(s.currentDensity_A_per_m2).toBeCloseTo(truth.steps[i]!.density_A_per_m2, 2);
        expect(relativeError(s.overpotential_V!, truth.steps[i]!.overpotential_V)).toBeLessThan(0.02);
      }
      const cli = ccdToCli(r) as { ccd_mA_per_cm2: number; steps: unknown[] };
      expect(cli.ccd_mA_per_cm2).toBeCloseTo(ccd / 10, 3);
    });
  }

  it('refuses a record that never shorts, stating the lower bound', () => {
    const { record } = ccdModel({
      area_m2: AREA,
      ccd_A_per_m2: 4,
      c_V: kinetics.c_V,
      j0_A_per_m2: kinetics.j0,
      seed: 3,
    });
    // Cut the record before the short.
    const end = record.time_s.findIndex((t) => t > 8 * 3600 - 1); // eight 1-h steps of 0.05 mA cm⁻²
    const cut: TimeSeries = {
      time_s: record.time_s.slice(0, end),
      voltage_V: record.voltage_V.slice(0, end),
      current_A: record.current_A.slice(0, end),
      control: record.control.slice(0, end),
      cycle: record.cycle.slice(0, end),
    };
    const m = measurementOf(cut, 'galvanostatic', 'GCPL', { area_m2: AREA });
    expect(() => analyseCcd(m)).toThrow(/never shorted.*above the highest step tested \(0\.4 mA/);
    const lower = analyseCcd(m, { requireFailure: false });
    expect(lower.lowerBound).toBe(true);
    expect(lower.ccd_A_per_m2).toBeCloseTo(4, 2);
  });

  it('flags contact loss when |V| reaches the voltage limit', () => {
    const { record } = ccdModel({
      area_m2: AREA,
      ccd_A_per_m2: 4,
      c_V: kinetics.c_V,
      j0_A_per_m2: kinetics.j0,
      seed: 4,
    });
    const v = record.voltage_V.slice();
    const from = record.time_s.findIndex((t) => t > 6 * 3600 + 600); // 10 min into the 7th step (0.35 mA cm⁻²)
    for (let i = from; i < v.length; i++) v[i] = Math.sign(record.current_A[i]!) * 5;
    const r = analyseCcd(
      measurementOf({ ...record, voltage_V: v }, 'galvanostatic', 'GCPL', { area_m2: AREA }),
    );
    expect(r.failureMode).toBe('contact-loss');
    expect(r.ccd_A_per_m2).toBeCloseTo(3, 2);
  });

  it('refuses without an area and refuses a potentiostatic file', () => {
    const { record } = ccdModel({
      area_m2: AREA,
      ccd_A_per_m2: 4,
      c_V: kinetics.c_V,
      j0_A_per_m2: kinetics.j0,
      seed: 5,
    });
    expect(() => analyseCcd(measurementOf(record, 'galvanostatic', 'GCPL'))).toThrow(/electrode area/);
    expect(() => analyseCcd(measurementOf(record, 'potentiostatic', 'CA', { area_m2: AREA }))).toThrow(
      /galvanostatic/,
    );
  });
});

describe('long Li‖Li cycling (generated)', () => {
  it('PVH-in-SiO₂ at 0.1 mA cm⁻²: 68.2 mV, no short in 1000 h', () => {
    const { record, truth } = symmetricModel({
      area_m2: AREA,
      density_A_per_m2: 1,
      eta0_V: 0.0682,
      shortAt_s: null,
      duration_s: 1000 * 3600,
      seed: 21,
    });
    const r = analyseSymmetric(measurementOf(record, 'galvanostatic', 'GCPL', { area_m2: AREA }));
    expect(relativeError(r.overpotential_V, truth.overpotential_V)).toBeLessThan(0.02);
    expect(r.failureTime_s).toBeNull();
    expect(r.currentDensity_A_per_m2).toBeCloseTo(1, 2);
    expect(r.cycles).toBe(500);
    // 1000 half cycles of 1 h at 0.1 mA cm⁻² = 100 mAh cm⁻².
    expect(relativeError(r.arealCharge_C_per_m2 / 36000, 100)).toBeLessThan(0.005);
    expect(Math.abs(r.overpotentialTrend_V_per_s * 3.6e6)).toBeLessThan(0.01);
    expect((symmetricToCli(r) as { failure_time_h: null }).failure_time_h).toBeNull();
  });

  it('PVH at 0.1 mA cm⁻²: rising overpotential and a short at 51 h', () => {
    const { record, truth } = symmetricModel({
      area_m2: AREA,
      density_A_per_m2: 1,
      eta0_V: 0.15,
      trend_V_per_s: 0.4e-3 / 3600,
      shortAt_s: 51 * 3600 + 1200,
      duration_s: 100 * 3600,
      seed: 22,
    });
    const r = analyseSymmetric(measurementOf(record, 'galvanostatic', 'GCPL', { area_m2: AREA }));
    expect(Math.abs(r.failureTime_s! - truth.failureTime_s!)).toBeLessThanOrEqual(600);
    expect(relativeError(r.overpotential_V, truth.overpotential_V)).toBeLessThan(0.02);
    expect(relativeError(r.overpotentialTrend_V_per_s, truth.trend_V_per_s)).toBeLessThan(0.1);
    expect(r.cycles).toBe(25);
  });

  it('flags soft shorts (repeated recovering drops) without calling them a short', () => {
    const { record } = symmetricModel({
      area_m2: AREA,
      density_A_per_m2: 1,
      eta0_V: 0.1,
      shortAt_s: null,
      duration_s: 20 * 3600,
      dt_s: 60,
      seed: 23,
    });
    const v = record.voltage_V.slice();
    // Two brief drops in the 11th half cycle (10–11 h).
    for (const t of [10.3 * 3600, 10.6 * 3600]) {
      const i = record.time_s.findIndex((x) => x >= t);
      v[i] = v[i]! * 0.2;
      v[i + 1] = v[i + 1]! * 0.3;
    }
    const r = analyseSymmetric(
      measurementOf({ ...record, voltage_V: v }, 'galvanostatic', 'GCPL', { area_m2: AREA }),
    );
    expect(r.failureTime_s).toBeNull();
    expect(r.halfCycles.filter((h) => h.softShort).map((h) => h.index)).toEqual([10]);
    expect(r.warnings.join(' ')).toMatch(/soft-short/);
  });
});
