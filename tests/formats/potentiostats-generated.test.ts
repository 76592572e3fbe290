/**
 * Layouts we have no permissively licensed real file for (CHI CV and i-t text, Autolab NOVA ASCII and
 * Excel exports, Ivium .idf, PalmSens .pssession) and encodings (UTF-16, Windows-1252, decimal commas),
 * tested on files generated here in the documented layout. The truth is the values written into the file.
 */

import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { detectFormat } from '../../app/formats';
import { potentiostatReaders } from '../../app/formats/potentiostats/index';
import type { Measurement } from '../../app/measurement';
import { readShared } from '../support/paths';

const encoder = new TextEncoder();

function reader(id: string) {
  const found = potentiostatReaders.find((r) => r.id === id);
  if (!found) throw new Error(`no reader ${id}`);
  return found;
}

/** Detects by content (as the app does) and parses; fails the test if another reader claims the file. */
function detectAndParse(bytes: Uint8Array, fileName: string, expectedId: string): Measurement {
  const detected = detectFormat(bytes.subarray(0, 65536), fileName);
  expect(detected?.reader.id).toBe(expectedId);
  return reader(expectedId).parse(bytes, fileName);
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + 2 * i] = code & 0xff;
    out[3 + 2 * i] = code >> 8;
  }
  return out;
}

function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '–': 0x96 };
  return Uint8Array.from(text, (c) => special[c] ?? c.charCodeAt(0));
}

function expectArray(actual: Float64Array | undefined, expected: number[], digits = 12): void {
  expect(actual).toBeDefined();
  expect(actual!.length).toBe(expected.length);
  for (const [i, v] of expected.entries()) expect(actual![i]).toBeCloseTo(v, digits);
}

// A triangle sweep 0 → 0.5 → -0.5 → 0 V in 10 mV steps (201 points), current = E / 10 kΩ.
const potentials = Array.from({ length: 201 }, (_, k) =>
  Number((k <= 50 ? k * 0.01 : k <= 150 ? 1 - k * 0.01 : k * 0.01 - 2).toFixed(2)),
);
const firstHalf = 101;
const currents = potentials.map((e) => e / 1e4);

describe('CH Instruments text layouts', () => {
  const header = (technique: string, model = 'CHI760E') =>
    [
      'Nov. 25, 2026   10:05:09',
      technique,
      'File:  C:\\data\\run1.bin',
      'Data Source:  Experiment',
      `Instrument Model:  ${model}`,
      'Header: ',
      'Note: ',
      '',
      'Init E (V) = 0',
      'Scan Rate (V/s) = 0.1',
      'Quiet Time (sec) = 2',
      '',
    ].join('\n');

  it('Cyclic Voltammetry "Potential/V, Current/A"', () => {
    const text = `${header('Cyclic Voltammetry')}\nPotential/V, Current/A\n\n${potentials
      .map((e, i) => `${e.toFixed(3)}, ${currents[i]!.toExponential(3)}`)
      .join('\n')}\n`;
    const m = detectAndParse(encoder.encode(text), 'cv.txt', 'chi-txt');
    expect(m.technique).toBe('Cyclic Voltammetry');
    expect(m.kind).toBe('voltammetry');
    expectArray(m.channels.voltage_V, potentials);
    expectArray(m.channels.current_A, currents, 15);
    expect(m.metadata.instrument).toBe('CH Instruments CHI760E');
    expect(m.metadata.startTime).toBe('2026-11-25T10:05:09');
    expect(m.metadata.extra['Scan Rate (V/s)']).toBe('0.1');
  });

  it('Amperometric i-t Curve "Time/sec, Current/A", also as UTF-16', () => {
    const times = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const i = [2e-6, 1.5e-6, 1.2e-6, 1.1e-6, 1.05e-6, 1.02e-6];
    const text = `${header('Amperometric i-t Curve')}\nTime/sec, Current/A\n\n${times
      .map((t, k) => `${t}, ${i[k]!.toExponential(3)}`)
      .join('\n')}\n`;
    for (const bytes of [encoder.encode(text), utf16le(text)]) {
      const m = detectAndParse(bytes, 'it.txt', 'chi-txt');
      expect(m.kind).toBe('potentiostatic');
      expectArray(
        m.channels.time_s,
        times.map((t) => t - 0.1),
      );
      expectArray(m.channels.current_A, i, 15);
      expect(m.original[0]).toMatchObject({ name: 'Time', unit: 'sec' });
    }
  });

  it('the real CHI EIS file re-encoded as UTF-16 parses to the same spectrum', () => {
    const original = readShared('chi_txt/exampleDataCHInstruments.txt');
    const text = new TextDecoder().decode(original);
    const a = reader('chi-txt').parse(original, 'chi.txt');
    const b = detectAndParse(utf16le(text), 'chi16.txt', 'chi-txt');
    expect(Array.from(b.channels.z_imag_ohm!)).toEqual(Array.from(a.channels.z_imag_ohm!));
  });
});

