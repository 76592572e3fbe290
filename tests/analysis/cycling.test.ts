/**
 * Full-cell cycling on generated LFP records with documented truth (examples/models.ts): capacities
 * ± 0.5 %, retention ± 0.3 points, CE, C-rate steps, polarisation ± 10 mV; plus the refusals.
 */
import { describe, expect, it } from 'vitest';
import { analyseCycling, cyclingToCli } from '../../app/analysis/cycling';
import { isElyteError } from '../../app/errors';
import { fadePlan, fullCellModel, ratePlan } from '../../examples/models';
import { measurementOf, relativeError } from './support';

const MASS = 4.02e-6; // 2.0 mg cm⁻² on 2.01 cm²
const MAH_G = 3600; // C/kg per mAh/g

const rateSteps = [
  { cRate: 0.1, discharge_mAh_per_g: 157.4 },
  { cRate: 0.2, discharge_mAh_per_g: 154.5 },
  { cRate: 0.5, discharge_mAh_per_g: 148.1 },
  { cRate: 1, discharge_mAh_per_g: 139.6 },
  { cRate: 2, discharge_mAh_per_g: 126.0 },
  { cRate: 5, discharge_mAh_per_g: 75.6 },
  { cRate: 0.1, discharge_mAh_per_g: 152.6 },
];

describe('cycling: rate capability (generated, documented truth)', () => {
  const { record, truth } = fullCellModel({
    mass_kg: MASS,
    plan: ratePlan(rateSteps, 5),
    polarisation_at_2C_V: 0.51,
    seed: 11,
  });
  const m = measurementOf(record, 'galvanostatic', 'GCPL', { mass_kg: MASS });
  const r = analyseCycling(m, { dqdvCycles: [3] });

  it('finds every cycle from the current, charge leading', () => {
    expect(r.choices.leading).toBe('charge');
    expect(r.cycles).toHaveLength(truth.cycles.length);
    expect(r.halfCycles).toHaveLength(2 * truth.cycles.length);
  });

  it('recovers charge and discharge specific capacity within 0.5 %', () => {
    for (const [i, c] of r.cycles.entries()) {
      const t = truth.cycles[i]!;
      expect(relativeError(c.dischargeSpecific_C_per_kg! / MAH_G, t.discharge_mAh_per_g)).toBeLessThan(0.005);
      expect(relativeError(c.chargeSpecific_C_per_kg! / MAH_G, t.charge_mAh_per_g)).toBeLessThan(0.005);
      expect(c.efficiency!).toBeCloseTo(t.ce, 3);
    }
  });

  it('groups the rate steps with their mean discharge capacity and flags the recovery step', () => {
    expect(r.rateSteps.map((s) => s.cRate)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 0.1]);
    for (const [i, s] of r.rateSteps.entries()) {
      expect(s.cycles).toHaveLength(5);
      expect(
        relativeError(s.meanDischargeSpecific_C_per_kg! / MAH_G, rateSteps[i]!.discharge_mAh_per_g),
      ).toBeLessThan(0.005);
    }
    expect(r.rateSteps.map((s) => s.recovery)).toEqual([false, false, false, false, false, false, true]);
  });

  it('reports the capacity-weighted polarisation at 2 C within 10 mV of the model', () => {
    const at2C = r.cycles.filter((c) => Math.abs(c.cRate! - 2) < 0.1);
    const truth2C = truth.cycles.filter((c) => c.cRate === 2);
    expect(at2C).toHaveLength(5);
    const measured = at2C.reduce((s, c) => s + c.polarisation_V!, 0) / at2C.length;
    const expected = truth2C.reduce((s, c) => s + c.meanCharge_V - c.meanDischarge_V, 0) / truth2C.length;
    expect(Math.abs(measured - expected)).toBeLessThan(0.01);
  });

  it('computes dQ/dV on points at least 2 mV apart, monotone', () => {
    expect(r.dqdv).toHaveLength(2);
    for (const curve of r.dqdv) {
      expect(curve.voltage_V.length).toBeGreaterThan(3);
      for (let i = 1; i < curve.voltage_V.length; i++) {
        const step =
          (curve.voltage_V[i]! - curve.voltage_V[i - 1]!) * (curve.direction === 'charge' ? 1 : -1);
        expect(step).toBeGreaterThanOrEqual(0.002 - 1e-12);
      }
      for (const v of curve.dqdv_C_per_V) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
  });

  it('prints the cli.md fields in edge units', () => {
    const cli = cyclingToCli(r) as { cycles: { discharge_mAh_per_g: number }[]; rate_steps: unknown[] };
    expect(cli.cycles[0]!.discharge_mAh_per_g).toBeCloseTo(157.4, 0);
    expect(cli.rate_steps).toHaveLength(7);
    expect(JSON.stringify(cli)).not.toContain('NaN');
  });
});

