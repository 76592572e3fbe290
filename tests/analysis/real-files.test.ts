/**
 * The cycling analysis on real cycler files, against what independent tools computed from them:
 * navani's cycle_summary means (CATALOGUE.tsv, biologic_mpr/jdb11-1… GCPL), cellpy's Arbin .res summary
 * (pipeline_smoke/summary.parquet) and Neware CSV raw frame (loader_neware_txt/raw.parquet), and
 * NewareNDA's decoded table (NewareNDA/reference/TestFile.expected.csv). These go through the real
 * readers (parseInstrumentFile): they fail, not skip, when a reader is missing.
 */
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { analyseCcd } from '../../app/analysis/ccd';
import { analyseCycling } from '../../app/analysis/cycling';
import { analyseLsv } from '../../app/analysis/lsv';
import { analyseSymmetric } from '../../app/analysis/symmetric';
import { analyseTransference } from '../../app/analysis/transference';
import { isElyteError } from '../../app/errors';
import { parseInstrumentFile } from '../../app/formats';
import { readCatalogue, readShared, sharedFile } from '../support/paths';
import { relativeError } from './support';

const MAH = 3.6; // C per mAh

function parse(path: string) {
  return parseInstrumentFile(readShared(path), path.split('/').pop()!);
}

async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const buffer = readFileSync(sharedFile(path));
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

/** "Discharge Capacity 0.7778788" → 0.7778788, from the catalogue's navani expectations. */
function navaniMean(expectations: string, label: string): number {
  const match = new RegExp(`${label} (-?[0-9.]+)`).exec(expectations);
  if (!match) throw new Error(`no "${label}" in the catalogue row`);
  return Number(match[1]);
}

describe('navani GCPL .mpr cycle summary (jdb11-1, 5 cycles 2.0–3.8 V)', () => {
  const path = 'biologic_mpr/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr';
  const row = readCatalogue().find((r) => r.local_path === path)!;
  const expectations = row.source_test_expectations;

  it('matches navani’s mean capacities, mean voltages and CE', () => {
    // navani pairs half cycles from the first (a discharge from OCV) and takes CE = charge/discharge.
    const r = analyseCycling(parse(path), { leading: 'discharge', efficiency: 'charge/discharge' });
    const discharges = r.halfCycles.filter((h) => h.direction === 'discharge');
    const charges = r.halfCycles.filter((h) => h.direction === 'charge');
    expect(discharges).toHaveLength(7);
    expect(charges).toHaveLength(6);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(
      relativeError(
        mean(discharges.map((h) => h.charge_C / MAH)),
        navaniMean(expectations, 'Discharge Capacity'),
      ),
    ).toBeLessThan(0.005);
    expect(
      relativeError(mean(charges.map((h) => h.charge_C / MAH)), navaniMean(expectations, 'Charge Capacity')),
    ).toBeLessThan(0.005);
    expect(
      Math.abs(mean(discharges.map((h) => h.meanVoltage_V)) - navaniMean(expectations, 'Avg discharge V')),
    ).toBeLessThan(0.001);
    expect(
      Math.abs(mean(charges.map((h) => h.meanVoltage_V)) - navaniMean(expectations, 'Avg charge V')),
    ).toBeLessThan(0.001);
    expect(r.meanEfficiency!).toBeCloseTo(navaniMean(expectations, 'CE'), 4);
  });
});

describe('navani EC-Lab 11.50 Modulo Bat .mpr files', () => {
  for (const path of [
    'biologic_mpr/navani__00_test_02_MB_C01.mpr',
    'biologic_mpr/navani__00_test_04_MB_C01.mpr',
  ]) {
    it(`${path}: a result without NaN, or a stated refusal`, () => {
      const m = parse(path);
      expect(m.rows).toBeGreaterThan(0);
      try {
        const r = analyseCycling(m, { mass_kg: 1e-6 });
        expect(JSON.stringify(r.cycles)).not.toMatch(/NaN|Infinity/);
      } catch (error) {
        expect(isElyteError(error) && error.kind === 'analysis').toBe(true);
      }
    });
  }
});

describe('cellpy Arbin .res (Si half cell, 18 cycles)', () => {
  it('gives cellpy’s cycle count and per-cycle capacities within 0.5 %', async () => {
    const summary = await readParquet('_reference/cellpy_goldens/pipeline_smoke/summary.parquet');
    const metrics = JSON.parse(
      readFileSync(sharedFile('_reference/cellpy_goldens/pipeline_smoke/metrics.json'), 'utf8'),
    );
    const r = analyseCycling(parse('arbin_res/cellpy__20160805_test001_45_cc_01.res'), {
      mass_kg: 1e-6,
      efficiency: 'charge/discharge',
    });
    expect(r.choices.leading).toBe('discharge');
    expect(r.cycles).toHaveLength(metrics.n_cycles);
    for (const ref of summary) {
      const cycle = r.cycles.find((c) => c.cycle === Number(ref.cycle_num))!;
      const refCharge = Number(ref.charge_capacity) * 3600; // Ah → C
      const refDischarge = Number(ref.discharge_capacity) * 3600;
      expect(relativeError(cycle.discharge_C!, refDischarge)).toBeLessThan(0.005);
      if (refCharge > 0) expect(relativeError(cycle.charge_C!, refCharge)).toBeLessThan(0.005);
      else expect(cycle.charge_C).toBeNull();
    }
  });
});