describe('Autolab NOVA exports', () => {
  const f = [1e5, 1e4, 1e3, 100, 10, 1, 0.1];
  // R0 = 10 Ω in series with R1 = 100 Ω ∥ C1 = 1 µF: Z'' < 0 (capacitive); NOVA writes -Z'' > 0.
  const z = f.map((freq) => {
    const w = 2 * Math.PI * freq * 100 * 1e-6;
    return { re: 10 + 100 / (1 + w * w), im: (-100 * w) / (1 + w * w) };
  });

  it('EIS ASCII export with ";" and decimal commas, UTF-16: -Z\'\' and -Phase negated back', () => {
    const lines = [
      "Index;Frequency (Hz);Z' (Ω);-Z'' (Ω);Z (Ω);-Phase (°);Time (s)",
      ...f.map((freq, k) => {
        const { re, im } = z[k]!;
        const phase = (Math.atan2(im, re) * 180) / Math.PI;
        const cells = [k + 1, freq, re, -im, Math.hypot(re, im), -phase, 10 + k * 2.5];
        return cells.map((v) => String(v).replace('.', ',')).join(';');
      }),
    ];
    const m = detectAndParse(utf16le(lines.join('\r\n')), 'eis.txt', 'autolab-txt');
    expect(m.kind).toBe('eis');
    expectArray(m.channels.frequency_Hz, f);
    expectArray(
      m.channels.z_real_ohm,
      z.map((p) => p.re),
      10,
    );
    expectArray(
      m.channels.z_imag_ohm,
      z.map((p) => p.im),
      10,
    );
    expect(m.channels.z_imag_ohm!.every((v) => v <= 0)).toBe(true);
    expect(m.channels.z_phase_deg!.every((v) => v <= 0)).toBe(true);
    expect(m.original.find((c) => c.name === "-Z''")?.unit).toBe('Ω');
    expectArray(
      m.channels.time_s,
      f.map((_, k) => k * 2.5),
    );
  });

  it('CV ASCII export (tab separated): WE(1) potential and current, Scan → cycle', () => {
    const lines = [
      'Potential applied (V)\tTime (s)\tWE(1).Current (A)\tWE(1).Potential (V)\tScan\tIndex',
      ...potentials.map((e, k) =>
        [e, k * 0.1, currents[k], e + 1e-4, k < firstHalf ? 1 : 2, k + 1].join('\t'),
      ),
    ];
    const m = detectAndParse(encoder.encode(lines.join('\n')), 'cv.txt', 'autolab-txt');
    expectArray(
      m.channels.voltage_V,
      potentials.map((e) => e + 1e-4),
    );
    expectArray(m.channels.control_V, potentials);
    expectArray(m.channels.current_A, currents, 15);
    expect(new Set(m.channels.cycle)).toEqual(new Set([1, 2]));
    expect(m.kind).toBe('voltammetry');
  });

  it('Excel export (.xlsx): detected from its shared strings and read from the first sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['Time (s)', 'WE(1).Potential (V)', 'WE(1).Current (A)']);
    for (const [k, e] of potentials.entries()) sheet.addRow([k * 0.5, e, currents[k]]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const m = detectAndParse(bytes, 'nova.xlsx', 'autolab-xlsx');
    expect(m.format).toBe('autolab-xlsx');
    expectArray(m.channels.voltage_V, potentials);
    expectArray(m.channels.current_A, currents, 15);
    expectArray(
      m.channels.time_s,
      potentials.map((_, k) => k * 0.5),
    );
  });
});

