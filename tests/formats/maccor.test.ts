/**
 * Maccor raw files, text export and FRA impedance export against what independent tools assert
 * (CATALOGUE.tsv: beep, battdat, cellpy) and cellpy's golden raw frame for maccor_001.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMaccorDuration } from '../../app/formats/cyclers/maccor/cycling';
import { parseInstrumentFile } from '../../app/formats/index';
import type { Measurement, NumericColumn } from '../../app/measurement';
import { readShared, SHARED_DATA } from '../support/paths';

function parse(path: string): Measurement {
  return parseInstrumentFile(readShared(path), path.split('/').pop()!);
}

function column(m: Measurement, name: string): NumericColumn | string[] {
  const found = m.original.find((c) => c.name === name);
  if (!found) throw new Error(`no original column ${name}`);
  return found.values;
}

async function readGolden(suite: string): Promise<Record<string, unknown>[]> {
  const buffer = readFileSync(join(SHARED_DATA, '_reference/cellpy_goldens', suite, 'raw.parquet'));
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

describe('Maccor durations', () => {
  it('reads "Nd hh:mm:ss" test times', () => {
    expect(parseMaccorDuration('  0d 00:00:01.0000')).toBe(1);
    expect(parseMaccorDuration('  2d 02:52:51.5699996948242')).toBeCloseTo(
      2 * 86400 + 2 * 3600 + 52 * 60 + 51.57,
      6,
    );
    expect(parseMaccorDuration('  0d 00:00:5')).toBe(5);
    expect(parseMaccorDuration('12:00')).toBeUndefined();
    expect(parseMaccorDuration('abc')).toBeUndefined();
  });
});

describe('Maccor text export (cellpy maccor_001.txt)', () => {
  let m: Measurement;
  let golden: Record<string, unknown>[];
  beforeAll(async () => {
    m = parse('maccor_txt/cellpy__maccor_001.txt');
    golden = await readGolden('loader_maccor_txt');
  });

  it('is detected as maccor-txt with the rows cellpy reads (6704)', () => {
    expect(m.format).toBe('maccor-txt');
    expect(m.rows).toBe(6704);
    expect(golden.length).toBe(6704);
  });

  it('has the start time cellpy reads from "Date of Test"', () => {
    expect(m.metadata.startTime).toBe('2020-12-11T12:22:12');
    expect(m.metadata.channel).toBe('1');
    expect(m.metadata.extra.Procedure).toContain('M50_Validation.000');
  });

  it('matches cellpy voltage, signed current, test time and step on every row', () => {
    const voltage = m.channels.voltage_V!;
    const current = m.channels.current_A!;
    const time = m.channels.time_s!;
    const step = m.channels.step!;
    const t0 = Number(golden[0]!.test_time);
    let worst = 0;
    golden.forEach((row, i) => {
      worst = Math.max(
        worst,
        Math.abs(voltage[i]! - Number(row.voltage)),
        Math.abs(current[i]! - Number(row.current)),
        Math.abs(time[i]! - (Number(row.test_time) - t0)) / 1000,
        Math.abs(step[i]! - Number(row.step_index)),
      );
    });
    expect(worst).toBeLessThan(1e-6);
  });

  it('makes discharge current negative (Amps is unsigned in this file; State D rows)', () => {
    const state = column(m, 'State') as string[];
    const current = m.channels.current_A!;
    state.forEach((s, i) => {
      if (s === 'D') expect(current[i]!).toBeLessThanOrEqual(0);
      if (s === 'C') expect(current[i]!).toBeGreaterThanOrEqual(0);
    });
    expect(m.warnings.join(' ')).toMatch(/unsigned/);
  });

  it('keeps every column of the header line (line 4)', () => {
    // cellpy's 63 columns are these 61 with Amp-hr/Watt-hr split into charge/discharge columns plus test_id.
    const header = new TextDecoder().decode(readShared('maccor_txt/cellpy__maccor_001.txt')).split('\n')[3]!;
    expect(m.original.length).toBe(header.trimEnd().split('\t').length);
    expect(m.original.length).toBe(61);
    expect(m.original.map((c) => c.name)).toContain('DPt Time');
  });
});

describe('Maccor raw files', () => {
  it('PredictionDiagnostics .052: 333 rows, channel 52, the final "\\r" line ignored (beep)', () => {
    const m = parse('maccor_raw/beep__PredictionDiagnostics_000151_test.052');
    expect(m.format).toBe('maccor-raw');
    expect(m.rows).toBe(333);
    expect(m.metadata.channel).toBe('52');
    expect(m.original.length).toBe(38);
    for (const channel of ['voltage_V', 'current_A', 'capacity_Ah', 'cycle', 'step'] as const) {
      expect(m.channels[channel]).toBeDefined();
    }
    expect(m.metadata.extra['Comment/Barcode']).toBe('00001E');
    expect(m.metadata.extra.Procedure).toBe('PredictionDiagnostics_000151.000');
  });

  it('reads the same run exported with commas instead of tabs', () => {
    const tabs = readShared('maccor_raw/beep__PredictionDiagnostics_000151_test.052');
    const commas = new TextEncoder().encode(new TextDecoder().decode(tabs).replaceAll('\t', ','));
    const a = parseInstrumentFile(tabs, 'run.052');
    const b = parseInstrumentFile(commas, 'run.csv');
    expect(b.format).toBe('maccor-raw');
    expect(b.rows).toBe(a.rows);
    expect(Array.from(b.channels.voltage_V!)).toEqual(Array.from(a.channels.voltage_V!));
    expect(Array.from(b.channels.time_s!)).toEqual(Array.from(a.channels.time_s!));
  });

  it('PredictionDiagnostics .010: 2165 rows, channel 10 (beep)', () => {
    const m = parse('maccor_raw/beep__PredictionDiagnostics_000109_tztest.010');
    expect(m.rows).toBe(2165);
    expect(m.metadata.channel).toBe('10');
    // Amps is signed in this file already: nothing is negated.
    expect(m.warnings.join(' ')).not.toMatch(/unsigned/);
  });

  it('battdat .001 starts in March and .002 (time-of-day stamps) takes its date from the header: April', () => {
    const first = parse('maccor_raw/battdat__maccor_example.001');
    const second = parse('maccor_raw/battdat__maccor_example.002');
    expect(first.rows).toBe(8);
    expect(first.metadata.startTime?.slice(0, 7)).toBe('2016-03');
    expect(second.metadata.startTime?.slice(0, 7)).toBe('2016-04');
    // "Test (Min)": 0.1667 min between rows is 10 s.
    expect(first.channels.time_s![1]).toBeCloseTo(0.1667 * 60, 9);
  });

  it('reads "0d 00:00:01.0000" test times of the EIS parent run as seconds', () => {
    const m = parse('maccor_raw/beep__maccor_test_file_4267-66-6519.041');
    expect(m.format).toBe('maccor-raw');
    expect(m.channels.time_s![1]).toBe(1);
    expect(m.channels.time_s![m.rows - 1]).toBe(10);
  });
});

describe('Maccor FRA impedance export', () => {
  let m: Measurement;
  beforeAll(() => {
    m = parse('maccor_eis/beep__maccor_test_file_4267-66-6519.EDA0001.041');
  });

  it('is an EIS measurement with the first row beep reads', () => {
    expect(m.format).toBe('maccor-eis');
    expect(m.kind).toBe('eis');
    expect(m.channels.frequency_Hz![0]).toBe(999999.0);
    expect(m.channels.z_real_ohm![0]).toBeCloseTo(0.773446, 9);
    expect(m.channels.z_imag_ohm![0]).toBeCloseTo(-0.849201, 9);
    expect(m.channels.z_phase_deg![0]).toBeCloseTo(-47.67295, 6);
    expect(m.channels.z_mod_ohm![0]).toBeCloseTo(1.148635, 9);
  });

  it('keeps the capacitive sign: Im(Z) has the sign of the phase angle on every row', () => {
    const imag = m.channels.z_imag_ohm!;
    const phase = m.channels.z_phase_deg!;
    for (let i = 0; i < m.rows; i++) expect(Math.sign(imag[i]!)).toBe(Math.sign(phase[i]!));
  });

  it('reads the header beep parses: start 2016-11-02T15:58 and the sweep mode (file typo kept)', () => {
    expect(m.metadata.startTime).toBe('2016-11-02T15:58:00');
    expect(m.metadata.extra['Frequency Sweep']).toBe('Open Circut Voltage');
  });

  it('frequencies fall monotonically and |Z|² = Re² + Im² row by row', () => {
    const f = m.channels.frequency_Hz!;
    const re = m.channels.z_real_ohm!;
    const im = m.channels.z_imag_ohm!;
    const mod = m.channels.z_mod_ohm!;
    for (let i = 1; i < m.rows; i++) expect(f[i]!).toBeLessThan(f[i - 1]!);
    for (let i = 0; i < m.rows; i++) expect(Math.hypot(re[i]!, im[i]!)).toBeCloseTo(mod[i]!, 4);
  });
});
