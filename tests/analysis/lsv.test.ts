/**
 * LSV onset on generated sweeps with documented truth (± 10 mV): the threshold method on an
 * exponential take-off (the model crosses the threshold exactly at the onset) and the tangent method on
 * a hinge (the tangents meet exactly at the hinge).
 */
import { describe, expect, it } from 'vitest';
import { analyseLsv, lsvToCli } from '../../app/analysis/lsv';
import { lsvModel, type TimeSeries } from '../../examples/models';
import { measurementOf } from './support';

const AREA = 2.01e-4;

describe('LSV window (generated)', () => {
  for (const onset of [4.66, 4.75, 5.0]) {
    it(`finds the threshold onset ${onset} V within 10 mV`, () => {
      const { record, truth } = lsvModel({
        onset_V: onset,
        area_m2: AREA,
        seed: Math.round(onset * 100),
        ...(onset === 4.66 ? { peak: { V: 4.0, height_A_per_m2: 0.06, width_V: 0.05 } } : {}),
      });
      const r = analyseLsv(measurementOf(record, 'voltammetry', 'LSV', { area_m2: AREA }, 'V'));
      expect(Math.abs(r.onset_V - truth.onset_V)).toBeLessThan(0.01);
      // Exponential take-off: the steepest tangent below 10× the threshold (at V₁₀ = onset + b·ln 10) meets
      // the baseline about b = 60 mV before V₁₀, i.e. ≈ 80 mV above the threshold onset.
      expect(r.tangentOnset_V).not.toBeNull();
      expect(r.tangentOnset_V!).toBeGreaterThan(onset + 0.04);
      expect(r.tangentOnset_V!).toBeLessThan(onset + 0.12);
      expect(r.choices.sustainedPoints).toBe(5);
      const cli = lsvToCli(r) as { onset_V: number; threshold_mA_per_cm2: number; method: string };
      expect(cli.threshold_mA_per_cm2).toBeCloseTo(0.01, 6);
      expect(cli.method).toBe('threshold');
    });
  }

  it('the small 4.0 V peak of PVH does not set the onset, but a lower threshold catches it', () => {
    const { record } = lsvModel({
      onset_V: 4.66,
      area_m2: AREA,
      seed: 1,
      peak: { V: 4.0, height_A_per_m2: 0.06, width_V: 0.05 },
    });
    const m = measurementOf(record, 'voltammetry', 'LSV', { area_m2: AREA }, 'V');
    expect(analyseLsv(m).onset_V).toBeGreaterThan(4.6);
    expect(analyseLsv(m, { threshold_A_per_m2: 0.03 }).onset_V).toBeLessThan(4.05);
  });

  it('finds the tangent onset of a hinge within 10 mV', () => {
    const v: number[] = [];
    const j: number[] = [];
    for (let V = 3; V <= 5.5; V += 0.005) {
      v.push(V);
      j.push(0.01 + 0.002 * V + 2 * Math.max(0, V - 4.8));
    }
    const record: TimeSeries = {
      time_s: Float64Array.from(v, (_, i) => i * 5),
      voltage_V: Float64Array.from(v),
      current_A: Float64Array.from(j, (x) => x * AREA),
      control: Float64Array.from(v),
      cycle: new Float64Array(v.length),
    };
    const r = analyseLsv(measurementOf(record, 'voltammetry', 'LSV', { area_m2: AREA }, 'V'));
    expect(Math.abs(r.tangentOnset_V! - 4.8)).toBeLessThan(0.01);
    // Threshold 0.1 A/m² above the baseline is reached 50 mV past the hinge.
    expect(Math.abs(r.onset_V - 4.85)).toBeLessThan(0.01);
  });

  it('refuses a sweep that never takes off, a missing area and a galvanostatic file', () => {
    const { record } = lsvModel({ onset_V: 6.5, area_m2: AREA, end_V: 5.5, seed: 2 });
    expect(() => analyseLsv(measurementOf(record, 'voltammetry', 'LSV', { area_m2: AREA }, 'V'))).toThrow(
      /never stays above 0\.01 mA cm⁻²/,
    );
    expect(() => analyseLsv(measurementOf(record, 'voltammetry', 'LSV', {}, 'V'))).toThrow(/electrode area/);
    expect(() => analyseLsv(measurementOf(record, 'galvanostatic', 'GCPL', { area_m2: AREA }))).toThrow(
      /voltammetry/,
    );
  });
});