describe('cellpy Neware BTSDA CSV (4 cycles in cellpy’s summary)', () => {
  it('groups by the file’s cycles as cellpy does: 4 cycles with its capacities', async () => {
    const raw = await readParquet('_reference/cellpy_goldens/loader_neware_txt/raw.parquet');
    const byCycle = new Map<number, { charge: number; discharge: number }>();
    for (const row of raw) {
      const c = Number(row.cycle_index);
      const e = byCycle.get(c) ?? { charge: 0, discharge: 0 };
      e.charge = Math.max(e.charge, Number(row.charge_capacity));
      e.discharge = Math.max(e.discharge, Number(row.discharge_capacity));
      byCycle.set(c, e);
    }
    const m = parse('neware_csv/cellpy__neware_uio.csv');
    const r = analyseCycling(m, { mass_kg: 2.08e-6, cycleSource: 'file' });
    expect(r.cycles).toHaveLength(byCycle.size);
    for (const [cycle, ref] of byCycle) {
      const c = r.cycles.find((x) => x.cycle === cycle)!;
      expect(relativeError(c.charge_C!, ref.charge * 3600)).toBeLessThan(0.005);
      expect(relativeError(c.discharge_C!, ref.discharge * 3600)).toBeLessThan(0.005);
    }
  });

  it('from the current alone: file cycle 3 holds two discharge/charge pairs, so 5 cycles, and it says so', () => {
    const r = analyseCycling(parse('neware_csv/cellpy__neware_uio.csv'), { mass_kg: 2.08e-6 });
    expect(r.cycles).toHaveLength(5);
    expect(r.warnings.join(' ')).toMatch(/cycle column has 4 cycles but the current gives 5/);
  });
});

describe('NewareNDA decoded tables', () => {
  it('TestFile.nda: the cycles and capacities of NewareNDA’s reference table', () => {
    const text = readFileSync(sharedFile('_reference/NewareNDA/reference/TestFile.expected.csv'), 'utf8');
    const lines = text.trim().split('\n');
    const header = lines[0]!.split(',');
    const col = (name: string) => header.indexOf(name);
    // Per reference cycle: capacities summed over steps (each step's capacity counts from zero).
    const steps = new Map<string, { cycle: number; charge: number; discharge: number }>();
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      const key = `${f[col('Cycle')]}/${f[col('Step')]}`;
      const e = steps.get(key) ?? { cycle: Number(f[col('Cycle')]), charge: 0, discharge: 0 };
      e.charge = Math.max(e.charge, Math.abs(Number(f[col('Charge_Capacity(mAh)')])));
      e.discharge = Math.max(e.discharge, Math.abs(Number(f[col('Discharge_Capacity(mAh)')])));
      steps.set(key, e);
    }
    const cycles = new Map<number, { charge: number; discharge: number }>();
    for (const s of steps.values()) {
      const e = cycles.get(s.cycle) ?? { charge: 0, discharge: 0 };
      e.charge += s.charge;
      e.discharge += s.discharge;
      cycles.set(s.cycle, e);
    }
    // NewareNDA (cycle_mode 'chg') opens a cycle with each charge: the initial discharge is its cycle 1,
    // which our charge-led pairing calls cycle 0.
    const r = analyseCycling(parse('neware_nda/NewareNDA__TestFile.nda'), {
      mass_kg: 1e-3,
      leading: 'charge',
    });
    expect(r.cycles).toHaveLength(cycles.size);
    for (const [cycle, ref] of cycles) {
      const c = r.cycles.find((x) => x.cycle === cycle - 1)!;
      if (ref.charge > 0) expect(relativeError(c.charge_C! / MAH, ref.charge)).toBeLessThan(0.005);
      if (ref.discharge > 0) expect(relativeError(c.discharge_C! / MAH, ref.discharge)).toBeLessThan(0.005);
    }
  });

  it('a rest-only .ndax is refused with a reason, never a number', () => {
    const m = parse('neware_ndax/NewareNDA__123456789012_Unit27_Example_Data_File.ndax');
    expect(() => analyseCycling(m, { mass_kg: 1e-3 })).toThrow(/half cycle/);
  });
});

describe('other analyses on real BioLogic files: a number or a stated refusal, never NaN', () => {
  it('short CA records (ixdat) are refused for Bruce–Vincent: no steady state', () => {
    const resistance = { value_ohm: 10, stderr_ohm: null };
    for (const name of ['01_05_CA_C01', '01_06_CA_C01']) {
      const m = parse(`biologic_mpt/ixdat__multiple_techniques_dataset_${name}.mpt`);
      expect(m.kind).toBe('potentiostatic');
      expect(() => analyseTransference(m, resistance, resistance, null)).toThrow(/steady/);
    }
  });

  it('a CVA record gives a finite LSV onset on its anodic sweep (with the area given)', () => {
    const m = parse('biologic_mpt/ixdat__multiple_techniques_dataset_01_02_CVA_C01.mpt');
    expect(() => analyseLsv(m)).toThrow(/electrode area/);
    const r = analyseLsv(m, { area_m2: 1e-4 });
    expect(Number.isFinite(r.onset_V)).toBe(true);
    expect(r.onset_V).toBeLessThanOrEqual(r.sweep.voltage_V.at(-1)!);
  });

  it('a one-direction CP record is refused by CCD and Li‖Li analyses', () => {
    const m = parse('biologic_mpt/ixdat__dataset_with_loop_01_03_CP_DUSB0_C01.mpt');
    expect(() => analyseCcd(m, { area_m2: 1e-4 })).toThrow(/half cycle/);
    expect(() => analyseSymmetric(m, { area_m2: 1e-4 })).toThrow(/half cycle/);
  });
});