describe('Ivium .idf (layout from the Galv project reader)', () => {
  function idf(
    rows: [number, number, number][],
    declared = rows.length,
    method = 'Chronoamperometry',
  ): Uint8Array {
    const prefix = '\0'.repeat(16) + '\xfb\0\0\0\r\0';
    const text = [
      `${prefix}Version=11`,
      `Method=${method}`,
      'Mconfig=',
      'Mconfig.Device=CompactStat.h',
      'starttime=25/11/2026 09:30:15',
      'Tasks=1',
      'Tasks.Mode[1]=CA',
      'primary_data',
      '3',
      String(declared),
      ...rows.map((r) => r.map((v) => v.toExponential(6).padStart(12)).join(' ')),
      '',
    ].join('\r\n');
    return windows1252(text);
  }
  const rows: [number, number, number][] = [
    [0, 1e-3, 3.7],
    [1, 9e-4, 3.7],
    [2, 8.5e-4, 3.7],
    [3, 8.2e-4, 3.7],
  ];

  it('reads time, current and potential, start time (day first) and the method', () => {
    const m = detectAndParse(idf(rows), 'ca.idf', 'ivium-idf');
    expectArray(m.channels.time_s, [0, 1, 2, 3]);
    expectArray(
      m.channels.current_A,
      rows.map((r) => r[1]),
      15,
    );
    expectArray(
      m.channels.voltage_V,
      rows.map((r) => r[2]),
    );
    expect(m.technique).toBe('Chronoamperometry');
    expect(m.metadata.startTime).toBe('2026-11-25T09:30:15');
    expect(m.metadata.extra['Mconfig.Device']).toBe('CompactStat.h');
  });

  it('refuses a data block shorter than announced, and impedance files, with the file named', () => {
    expect(() => reader('ivium-idf').parse(idf(rows, 10), 'short.idf')).toThrowError(
      /short\.idf.*announces 10/,
    );
    expect(() => reader('ivium-idf').parse(idf(rows, 4, 'Impedance'), 'eis.idf')).toThrowError(ElyteError);
  });
});

