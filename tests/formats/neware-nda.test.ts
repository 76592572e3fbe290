/**
 * Neware .nda/.ndax against NewareNDA's full decoded tables (_reference/NewareNDA/reference, cycle
 * mode 'chg', the mode CATALOGUE.tsv names) and the CATALOGUE rows; the version-29 layout, for which
 * no public file exists, against generated records whose values are written by the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { newareNdaReader } from '../../app/formats/cyclers/neware/nda';
import { newareNdaxReader } from '../../app/formats/cyclers/neware/ndax';
import { cycleNumbers } from '../../app/formats/cyclers/neware/table';
import { detectFormat } from '../../app/formats/index';
import { columnText, type Measurement, type NumericColumn } from '../../app/measurement';
import { readCatalogue, readShared, SHARED_DATA } from '../support/paths';

interface Reference {
  header: string[];
  rows: string[][];
}

function readReference(stem: string): Reference {
  const text = readFileSync(
    join(SHARED_DATA, '_reference/NewareNDA/reference', `${stem}.expected.csv`),
    'utf8',
  );
  const lines = text.trim().split(/\r?\n/);
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

function original(m: Measurement, name: string): NumericColumn | string[] {
  return column(m, name);
}

function column(m: Measurement, name: string): NumericColumn | string[] {
  const found = m.original.find((c) => c.name === name);
  if (!found) return splitBySign(m, name);
  return columnText(found) ?? found.values;
}

/**
 * BTS 9.1 stores one signed capacity (mA·s) and energy (mW·s), kept as such; NewareNDA shows them
 * split by sign in Ah-based units (here Ah and Wh, as the split columns of other layouts).
 */
function splitBySign(m: Measurement, name: string): Float64Array {
  const match = /^(Charge|Discharge)_(Capacity|Energy)$/.exec(name);
  const signed = match && m.original.find((c) => c.name === match[2]);
  if (!match || !signed || Array.isArray(signed.values)) throw new Error(`no column ${name}`);
  const sign = match[1] === 'Charge' ? 1 : -1;
  return Float64Array.from(signed.values, (v) => Math.max(sign * v, 0) / 3.6e6);
}

/** Reference column → our original column and the factor from our unit to the reference's. */
const COMPARED: Record<string, [string, number]> = {
  Index: ['Index', 1],
  Cycle: ['Cycle', 1],
  Step: ['Step', 1],
  Status: ['Status', 1],
  Time: ['Time', 1],
  Voltage: ['Voltage', 1],
  'Current(mA)': ['Current', 1000],
  'Charge_Capacity(mAh)': ['Charge_Capacity', 1000],
  'Discharge_Capacity(mAh)': ['Discharge_Capacity', 1000],
  'Charge_Energy(mWh)': ['Charge_Energy', 1000],
  'Discharge_Energy(mWh)': ['Discharge_Energy', 1000],
  T1: ['T1', 1],
  T2: ['T2', 1],
};

/** Compares every row and every shared column; returns mismatch counts per column. */
function compareWithReference(
  m: Measurement,
  ref: Reference,
  timestampTolerance_s: number,
): Record<string, number> {
  const mismatches: Record<string, number> = {};
  const bump = (name: string): void => {
    mismatches[name] = (mismatches[name] ?? 0) + 1;
  };
  expect(m.rows).toBe(ref.rows.length);
  ref.header.forEach((name, k) => {
    if (name === 'Timestamp') {
      const ours = column(m, 'Timestamp') as Float64Array;
      ref.rows.forEach((row, r) => {
        // NewareNDA's reference was written on a UTC machine: naive times are UTC.
        const expected = Date.parse(`${row[k]}Z`) / 1000;
        if (!(Math.abs(expected - ours[r]!) <= timestampTolerance_s)) bump(name);
      });
      return;
    }
    const compared = COMPARED[name];
    if (!compared) return;
    const [ourName, factor] = compared;
    const expectedAllNaN = ref.rows.every((row) => row[k] === 'NaN' || row[k] === '');
    if (expectedAllNaN) return; // an aux channel the file declares but never recorded (we omit it)
    const ours = column(m, ourName);
    ref.rows.forEach((row, r) => {
      const cell = row[k]!;
      if (name === 'Status') {
        if (ours[r] !== cell) bump(name);
        return;
      }
      const expected = Number(cell);
      const value = Number(ours[r]) * factor;
      // float32 reference: 1e-6 relative, 1e-6 absolute near zero.
      if (!(Math.abs(expected - value) <= 1e-6 * Math.max(1, Math.abs(expected)))) bump(name);
    });
  });
  return mismatches;
}

