/**
 * Neware BTSDA CSV against cellpy's golden raw frame (_reference/cellpy_goldens/loader_neware_txt),
 * and the BTSDA XLSX layout on a workbook generated here with ExcelJS (no public Neware .xlsx exists).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { newareCsvReader, newareXlsxReader } from '../../app/formats/cyclers/neware/export';
import { detectFormat } from '../../app/formats/index';
import type { Measurement, NumericColumn } from '../../app/measurement';
import { readShared, SHARED_DATA } from '../support/paths';

async function readGolden(suite: string): Promise<Record<string, unknown>[]> {
  const buffer = readFileSync(join(SHARED_DATA, '_reference/cellpy_goldens', suite, 'raw.parquet'));
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}

function original(m: Measurement, name: string): NumericColumn | string[] {
  const found = m.original.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found.values;
}

describe('Neware BTSDA CSV', () => {
  const file = 'neware_csv/cellpy__neware_uio.csv';

  it('matches cellpy’s golden raw frame row by row (9065 rows)', async () => {
    const bytes = readShared(file);
    const m = newareCsvReader.parse(bytes, 'neware_uio.csv');
    const golden = await readGolden('loader_neware_txt');
    expect(m.rows).toBe(9065);
    expect(golden.length).toBe(9065);
    // cellpy column → ours (canonical SI or original); cellpy keeps A, V, Ah, Wh, s.
    const pairs: [string, NumericColumn | string[]][] = [
      ['data_point', original(m, 'DataPoint')],
      ['cycle_index', m.channels.cycle!],
      ['step_index', m.channels.step!],
      ['voltage', m.channels.voltage_V!],
      ['current', m.channels.current_A!],
      ['step_time', original(m, 'Time')],
      ['test_time', m.channels.time_s!],
      ['Step Type', original(m, 'Step Type')],
    ];
    for (const [name, ours] of pairs) {
      let bad = 0;
      golden.forEach((row, i) => {
        const expected = row[name];
        if (typeof expected === 'string') {
          if (ours[i] !== expected) bad++;
        } else if (
          !(Math.abs(Number(expected) - Number(ours[i])) <= 1e-9 * Math.max(1, Math.abs(Number(expected))))
        ) {
          bad++;
        }
      });
      expect(bad, name).toBe(0);
    }
    // cellpy carries capacities over from earlier steps of the cycle; BTSDA restarts them each step.
    // So golden − ours must be constant within every step run (and equal where cellpy adds nothing).
    for (const [name, ours] of [
      ['charge_capacity', m.channels.charge_capacity_Ah!],
      ['discharge_capacity', m.channels.discharge_capacity_Ah!],
      ['charge_energy', original(m, 'Chg. Energy(Wh)') as Float64Array],
    ] as const) {
      let bad = 0;
      let offset = 0;
      const steps = m.channels.step!;
      golden.forEach((row, i) => {
        const difference = Number(row[name]) - ours[i]!;
        if (i === 0 || steps[i] !== steps[i - 1]) offset = difference;
        if (Math.abs(difference - offset) > 1e-9) bad++;
      });
      expect(bad, name).toBe(0);
      expect(Number(golden[0]![name])).toBe(ours[0]);
    }
    // date_time: wall clock, compared as seconds (cellpy stores the naive time as UTC).
    const dates = original(m, 'Date') as Float64Array;
    golden.forEach((row, i) => {
      expect(dates[i]).toBe((row.date_time as Date).getTime() / 1000);
    });
    expect(m.metadata.startTime).toBe('2022-05-18T16:27:52.000'); // meta.json start_datetime
    expect(new Set(m.channels.cycle).size).toBe(4); // tests/test_neware.py: summary has 4 cycles
  });

  it('is detected by content, whatever its name', () => {
    const head = readShared(file).subarray(0, 65536);
    expect(detectFormat(head, 'export.txt')?.reader.id).toBe('neware-csv');
  });

  it('refuses an export without a cumulative time column, naming the file', () => {
    const text =
      'DataPoint,Cycle Index,Step Index,Step Type,Time,Current(A),Voltage(V)\n1,1,1,Rest,00:00:00,0,3.1\n';
    expect(() => newareCsvReader.parse(new TextEncoder().encode(text), 'short.csv')).toThrow(
      /short\.csv.*Total Time/,
    );
  });

  it('converts mA and mAh headers to SI', () => {
    const text =
      'DataPoint,Cycle Index,Step Index,Step Type,Time,Total Time,Current(mA),Voltage(V),Capacity(mAh)\n' +
      '1,1,1,CC Chg,00:00:01,1-00:00:01,250.5,3.5,1.5\n';
    const m = newareCsvReader.parse(new TextEncoder().encode(text), 'ma.csv');
    expect(m.channels.current_A![0]).toBeCloseTo(0.2505, 12);
    expect(m.channels.capacity_Ah![0]).toBeCloseTo(0.0015, 12);
    expect(original(m, 'Total Time')[0]).toBe(86401);
  });
});

describe('Neware BTSDA XLSX (generated workbook)', () => {
  it('reads the record sheet and the test-info pairs', async () => {
    const workbook = new ExcelJS.Workbook();
    const info = workbook.addWorksheet('test');
    info.addRow(['Barcode', 'cell-42', 'Active material', '3.1']);
    const record = workbook.addWorksheet('record');
    record.addRow([
      'DataPoint',
      'Cycle Index',
      'Step Index',
      'Step Type',
      'Time',
      'Total Time',
      'Current(A)',
      'Voltage(V)',
      'Chg. Cap.(Ah)',
      'DChg. Cap.(Ah)',
      'Date',
    ]);
    record.addRow([1, 1, 1, 'Rest', '00:00:00', '00:00:00', 0, 3.0, 0, 0, '2023-01-02 03:04:05']);
    record.addRow([
      2,
      1,
      2,
      'CC Chg',
      '00:00:10',
      '00:00:10',
      0.002,
      3.2,
      0.0000055,
      0,
      '2023-01-02 03:04:15',
    ]);
    record.addRow([
      3,
      1,
      3,
      'CC DChg',
      '00:00:05',
      '00:00:15',
      -0.002,
      3.1,
      0,
      0.0000028,
      '2023-01-02 03:04:20',
    ]);
    workbook.addWorksheet('step').addRow(['Step Index']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(detectFormat(bytes.subarray(0, 65536), 'x.xlsx')?.reader.id).toBe('neware-xlsx');
    const m = newareXlsxReader.parse(bytes, 'gen.xlsx');
    expect(m.rows).toBe(3);
    expect(Array.from(m.channels.time_s!)).toEqual([0, 10, 15]);
    expect(Array.from(m.channels.current_A!)).toEqual([0, 0.002, -0.002]);
    expect(m.channels.discharge_capacity_Ah![2]).toBeCloseTo(0.0000028, 15);
    expect(original(m, 'Step Type')).toEqual(['Rest', 'CC Chg', 'CC DChg']);
    expect(m.metadata.startTime).toBe('2023-01-02T03:04:05.000');
    expect(m.metadata.extra['test.Barcode']).toBe('cell-42');
  });
});