describe('PalmSens .pssession (UTF-16 JSON)', () => {
  const unit = (type: string, s: string, q: string, a: string) => ({
    Type: `PalmSens.Units.${type}`,
    S: s,
    Q: q,
    A: a,
  });
  const array = (type: string, arrayType: number, description: string, u: object, values: number[]) => ({
    Type: `PalmSens.Data.${type}`,
    ArrayType: arrayType,
    Description: description,
    Unit: u,
    DataValues: values.map((v) => ({ V: v })),
  });
  // 2026-11-25T10:00:00 as .NET ticks.
  const ticks = (Date.UTC(2026, 10, 25, 10, 0, 0) * 10_000 + 621_355_968_000_000_000).toString();

  function session(measurement: object): Uint8Array {
    const json = JSON.stringify({
      Type: 'PalmSens.DataFiles.SessionFile',
      CoreVersion: '5.9',
      Measurements: [measurement],
    });
    // PSTrace's stray trailing character.
    return utf16le(json.replace('"__TICKS__"', ticks) + '\u0000');
  }

  it('CV with two scans: µA currents scaled to A, scans joined with a cycle channel', () => {
    const half = potentials.length;
    const bytes = session({
      Title: 'CV example',
      TimeStamp: '__TICKS__',
      DeviceSerial: 'ES4-12345',
      Method: '#Method\r\nMETHOD_ID=cv\r\nE_BEGIN=0\r\n',
      DataSet: {
        Type: 'PalmSens.Data.DataSetCommon',
        Values: [
          array(
            'DataArrayTime',
            0,
            'time',
            unit('Time', 's', 'Time', 't'),
            potentials.map((_, k) => k * 0.1),
          ),
          array('DataArrayPotentials', 1, 'scan1', unit('Volt', 'V', 'Potential', 'E'), potentials),
          array(
            'DataArrayCurrents',
            2,
            'scan1',
            unit('MicroAmpere', 'A', 'Current', 'i'),
            currents.map((c) => c * 1e6),
          ),
          array('DataArrayPotentials', 1, 'scan2', unit('Volt', 'V', 'Potential', 'E'), potentials),
          array(
            'DataArrayCurrents',
            2,
            'scan2',
            unit('MicroAmpere', 'A', 'Current', 'i'),
            currents.map((c) => c * 2e6),
          ),
        ],
      },
    });
    const m = detectAndParse(bytes, 'cv.pssession', 'palmsens-pssession');
    expect(m.technique).toBe('CV');
    expect(m.rows).toBe(2 * half);
    expectArray(m.channels.voltage_V, [...potentials, ...potentials]);
    expectArray(m.channels.current_A, [...currents, ...currents.map((c) => 2 * c)], 15);
    expect(m.channels.cycle?.[0]).toBe(1);
    expect(m.channels.cycle?.[2 * half - 1]).toBe(2);
    expect(m.metadata.serialNumber).toBe('ES4-12345');
    expect(m.metadata.startTime).toBe('2026-11-25T10:00:00');
    // One time array for two scans cannot be lined up with the rows: reported, not guessed.
    expect(m.channels.time_s).toBeUndefined();
    expect(m.warnings.join(' ')).toMatch(/time/);
  });

  it("EIS: -Z'' and -Phase negated back to capacitive-negative", () => {
    const f = [1e4, 1e3, 100, 10];
    const re = [10, 12, 30, 90];
    const im = [-1, -8, -40, -30];
    const bytes = session({
      Title: 'EIS',
      Method: 'METHOD_ID=eis\r\n',
      DataSet: {
        Type: 'PalmSens.Data.DataSetEIS',
        Values: [
          // PSTrace's EIS data set also holds DC and AC current arrays (both of current type).
          array('DataArrayCurrents', 2, 'Idc', unit('MicroAmpere', 'A', 'Current', 'i'), [1, 1, 1, 1]),
          array('DataArrayCurrents', 2, 'Iac', unit('MicroAmpere', 'A', 'Current', 'i'), [5, 5, 5, 5]),
          array('DataArray', 5, 'Frequency', unit('Hertz', 'Hz', 'Frequency', 'f'), f),
          array('DataArray', 7, 'ZRe', unit('Ohm', 'Ω', "Z'", 'Z'), re),
          array(
            'DataArray',
            8,
            'ZIm',
            unit('Ohm', 'Ω', "-Z''", 'Z'),
            im.map((v) => -v),
          ),
          array(
            'DataArray',
            6,
            'Phase',
            unit('Degrees', '°', '-Phase', 'Phase'),
            re.map((r, k) => (-Math.atan2(im[k]!, r) * 180) / Math.PI),
          ),
        ],
      },
    });
    const m = detectAndParse(bytes, 'eis.pssession', 'palmsens-pssession');
    expect(m.kind).toBe('eis');
    expectArray(m.channels.frequency_Hz, f);
    expectArray(m.channels.z_real_ohm, re);
    expectArray(m.channels.z_imag_ohm, im);
    expectArray(
      m.channels.z_phase_deg,
      re.map((r, k) => (Math.atan2(im[k]!, r) * 180) / Math.PI),
      9,
    );
    expectArray(m.channels.current_A, [1e-6, 1e-6, 1e-6, 1e-6], 15);
    expect(m.original.map((c) => c.name)).toContain('Iac');
  });

  it('a cut session is a typed error naming the file', () => {
    const bytes = session({ Title: 'x', DataSet: { Values: [] } });
    expect(() => reader('palmsens-pssession').parse(bytes.subarray(0, 41), 'cut.pssession')).toThrowError(
      /cut\.pssession/,
    );
  });
});

