/**
 * Generic CSV/TSV/XLSX tables: units from headers, conversion to SI, column mappings (explicit and
 * suggested), refusals that name the column and unit, the header signature, and property tests that
 * write tables with known values in many layouts and read them back.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { headerSignature, parseGenericTable, suggestMapping } from '../../app/formats/generic/index';
import { parseHeaderUnit, unitConversion } from '../../app/formats/generic/units';
import { detectFormat, parseInstrumentFile } from '../../app/formats/index';
import type { ColumnMapping } from '../../app/measurement';
import { readShared } from '../support/paths';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function thrown(fn: () => unknown): ElyteError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ElyteError) return error;
    throw error;
  }
  throw new Error('expected an ElyteError');
}

describe('units in headers', () => {
  it.each([
    ['Voltage (V)', 'Voltage', 'V'],
    ['I/mA', 'I', 'mA'],
    ['Current [µA]', 'Current', 'µA'],
    ["Z' / Ohm", "Z'", 'Ohm'],
    ['Re(Z)/Ohm', 'Re(Z)', 'Ohm'],
    ['-Im(Z)/Ohm', '-Im(Z)', 'Ohm'],
    ['Re(Z)', 'Re(Z)', ''],
    ['time/s', 'time', 's'],
    ['Temperature (°C)', 'Temperature', '°C'],
    ['dVdt (I/h)', 'dVdt (I/h)', ''],
  ])('%s → %s in %s', (header, name, unit) => {
    expect(parseHeaderUnit(header)).toEqual({ name, unit });
  });

  // Definitions of the units, not computed values.
  it.each([
    ['current_A', 'mA', 1e-3, 0],
    ['current_A', 'µA', 1e-6, 0],
    ['current_A', 'uA', 1e-6, 0],
    ['current_A', 'nA', 1e-9, 0],
    ['voltage_V', 'mV', 1e-3, 0],
    ['z_real_ohm', 'kOhm', 1e3, 0],
    ['z_real_ohm', 'kΩ', 1e3, 0],
    ['z_real_ohm', 'mOhm', 1e-3, 0],
    ['capacity_Ah', 'mAh', 1e-3, 0],
    ['capacity_Ah', 'Ah', 1, 0],
    ['time_s', 'min', 60, 0],
    ['time_s', 'h', 3600, 0],
    ['time_s', 'ms', 1e-3, 0],
    ['frequency_Hz', 'kHz', 1e3, 0],
    ['frequency_Hz', 'mHz', 1e-3, 0],
    ['temperature_C', '°C', 1, 0],
    ['temperature_C', 'K', 1, -273.15],
    ['energy_Wh', 'mWh', 1e-3, 0],
    ['z_phase_deg', 'deg', 1, 0],
  ] as const)('%s from %s: ×%s %s', (channel, unit, scale, offset) => {
    const conversion = unitConversion(channel, unit)!;
    expect(conversion.scale).toBeCloseTo(scale, 15);
    expect(conversion.offset).toBeCloseTo(offset, 12);
  });

  it('rejects units of another quantity', () => {
    expect(unitConversion('current_A', 'V')).toBeNull();
    expect(unitConversion('time_s', 'furlong')).toBeNull();
    expect(unitConversion('temperature_C', 'mA')).toBeNull();
  });
});

describe('generic text tables', () => {
  it('finds the header under a preamble, with semicolons and decimal commas, and converts to SI', () => {
    const text = [
      'Sample: LLZO pellet',
      'Operator; Anna',
      '',
      'Time (min);Voltage (mV);I/mA;Comment',
      '0;3000,5;1,5;start',
      '1;3100,25;1,5;',
      '2,5;3200;-0,5;end',
    ].join('\r\n');
    const m = parseInstrumentFile(encode(text), 'run.csv');
    expect(m.format).toBe('generic-table');
    expect(m.rows).toBe(3);
    expect(Array.from(m.channels.time_s!)).toEqual([0, 60, 150]);
    expect(m.channels.voltage_V![0]).toBeCloseTo(3.0005, 12);
    expect(m.channels.current_A![2]).toBeCloseTo(-5e-4, 15);
    expect(m.original.map((c) => c.name)).toEqual(['Time', 'Voltage', 'I', 'Comment']);
    expect(m.original[3]!.values).toEqual(['start', '', 'end']);
    expect(m.metadata.extra['line 1']).toBe('Sample: LLZO pellet');
  });

  it('takes units from a row of units under the header', () => {
    const m = parseInstrumentFile(
      encode('Time;Voltage;Current\ns;mV;[mA]\n0;1000;1\n10;2000;2\n20;3000;-1\n'),
      'u.csv',
    );
    expect(Array.from(m.channels.voltage_V!)).toEqual([1, 2, 3]);
    expect(m.channels.current_A![2]).toBeCloseTo(-1e-3, 15);
    expect(m.original.map((c) => c.unit)).toEqual(['s', 'mV', 'mA']);
  });

  it('reads an EIS table in kHz and kΩ whose -Z″ column is positive, keeping capacitive Im(Z) negative', () => {
    const text = "Freq/kHz\tZ' / kOhm\t-Z'' / kOhm\n100\t0.1\t0.05\n1\t0.5\t0.2\n0.01\t2\t1.5\n";
    const m = parseInstrumentFile(encode(text), 'spectrum.txt');
    expect(m.kind).toBe('eis');
    expect(Array.from(m.channels.frequency_Hz!)).toEqual([1e5, 1e3, 10]);
    expect(Array.from(m.channels.z_real_ohm!)).toEqual([100, 500, 2000]);
    expect(Array.from(m.channels.z_imag_ohm!)).toEqual([-50, -200, -1500]);
  });

  it('reads Z″ written positive under a plain name as −Im(Z), with a warning', () => {
    const text = "f (Hz),Z' (Ohm),Z'' (Ohm)\n1000,10,5\n100,12,8\n10,20,3\n";
    const m = parseInstrumentFile(encode(text), 'z.csv', { formatId: 'generic-table' });
    expect(Array.from(m.channels.frequency_Hz!)).toEqual([1000, 100, 10]);
    expect(Array.from(m.channels.z_imag_ohm!)).toEqual([-5, -8, -3]);
    expect(m.warnings.join(' ')).toMatch(/negated/);
  });

  it('uses an explicit mapping by name and by index, converting units', () => {
    const text = 't_h,E,I\n0,3.1,12\n0.5,3.2,12\n1,3.3,-12\n';
    const columns: ColumnMapping = {
      time_s: { column: 't_h', unit: 'h' },
      voltage_V: { column: 1, unit: 'V' },
      current_A: { column: 'I', unit: 'µA' },
    };
    const m = parseInstrumentFile(encode(text), 'mapped.csv', { columns });
    expect(Array.from(m.channels.time_s!)).toEqual([0, 1800, 3600]);
    expect(m.channels.current_A![2]).toBeCloseTo(-12e-6, 18);
    expect(m.warnings.join(' ')).not.toMatch(/not mapped/);
  });

  it('rejects an unknown unit, naming the column and the unit', () => {
    const text = 'a,b\n1,2\n3,4\n5,6\n';
    const error = thrown(() =>
      parseInstrumentFile(encode(text), 'units.csv', {
        columns: { voltage_V: { column: 'b', unit: 'parsec' } },
      }),
    );
    expect(error.kind).toBe('invalid-argument');
    expect(error.message).toContain('"b"');
    expect(error.message).toContain('"parsec"');
    expect(error.message).toContain('units.csv');
  });

  it('rejects a mapping to a column that is not there, listing the columns', () => {
    const error = thrown(() =>
      parseInstrumentFile(encode('a,b\n1,2\n3,4\n'), 'missing.csv', {
        columns: { time_s: { column: 'zeit', unit: 's' } },
      }),
    );
    expect(error.kind).toBe('invalid-argument');
    expect(error.message).toMatch(/"zeit".*"a", "b"/);
  });

  it('asks for a mapping when no header can be recognised, listing the headers', () => {
    const error = thrown(() => parseInstrumentFile(encode('alpha,beta\n1,2\n3,4\n5,6\n'), 'mystery.csv'));
    expect(error.kind).toBe('invalid-argument');
    expect(error.message).toMatch(/column mapping/);
    expect(error.message).toContain('"alpha", "beta"');
  });

  it('drops a guessed time column with blank cells (with a warning) but refuses a chosen one', () => {
    const text = 'Time (s),Voltage (V)\n0,1\n,2\n2,3\n3,4\n';
    const m = parseInstrumentFile(encode(text), 'gaps.csv');
    expect(m.channels.time_s).toBeUndefined();
    expect(Array.from(m.channels.voltage_V!)).toEqual([1, 2, 3, 4]);
    expect(m.warnings.join(' ')).toMatch(/not used as time_s/);
    const error = thrown(() =>
      parseInstrumentFile(encode(text), 'gaps.csv', { columns: { time_s: { column: 0, unit: 's' } } }),
    );
    expect(error.kind).toBe('malformed');
  });

  it('lists columns it kept but did not map, and warns about assumed units', () => {
    const m = parseInstrumentFile(encode('Time,Voltage,Pressure (bar)\n0,1,5\n1,2,5\n2,3,5\n'), 'p.csv');
    expect(m.warnings.join(' ')).toMatch(/not mapped.*"Pressure \(bar\)"/);
    expect(m.warnings.join(' ')).toMatch(/"Time" names no unit; read as s/);
  });

  it('reads the headerless impedance.py example as f, Re Z, Im Z: 66 points, 57 with Im(Z) < 0', () => {
    const m = parseGenericTable(readShared('impedance_py_csv/exampleData.csv'), 'exampleData.csv');
    expect(m.rows).toBe(66);
    expect(m.channels.z_imag_ohm!.filter((v) => v < 0).length).toBe(57);
    expect(m.channels.frequency_Hz![0]).toBeCloseTo(3.1623e-3, 12);
  });

  it('sniffs low, so a specific reader wins on its own files', () => {
    const detection = detectFormat(encode('Time (s),Voltage (V)\n0,1\n1,2\n2,3\n'), 'x.csv');
    expect(detection?.reader.id).toBe('generic-table');
    expect(detection!.confidence).toBeLessThan(0.4);
    const maccor = readShared('maccor_raw/beep__PredictionDiagnostics_000151_test.052');
    expect(detectFormat(maccor, 'x.csv')?.reader.id).toBe('maccor-raw');
  });
});

describe('generic spreadsheets', () => {
  it('reads an XLSX table (header below a title row) with units from the headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['LSV of LiPON film']);
    sheet.addRow(['Potential (V)', 'Current (µA)', 'Time (s)']);
    sheet.addRow([3.0, 0.1, 0]);
    sheet.addRow([3.5, 0.2, 10]);
    sheet.addRow([4.0, 5.0, 20]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const m = parseInstrumentFile(bytes, 'lsv.xlsx');
    expect(m.format).toBe('generic-table');
    expect(m.rows).toBe(3);
    expect(m.channels.current_A![2]).toBeCloseTo(5e-6, 18);
    expect(Array.from(m.channels.time_s!)).toEqual([0, 10, 20]);
    expect(m.metadata.extra['line 1']).toBe('LSV of LiPON film');
  });
});

describe('mapping helpers', () => {
  it('suggests a mapping from header names with their units', () => {
    expect(suggestMapping(['time/s', 'Ewe/V', '<I>/mA', 'Pressure'])).toEqual({
      time_s: { column: 'time/s', unit: 's' },
      voltage_V: { column: 'Ewe/V', unit: 'V' },
      current_A: { column: '<I>/mA', unit: 'mA' },
    });
    expect(suggestMapping(['freq/Hz', 'Re(Z)/Ohm', '-Im(Z)/Ohm'])).toEqual({
      frequency_Hz: { column: 'freq/Hz', unit: 'Hz' },
      z_real_ohm: { column: 'Re(Z)/Ohm', unit: 'Ohm' },
      z_imag_ohm: { column: '-Im(Z)/Ohm', unit: 'Ohm' },
    });
  });

  it('gives a stable signature that ignores case and spacing but not the columns', () => {
    const a = headerSignature(['Time (s)', 'Voltage (V)']);
    expect(headerSignature([' time  (s) ', 'VOLTAGE (V)'])).toBe(a);
    expect(headerSignature(['Voltage (V)', 'Time (s)'])).not.toBe(a);
    expect(headerSignature(['Time (s)', 'Voltage (V)', 'x'])).not.toBe(a);
    expect(a).toMatch(/^v1-2-[0-9a-f]{8}$/);
  });
});

describe('properties', () => {
  const delimiters = fc.constantFrom(',', ';', '\t');
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

  it('values written in mA/mV/min with any delimiter are read back in A/V/s', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(finite, finite, finite), { minLength: 3, maxLength: 30 }),
        delimiters,
        fc.boolean(),
        (rows, delimiter, decimalComma) => {
          const comma = decimalComma && delimiter !== ',';
          const format = (v: number): string => (comma ? String(v).replace('.', ',') : String(v));
          const lines = [['Time (min)', 'Voltage (mV)', 'Current (mA)'].join(delimiter)];
          for (const row of rows) lines.push(row.map(format).join(delimiter));
          const m = parseInstrumentFile(encode(lines.join('\n')), 'prop.csv', {
            columns: {
              time_s: { column: 0, unit: 'min' },
              voltage_V: { column: 1, unit: 'mV' },
              current_A: { column: 2, unit: 'mA' },
            },
          });
          expect(m.rows).toBe(rows.length);
          rows.forEach(([, v, i], k) => {
            expect(m.channels.voltage_V![k]).toBeCloseTo(v / 1000, 6);
            expect(m.channels.current_A![k]).toBeCloseTo(i / 1000, 6);
          });
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('never throws anything but an ElyteError naming the file, for any table of text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }), { maxLength: 20 }),
        delimiters,
        (rows, d) => {
          const bytes = encode(rows.map((r) => r.join(d)).join('\n'));
          try {
            parseGenericTable(bytes, 'any.csv');
          } catch (error) {
            expect(error).toBeInstanceOf(ElyteError);
            expect((error as ElyteError).message).toContain('any.csv');
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