describe('cycling: long 0.2 C run with activation and fade', () => {
  // 152.8 → 158.6 mAh/g over 20 cycles, then down to 99.4 % of cycle 1 at cycle 100.
  const plan = fadePlan({
    cRate: 0.2,
    cycles: 100,
    first: 152.8,
    peak: 158.6,
    peakCycle: 20,
    last: 152.8 * 0.994,
  });
  const { record, truth } = fullCellModel({
    mass_kg: MASS,
    plan,
    polarisation_at_2C_V: 0.51,
    rows: 12,
    seed: 5,
  });
  const m = measurementOf(record, 'galvanostatic', 'GCPL', { mass_kg: MASS });

  it('gives retention vs cycle 1 and vs a chosen reference within 0.3 points', () => {
    const r = analyseCycling(m, { referenceCycle: 20 });
    expect(r.cycles).toHaveLength(100);
    expect(Math.abs(r.retention_pct! - 99.4)).toBeLessThan(0.3);
    const vs20 = (100 * truth.cycles[99]!.discharge_mAh_per_g) / truth.cycles[19]!.discharge_mAh_per_g;
    expect(Math.abs(r.retentionVsReference_pct! - vs20)).toBeLessThan(0.3);
    const meanCe = truth.cycles.reduce((s, c) => s + c.ce, 0) / truth.cycles.length;
    expect(r.meanEfficiency!).toBeCloseTo(meanCe, 3);
  });

  it('groups by the file cycle column when asked, and the CE definition is configurable', () => {
    const r = analyseCycling(m, { cycleSource: 'file', efficiency: 'charge/discharge' });
    expect(r.cycles).toHaveLength(100);
    expect(r.cycles[1]!.efficiency!).toBeCloseTo(1 / 0.998, 3);
  });
});

describe('cycling: refusals', () => {
  const { record } = fullCellModel({
    mass_kg: MASS,
    plan: ratePlan([{ cRate: 1, discharge_mAh_per_g: 140 }], 2),
    polarisation_at_2C_V: 0.5,
    seed: 1,
  });

  it('refuses without an active mass', () => {
    const m = measurementOf(record, 'galvanostatic', 'GCPL');
    expect(() => analyseCycling(m)).toThrow(/active-material mass/);
  });

  it('refuses an impedance file as the wrong input (CLI exit 2)', () => {
    const m = measurementOf(record, 'eis', 'PEIS', { mass_kg: MASS });
    try {
      analyseCycling(m);
      expect.unreachable();
    } catch (error) {
      expect(isElyteError(error) && error.kind === 'invalid-argument').toBe(true);
      expect((error as Error).message).toMatch(/eis/);
    }
  });

  it('refuses a record with no current reversal', () => {
    const m = measurementOf(record, 'galvanostatic', 'GCPL', { mass_kg: MASS });
    const half = {
      ...m,
      channels: { ...m.channels, current_A: m.channels.current_A!.map((i) => Math.abs(i)) },
    };
    expect(() => analyseCycling(half)).toThrow(/half cycle/);
  });

  it('rejects a bad option naming it', () => {
    const m = measurementOf(record, 'galvanostatic', 'GCPL', { mass_kg: MASS });
    expect(() => analyseCycling(m, { efficiency: 'both' as never })).toThrow(/efficiency/);
    expect(() => analyseCycling(m, { dqdvSmoothingPoints: 4 })).toThrow(/odd/);
  });
});