const ndaFiles = [
  { file: 'neware_nda/NewareNDA__2-1-6_61[07005012].nda', stem: '2-1-6_61[07005012]', cycles: 1, steps: 1 },
  { file: 'neware_nda/NewareNDA__TestFile.nda', stem: 'TestFile', cycles: 3, steps: 11 },
];

describe('Neware .nda', () => {
  for (const { file, stem, cycles, steps } of ndaFiles) {
    it(`${stem}: every row matches NewareNDA (index, cycle, step, status, time, V, I, capacities, energies, clock, aux)`, () => {
      const m = newareNdaReader.parse(readShared(file), file.split('/')[1]!);
      expect(compareWithReference(m, readReference(stem), 0.0011)).toEqual({});
      // CATALOGUE: cycles 1..N, N distinct steps.
      expect(Math.max(...(m.channels.cycle ?? []))).toBe(cycles);
      expect(new Set(m.channels.step).size).toBe(steps);
      expect(m.format).toBe('neware-nda');
      expect(m.kind).toBe('galvanostatic');
      expect(detectFormat(readShared(file).subarray(0, 65536), 'renamed.bin')?.reader.id).toBe('neware-nda');
    });
  }

  it('2-1-6_61: canonical channels are SI and match the CATALOGUE first/last rows', () => {
    const m = newareNdaReader.parse(readShared(ndaFiles[0]!.file), 'a.nda');
    const last = m.rows - 1;
    const units = Object.fromEntries(m.original.map((c) => [c.name, c.unit]));
    expect(units).toMatchObject({
      Time: 's',
      Voltage: 'V',
      Current: 'A',
      Charge_Capacity: 'Ah',
      Discharge_Energy: 'Wh',
    });
    expect(m.channels.current_A).toBe(original(m, 'Current')); // shared, not copied
    expect(m.rows).toBe(15567);
    expect(m.channels.voltage_V![0]).toBeCloseTo(4.029788494110107, 6);
    expect(m.channels.current_A![0]).toBeCloseTo(-1699.7674560546875 / 1000, 7);
    expect(m.channels.discharge_capacity_Ah![last]).toBeCloseTo(299.8614501953125 / 1000, 7);
    expect(m.channels.time_s![0]).toBe(0);
    expect(m.channels.time_s![last]).toBeCloseTo(3602.117431640625 - 0.46307501196861267, 3);
    expect(m.metadata.startTime).toBe('2016-04-19T12:21:01.483Z');
  });

  it('TestFile (BTS 9.1): thermocouple T1 becomes temperature_C', () => {
    const m = newareNdaReader.parse(readShared(ndaFiles[1]!.file), 'b.nda');
    expect(m.channels.temperature_C![0]).toBeCloseTo(23.031402587890625, 5);
    expect(m.channels.temperature_C![m.rows - 1]).toBeCloseTo(24.241840362548828, 5);
    const status = column(m, 'Status') as string[];
    expect([...new Set(status)].sort()).toEqual(['CC_Chg', 'CC_DChg', 'CV_Chg', 'Rest']);
    // The record index (4 bytes) and step id (1 byte) keep their stored width; their values are
    // checked against NewareNDA row by row above.
    expect(column(m, 'Index')).toBeInstanceOf(Uint32Array);
    expect(column(m, 'Step ID')).toBeInstanceOf(Uint8Array);
    // Status is the file's step-type byte with BTSDA's names; capacity and energy are the stored
    // signed float32 values in mA·s and mW·s (split by sign, row by row, above).
    const statusColumn = m.original.find((c) => c.name === 'Status')!;
    expect(statusColumn.values).toBeInstanceOf(Uint8Array);
    expect(statusColumn.labels?.[7]).toBe('CCCV_Chg');
    const capacity = m.original.find((c) => c.name === 'Capacity')!;
    expect(capacity.values).toBeInstanceOf(Float32Array);
    expect(capacity.unit).toBe('mA·s');
    expect(m.original.some((c) => c.name === 'Charge_Capacity')).toBe(false);
    const last = m.rows - 1;
    expect(m.channels.capacity_Ah![last]).toBeCloseTo(Math.abs(capacity.values[last] as number) / 3.6e6, 12);
  });
});

