/**
 * Novonix and PEC CSV against what beep and cellpy assert (CATALOGUE.tsv, cellpy goldens), and the
 * Landt/LANHE XLSX reader on workbooks generated here with exceljs (no real Landt file is public), whose
 * values are the documented truth.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ElyteError } from '../../app/errors';
import { parseLandtDuration } from '../../app/formats/cyclers/landt/xlsx';
import { detectFormat, parseInstrumentFile } from '../../app/formats/index';
import type { Measurement } from '../../app/measurement';
import { readShared } from '../support/paths';

function parse(path: string): Measurement {
  return parseInstrumentFile(readShared(path), path.split('/').pop()!);
}

describe('Novonix HPC CSV', () => {
  const m = parse('novonix_csv/beep__test_Nova_Form-CH01-01_short.csv');

  it('reads the 3942 rows beep reads, with test time increasing', () => {
    expect(m.format).toBe('novonix-csv');
    expect(m.rows).toBe(3942);
    const t = m.channels.time_s!;
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
  });

  it('keeps the step type column whose values beep finds in the order 0, 7, 8, 1', () => {
    const stepType = m.original.find((c) => c.name === 'Step Type')!.values as Float64Array;
    const order: number[] = [];
    for (const v of stepType) if (!order.includes(v)) order.push(v);
    expect(order).toEqual([0, 7, 8, 1]);
  });

  it('has the metadata beep collects: protocol, channel, software version', () => {
    expect(m.metadata.extra.Protocol).toBe('XC_Formation_Entree_Test.pro1');
    expect(m.metadata.channel).toBe('01');
    expect(m.metadata.softwareVersion).toBe('2.2.1.6');
    expect(m.metadata.startTime).toBe('2022-04-11T10:58:07');
    // Summary: "Mass (g): 1.000", "Area (cm2): 1.000".
    expect(m.metadata.mass_kg).toBeCloseTo(1e-3, 12);
    expect(m.metadata.area_m2).toBeCloseTo(1e-4, 12);
  });

  it('converts Run Time from hours: row 2 is 0.0003111 h', () => {
    expect(m.channels.time_s![1]).toBeCloseTo(0.0003111 * 3600, 9);
    expect(m.channels.voltage_V![0]).toBeCloseTo(0.13736417, 12);
  });

  it('refuses the per-cycle summary companion, naming the data file to open', () => {
    expect(() => parse('novonix_csv/beep__test_Nova_Form-CH01-01_short_metadata.csv')).toThrow(
      /beep__test_Nova_Form-CH01-01_short\.csv/,
    );
    try {
      parse('novonix_csv/beep__test_Nova_Form-CH01-01_short_metadata.csv');
    } catch (error) {
      expect((error as ElyteError).kind).toBe('unsupported');
    }
  });
});

describe('PEC CSV', () => {
  const m = parse('pec_csv/cellpy__pec.csv');

  it('reads the 16255 rows cellpy reads', () => {
    expect(m.format).toBe('pec-csv');
    expect(m.rows).toBe(16255);
  });

  it('has the metadata cellpy reads: start time, test id, regime', () => {
    expect(m.metadata.startTime).toBe('2019-02-22T16:21:35');
    expect(m.metadata.extra.Test).toBe('187');
    expect(m.metadata.extra['TestRegime Name']).toBe('SAFT VL43EFe dQdV C/25');
    expect(m.metadata.extra['Results check']).toContain('2019,187,1,1,3272,3');
  });

  it('converts mV, mA and mAh to SI: first row 3272.632 mV, a discharge row −1633.9 mA', () => {
    expect(m.channels.voltage_V![0]).toBeCloseTo(3.272632, 9);
    expect(m.channels.current_A![5]).toBeCloseTo(-1.6339, 9);
    const chargeCapacity = m.original.find((c) => c.name === 'Charge Capacity' && c.unit === 'mAh')!;
    const last = m.rows - 1;
    expect(m.channels.charge_capacity_Ah![last]).toBeCloseTo(
      (chargeCapacity.values as Float64Array)[last]! / 1000,
      12,
    );
  });
});

/** A LANDdt-style workbook: a record sheet plus a cycle summary sheet. */
async function landtWorkbook(variant: 'english' | 'chinese'): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const record = workbook.addWorksheet(variant === 'english' ? 'Record' : '记录表');
  if (variant === 'english') {
    record.addRow([
      'Record',
      'TestTime/Sec',
      'StepTime/Sec',
      'Cycle-Index',
      'Step-Index',
      'Voltage/V',
      'Current/mA',
      'Capacity/mAh',
      'Energy/mWh',
      'SysTime',
    ]);
    record.addRow([1, 0, 0, 1, 1, 3.0, 0.5, 0, 0, '2024-03-05 10:20:30']);
    record.addRow([2, 60, 60, 1, 1, 3.5, 0.5, 0.008333, 0.0275, '2024-03-05 10:21:30']);
    record.addRow([3, 120, 0, 1, 2, 3.4, -0.5, 0.008333, 0.0283, '2024-03-05 10:22:30']);
    record.addRow([4, 180, 60, 1, 2, 3.1, -0.5, 0.016667, 0.0545, '2024-03-05 10:23:30']);
  } else {
    record.addRow(['序号', '测试时间', '循环号', '工步号', '电压/V', '电流/mA', '容量/mAh', '状态']);
    record.addRow([1, '0-00:00:00', 1, 1, 3.0, 0.5, 0, 'C_CC']);
    record.addRow([2, '0-00:01:00', 1, 1, 3.5, 0.5, 0.008333, 'C_CC']);
    record.addRow([3, '0-01:00:00', 1, 2, 3.4, 0.5, 0.008333, 'D_CC']);
    record.addRow([4, '1-00:00:00', 1, 2, 3.1, 0.5, 0.016667, 'D_CC']);
  }
  const cycles = workbook.addWorksheet(variant === 'english' ? 'Cycle' : '循环表');
  cycles.addRow(['Cycle', 'Capacity-Chg/mAh', 'Capacity-Dchg/mAh']);
  cycles.addRow([1, 0.008333, 0.008334]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('Landt / LANHE XLSX (generated workbooks)', () => {
  it('is detected by content and reads the English LANDdt layout in SI units', async () => {
    const bytes = await landtWorkbook('english');
    expect(detectFormat(bytes, 'cell.xlsx')?.reader.id).toBe('landt-xlsx');
    const m = parseInstrumentFile(bytes, 'cell.xlsx');
    expect(m.format).toBe('landt-xlsx');
    expect(m.rows).toBe(4);
    expect(Array.from(m.channels.time_s!)).toEqual([0, 60, 120, 180]);
    expect(Array.from(m.channels.voltage_V!)).toEqual([3.0, 3.5, 3.4, 3.1]);
    expect(m.channels.current_A![0]).toBeCloseTo(5e-4, 15);
    expect(m.channels.current_A![3]).toBeCloseTo(-5e-4, 15);
    expect(m.channels.capacity_Ah![3]).toBeCloseTo(1.6667e-5, 12);
    expect(m.channels.energy_Wh![3]).toBeCloseTo(5.45e-5, 12);
    expect(Array.from(m.channels.step!)).toEqual([1, 1, 2, 2]);
    expect(m.metadata.startTime).toBe('2024-03-05T10:20:30');
    expect(m.warnings.join(' ')).toMatch(/Cycle/);
    expect(m.original.length).toBe(10);
  });

  it('reads Chinese headers, d-hh:mm:ss times and an unsigned current signed by state', async () => {
    const m = parseInstrumentFile(await landtWorkbook('chinese'), '电池.xlsx');
    expect(m.format).toBe('landt-xlsx');
    expect(Array.from(m.channels.time_s!)).toEqual([0, 60, 3600, 86400]);
    expect(Array.from(m.channels.current_A!).map((v) => v * 1000)).toEqual([0.5, 0.5, -0.5, -0.5]);
    expect(m.warnings.join(' ')).toMatch(/unsigned/);
  });

  it('parses Landt durations', () => {
    expect(parseLandtDuration('1-02:03:04')).toBe(86400 + 7200 + 180 + 4);
    expect(parseLandtDuration('26:00:00.5')).toBe(26 * 3600 + 0.5);
    expect(parseLandtDuration('soon')).toBeUndefined();
  });

  it('a workbook without Landt headers is left to the other readers', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['a', 'b']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(detectFormat(bytes, 'x.xlsx')?.reader.id).not.toBe('landt-xlsx');
  });
});