describe('Gamry technique tags', () => {
  it('CHRONOP is galvanostatic and EISGALV is impedance, named as Gamry names them', () => {
    const retag = (path: string, from: string, to: string) =>
      encoder.encode(new TextDecoder().decode(readShared(path)).replace(`TAG\t${from}`, `TAG\t${to}`));
    const chronop = reader('gamry-dta').parse(
      retag('gamry_dta_edited/gamryparser__chronoa_data.dta', 'CHRONOA', 'CHRONOP'),
      'cp.dta',
    );
    expect([chronop.technique, chronop.kind]).toEqual(['CHRONOP', 'galvanostatic']);
    const eisgalv = reader('gamry-dta').parse(
      retag('gamry_dta_edited/gamryparser__eispot_data_curveaborted.dta', 'EISPOT', 'EISGALV'),
      'geis.dta',
    );
    expect([eisgalv.technique, eisgalv.kind]).toEqual(['EISGALV', 'eis']);
  });
});

describe('impedance.py plain CSV sniffing', () => {
  it('claims a headerless log-spaced f, Re, Im table but not a headerless time series', () => {
    const sweep = Array.from({ length: 30 }, (_, k) => `${1e5 / 10 ** (k / 5)},${10 + k},${-k}`).join('\n');
    const series = Array.from({ length: 30 }, (_, k) => `${1 + k},${3.7 - k * 0.01},${0.001}`).join('\n');
    expect(reader('impedance-csv').sniff(encoder.encode(sweep), 'a.csv')).toBeGreaterThanOrEqual(0.5);
    expect(reader('impedance-csv').sniff(encoder.encode(series), 'b.csv')).toBe(0);
  });
});

describe('encodings and locales', () => {
  it('a Gamry file in Windows-1252 keeps "°" and "µ" in units and header text', () => {
    const text = readShared('gamry_dta_edited/gamryparser__eispot_data_curveaborted.dta');
    const decoded = new TextDecoder('utf-8').decode(text).replace('Test &Identifier', 'Test µ Identifier');
    const m = reader('gamry-dta').parse(windows1252(decoded), 'cp1252.dta');
    expect(m.original.find((c) => c.name === 'Zphz')?.unit).toBe('°');
    expect(m.rows).toBe(5);
  });

  it('PowerSuite, Parstat and ZPlot tables re-written with decimal commas read the same numbers', () => {
    const cases: [string, string][] = [
      ['powersuite-txt', 'powersuite_txt/exampleDataPowersuite.txt'],
      ['parstat-txt', 'parstat_txt/exampleDataParstat.txt'],
      ['zplot-z', 'zplot_z/exampleDataZPlot.z'],
    ];
    for (const [id, path] of cases) {
      const original = readShared(path);
      const text = new TextDecoder().decode(original);
      // Only numbers in tab-separated data lines: "1.5E+02" → "1,5E+02" (German Windows locale).
      const german = text
        .split('\n')
        .map((line) => (line.includes('\t') ? line.replace(/(\d)\.(\d)/g, '$1,$2') : line))
        .join('\n');
      expect(german).not.toBe(text);
      const a = reader(id).parse(original, basename(path));
      const b = detectAndParse(windows1252(german), basename(path), id);
      expect(b.rows).toBe(a.rows);
      expect(Array.from(b.channels.z_imag_ohm!)).toEqual(Array.from(a.channels.z_imag_ohm!));
      expect(Array.from(b.channels.frequency_Hz!)).toEqual(Array.from(a.channels.frequency_Hz!));
    }
  });

  it('a Pine CSV with a preamble naming AfterMath is claimed confidently', () => {
    const text = `Pine Research AfterMath export\nSegment,Potential (V),Current (A)\n${potentials
      .map((e, k) => `${k < firstHalf ? 1 : 2},${e},${currents[k]}`)
      .join('\n')}\n`;
    const bytes = encoder.encode(text);
    expect(reader('pine-aftermath-csv').sniff(bytes, 'x.csv')).toBeGreaterThan(0.8);
    const m = detectAndParse(bytes, basename('/tmp/x.csv'), 'pine-aftermath-csv');
    expect(m.technique).toBe('CV');
    expectArray(
      m.channels.half_cycle,
      potentials.map((_, k) => (k < firstHalf ? 1 : 2)),
    );
  });
});