describe('Neware .ndax', () => {
  it('Unit27 example: every row matches NewareNDA, including the rows BTSDA interpolates', () => {
    const file = 'neware_ndax/NewareNDA__123456789012_Unit27_Example_Data_File.ndax';
    const m = newareNdaxReader.parse(readShared(file), 'unit27.ndax');
    // The reference predates NewareNDA's millisecond timestamps: the clock is compared to 1 s.
    expect(compareWithReference(m, readReference('123456789012_Unit27_Example_Data_File'), 1)).toEqual({});
    expect(m.metadata.serialNumber).toBe('123456789');
    expect(m.metadata.extra['TestInfo.Barcode']).toBe('123456789012');
    expect(m.warnings.join(' ')).toMatch(/filled in/);
  });

  it('navani test.ndax (BTS 8, version-5 streams): galvanostatic cycling with monotone time', () => {
    const m = newareNdaxReader.parse(readShared('neware_ndax/navani__test.ndax'), 'test.ndax');
    expect(m.rows).toBeGreaterThan(1000);
    const current = m.channels.current_A!;
    expect(current.some((i) => i > 0) && current.some((i) => i < 0)).toBe(true);
    const t = m.channels.time_s!;
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
    expect(m.warnings).toEqual([]);
    expect(m.metadata.startTime).toBe('2024-02-01T20:24:23.000Z');
  });

  it('aurora ndax (2025): decodes every record the data stream holds, with capacities and a clock', () => {
    const m = newareNdaxReader.parse(readShared('neware_ndax/aurora__nw4-120-6-1-36.ndax'), 'nw4.ndax');
    expect(m.metadata.extra['TestInfo.Barcode']).toBe('commercial_cell_009');
    expect(m.channels.discharge_capacity_Ah!.some((v) => v > 0.03)).toBe(true);
    const t = m.channels.time_s!;
    // TestInfo says the test ran 2025-02-06 10:59:55 → 2025-02-07 03:55:39 (16.9 h).
    expect(t[t.length - 1]! / 3600).toBeGreaterThan(16);
    expect(t[t.length - 1]! / 3600).toBeLessThan(17.5);
  });

  it('CATALOGUE lists every Neware binary file this suite reads', () => {
    const listed = readCatalogue()
      .map((row) => row.local_path)
      .filter((p) => p.startsWith('neware_nda/') || p.startsWith('neware_ndax/'));
    expect(listed.sort()).toEqual([
      'neware_nda/NewareNDA__2-1-6_61[07005012].nda',
      'neware_nda/NewareNDA__TestFile.nda',
      'neware_ndax/NewareNDA__123456789012_Unit27_Example_Data_File.ndax',
      'neware_ndax/aurora__nw4-120-6-1-36.ndax',
      'neware_ndax/navani__test.ndax',
    ]);
  });
});

/** Builds a version-29 .nda: 2417+ header bytes, then 86-byte records (layout per NewareNDA). */
function buildNda29(
  records: {
    index: number;
    cycle: number;
    step: number;
    status: number;
    time_ms: number;
    voltage_counts: number;
    current_counts: number;
    chargeCapacity_counts: number;
    range: number;
  }[],
): Uint8Array {
  const headerLength = 2500;
  const bytes = new Uint8Array(headerLength + 4 + records.length * 86);
  bytes.set(new TextEncoder().encode('NEWARE'), 0);
  bytes[14] = 29;
  const view = new DataView(bytes.buffer);
  view.setUint32(152, 12_500, true); // active mass 12.5 mg, in µg
  bytes.set(new TextEncoder().encode('generated by the test'), 2317);
  let at = headerLength + 4; // preceded by 00 00 00 00
  for (const r of records) {
    bytes[at] = 0x55;
    view.setUint32(at + 2, r.index, true);
    view.setUint32(at + 6, r.cycle, true);
    view.setUint32(at + 10, r.step, true);
    bytes[at + 12] = r.status;
    view.setUint32(at + 14, r.time_ms, true);
    view.setInt32(at + 22, r.voltage_counts, true);
    view.setInt32(at + 26, r.current_counts, true);
    view.setInt32(at + 38, r.chargeCapacity_counts, true);
    view.setUint16(at + 70, 2015, true);
    bytes[at + 72] = 3;
    bytes[at + 73] = 14;
    bytes[at + 74] = 9;
    bytes[at + 75] = 26;
    bytes[at + 76] = 53;
    view.setInt32(at + 78, r.range, true);
    at += 86;
  }
  return bytes;
}

describe('Neware .nda version 29 (BTS 7), generated', () => {
  it('applies the current-range multiplier and counts steps and cycles', () => {
    // Range 1000 → 0.1 mA per count; range -500 → 0.001 mA per count.
    const bytes = buildNda29([
      {
        index: 1,
        cycle: 0,
        step: 1,
        status: 4,
        time_ms: 0,
        voltage_counts: 30000,
        current_counts: 0,
        chargeCapacity_counts: 0,
        range: 1000,
      },
      {
        index: 2,
        cycle: 0,
        step: 2,
        status: 1,
        time_ms: 1000,
        voltage_counts: 35000,
        current_counts: 5000,
        chargeCapacity_counts: 36000,
        range: 1000,
      },
      {
        index: 3,
        cycle: 0,
        step: 3,
        status: 2,
        time_ms: 500,
        voltage_counts: 34000,
        current_counts: -250000,
        chargeCapacity_counts: 0,
        range: -500,
      },
      {
        index: 4,
        cycle: 1,
        step: 4,
        status: 1,
        time_ms: 2000,
        voltage_counts: 36000,
        current_counts: 5000,
        chargeCapacity_counts: 0,
        range: 1000,
      },
      {
        index: 5,
        cycle: 1,
        step: 4,
        status: 1,
        time_ms: 3000,
        voltage_counts: 36500,
        current_counts: 5000,
        chargeCapacity_counts: 0,
        range: 1000,
      },
    ]);
    const m = newareNdaReader.parse(bytes, 'gen29.nda');
    expect(m.rows).toBe(5);
    expect(Array.from(m.channels.voltage_V!)).toEqual([3, 3.5, 3.4, 3.6, 3.65]);
    expect(m.channels.current_A![1]).toBeCloseTo(0.5, 12); // 5000 × 0.1 mA
    expect(m.channels.current_A![2]).toBeCloseTo(-0.25, 12); // -250000 × 0.001 mA
    expect(m.channels.charge_capacity_Ah![1]).toBeCloseTo(0.001, 12); // 36000 × 0.1 mAs / 3600
    expect(Array.from(m.channels.cycle!)).toEqual([1, 1, 1, 2, 2]);
    expect(Array.from(m.channels.step!)).toEqual([1, 2, 3, 4, 4]);
    expect(m.metadata.mass_kg).toBeCloseTo(12.5e-6, 12);
    expect(m.metadata.startTime).toBe('2015-03-14T09:26:53.000');
    expect(m.metadata.extra.Remarks).toBe('generated by the test');
  });

  it('refuses an unknown current range instead of guessing its scale', () => {
    const bytes = buildNda29([
      {
        index: 1,
        cycle: 0,
        step: 1,
        status: 4,
        time_ms: 0,
        voltage_counts: 30000,
        current_counts: 0,
        chargeCapacity_counts: 0,
        range: 777,
      },
      {
        index: 2,
        cycle: 0,
        step: 1,
        status: 4,
        time_ms: 0,
        voltage_counts: 30000,
        current_counts: 0,
        chargeCapacity_counts: 0,
        range: 777,
      },
    ]);
    expect(() => newareNdaReader.parse(bytes, 'odd.nda')).toThrow(/odd\.nda.*current range 777/);
  });

  it('refuses an unknown layout version and a file that is not Neware', () => {
    const bytes = buildNda29([]);
    bytes[14] = 42;
    expect(() => newareNdaReader.parse(bytes, 'v42.nda')).toThrow(ElyteError);
    expect(() => newareNdaReader.parse(bytes, 'v42.nda')).toThrow(/version 42/);
    expect(() => newareNdaReader.parse(new TextEncoder().encode('hello world, not neware'), 'x.nda')).toThrow(
      /x\.nda.*NEWARE/,
    );
  });
});

describe('cycle numbering (BTSDA "charge first")', () => {
  it('starts a cycle at the first charge after a discharge; dchg mode mirrors it; auto follows the first state', () => {
    const states = ['Rest', 'CC_Chg', 'CV_Chg', 'Rest', 'CC_DChg', 'Rest', 'CC_Chg', 'CC_DChg', 'CCCV_Chg'];
    expect(Array.from(cycleNumbers(states, 'chg'))).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 3]);
    // dchg: the first CC_DChg after a charge (index 4) and the next one (index 7) start cycles.
    expect(Array.from(cycleNumbers(states, 'dchg'))).toEqual([1, 1, 1, 1, 2, 2, 2, 3, 3]);
    expect(Array.from(cycleNumbers(states, 'auto'))).toEqual(Array.from(cycleNumbers(states, 'chg')));
  });
});
