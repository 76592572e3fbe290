/**
 * Real potentiostat files from ../shared/data checked against independent expectations:
 * impedance.py's full (f, Z) arrays (_reference/impedance.py/expected_f_Z_from_test_preprocessing.json),
 * gamry-parser's and Zahner Analysis' assertions as transcribed in CATALOGUE.tsv, and the Zahner Analysis
 * fit result of rc-data.ism.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../app/formats';
import { parseGamryFile } from '../../app/formats/potentiostats/gamry-dta';
import { potentiostatReaders } from '../../app/formats/potentiostats/index';
import { decodeIsm } from '../../app/formats/potentiostats/zahner-ism';
import type { Measurement } from '../../app/measurement';
import { readCatalogue, readShared, sharedFile } from '../support/paths';
import { POTENTIOSTAT_FOLDERS } from './potentiostat-folders';

function parse(id: string, relativePath: string): Measurement {
  const reader = potentiostatReaders.find((r) => r.id === id);
  if (!reader) throw new Error(`no reader ${id}`);
  return reader.parse(readShared(relativePath), basename(relativePath));
}

function channel(m: Measurement, name: keyof Measurement['channels']): Float64Array {
  const values = m.channels[name];
  if (!values) throw new Error(`${m.fileName} has no ${name}`);
  return values;
}

function column(m: Measurement, name: string): Float64Array {
  const found = m.original.find((c) => c.name === name);
  if (!found || !(found.values instanceof Float64Array))
    throw new Error(`${m.fileName} has no numeric column ${name}`);
  return found.values;
}

function last(values: Float64Array | string[]): number | string {
  return values[values.length - 1]!;
}

/** numpy.allclose defaults (rtol 1e-5, atol 1e-8), which impedance.py's tests use for readFile. */
function expectAllClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-8 + 1e-5 * Math.abs(expected));
}

interface ImpedanceReference {
  file: string;
  n: number;
  f_Hz: number[];
  Z_real_ohm: number[];
  Z_imag_ohm: number[];
}

const impedanceReference = JSON.parse(
  readFileSync(sharedFile('_reference/impedance.py/expected_f_Z_from_test_preprocessing.json'), 'utf8'),
) as Record<string, ImpedanceReference>;

describe('impedance.py reference spectra (full f and Z arrays)', () => {
  // impedance.py returns Z with its physical sign (capacitive Im < 0), which is our convention too.
  // test_readGamry and test_readZPlot assert exact equality; the others np.allclose.
  const cases: [string, string, string, boolean][] = [
    ['gamry', 'gamry-dta', 'gamry_dta/exampleDataGamry.DTA', true],
    ['autolab', 'zplot-z', 'autolab_txt/exampleDataAutolab.txt', false],
    ['parstat', 'parstat-txt', 'parstat_txt/exampleDataParstat.txt', false],
    ['zplot', 'zplot-z', 'zplot_z/exampleDataZPlot.z', true],
    ['versastudio', 'versastudio-par', 'versastudio_par/exampleDataVersaStudio.par', false],
    ['powersuite', 'powersuite-txt', 'powersuite_txt/exampleDataPowersuite.txt', false],
    ['chinstruments', 'chi-txt', 'chi_txt/exampleDataCHInstruments.txt', false],
  ];
  for (const [key, id, path, exact] of cases) {
    it(`${path} matches impedance.py's "${key}" arrays`, () => {
      const reference = impedanceReference[key]!;
      expect(reference.file).toBe(basename(path));
      const m = parse(id, path);
      expect(m.format).toBe(id);
      expect(m.kind).toBe('eis');
      expect(m.rows).toBe(reference.n);
      const f = channel(m, 'frequency_Hz');
      const re = channel(m, 'z_real_ohm');
      const im = channel(m, 'z_imag_ohm');
      for (let i = 0; i < reference.n; i++) {
        if (exact) {
          expect([f[i], re[i], im[i]]).toEqual([
            reference.f_Hz[i],
            reference.Z_real_ohm[i],
            reference.Z_imag_ohm[i],
          ]);
        } else {
          expectAllClose(f[i]!, reference.f_Hz[i]!);
          expectAllClose(re[i]!, reference.Z_real_ohm[i]!);
          expectAllClose(im[i]!, reference.Z_imag_ohm[i]!);
        }
      }
    });
  }

  it('every EIS file also carries |Z| and phase consistent with Re/Im', () => {
    const m = parse('chi-txt', 'chi_txt/exampleDataCHInstruments.txt');
    // CHI writes its own Z/ohm and Phase/deg columns (4 significant digits): they must agree with Re/Im.
    const mod = channel(m, 'z_mod_ohm');
    const re = channel(m, 'z_real_ohm');
    const im = channel(m, 'z_imag_ohm');
    for (let i = 0; i < m.rows; i++)
      expect(Math.abs(mod[i]! - Math.hypot(re[i]!, im[i]!)) / mod[i]!).toBeLessThan(2e-3);
  });
});

describe('Gamry .DTA (gamry-parser assertions from CATALOGUE.tsv)', () => {
  it('exampleDataGamry.DTA: EISPOT, 72 points, first/last as impedance.py, header metadata', () => {
    const m = parse('gamry-dta', 'gamry_dta/exampleDataGamry.DTA');
    expect(m.technique).toBe('EISPOT');
    expect(m.rows).toBe(72);
    expect(channel(m, 'frequency_Hz')[0]).toBe(200015.6);
    expect(last(channel(m, 'frequency_Hz'))).toBe(0.0158898);
    expect(channel(m, 'z_real_ohm')[0]).toBe(825.8584);
    expect(last(channel(m, 'z_imag_ohm'))).toBe(-6635.557);
    expect(m.metadata.instrument).toContain('REF3000-34128');
    expect(m.metadata.serialNumber).toBe('34128');
    expect(m.metadata.area_m2).toBeCloseTo(1e-4, 12);
    expect(m.metadata.extra.PSTAT).toBe('REF3000-34128');
    expect(m.original.map((c) => c.name)).toEqual([
      'Pt',
      'Time',
      'Freq',
      'Zreal',
      'Zimag',
      'Zsig',
      'Zmod',
      'Zphz',
      'Idc',
      'Vdc',
      'IERange',
    ]);
    expect(m.original.find((c) => c.name === 'Zphz')?.unit).toBe('°');
    // The OCV curve measured before the sweep is summarised, not mixed into the spectrum.
    expect(m.metadata.extra['OCVCURVE.points']).toBe('387');
  });

  it('chronoa_data.dta: columns T, Vf, Im; 10 samples every 30 s; first/last values; start time', () => {
    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__chronoa_data.dta');
    expect(m.technique).toBe('CHRONOA');
    expect(m.kind).toBe('potentiostatic');
    expect(m.rows).toBe(10);
    expect(column(m, 'T')[0]).toBe(0);
    expect(last(column(m, 'T'))).toBe(270);
    expect(channel(m, 'voltage_V')[0]).toBeCloseTo(-5.4e-4, 12);
    expect(last(channel(m, 'voltage_V'))).toBeCloseTo(0.4, 12);
    expect(last(channel(m, 'current_A'))).toBeCloseTo(3e-9, 18);
    expect(Number(m.metadata.extra.SAMPLETIME)).toBe(30);
    expect(m.metadata.startTime).toBe('2019-03-10T12:00:00');
  });

  it('chronoa_de_data.dta: decimal commas read as decimals (not the corrupt -50 / 40000 values)', () => {
    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__chronoa_de_data.dta');
    expect(last(column(m, 'T'))).toBe(270);
    expect(channel(m, 'voltage_V')[0]).toBeCloseTo(-5e-4, 12);
    expect(last(channel(m, 'voltage_V'))).toBeCloseTo(0.4, 12);
    expect(channel(m, 'current_A')[0]).toBeCloseTo(-2e-8, 18);
    expect(last(channel(m, 'current_A'))).toBeCloseTo(3e-9, 18);
    expect(column(m, 'T')[3]).toBeCloseTo(90.0001, 9);
  });

  it('cv_data.dta: header values, 5 curves → cycle channel, curve 1 and curve 5 values', () => {
    const bytes = readShared('gamry_dta_edited/gamryparser__cv_data.dta');
    const file = parseGamryFile(bytes, 'cv_data.dta');
    expect(file.header.DATE).toBe('3/6/2019');
    expect(file.header.CHECKPSTAT).toBe('potentiostat-id');
    expect(Number(file.header.CHECKPOTEN)).toBe(0.5);
    expect(Number(file.header.CHECKQUANT)).toBe(1.2345);
    expect(Number(file.header.CHECKIQUANT)).toBe(5);
    expect(Number(file.header.CHECKSELECTOR)).toBe(0);
    expect(file.header.CHECKTOGGLE).toBe('F');
    expect(file.header.CHECK2PARAM).toBe('T');
    expect(Number(file.header['CHECK2PARAM.start'])).toBe(300);
    expect(Number(file.header['CHECK2PARAM.finish'])).toBe(0.5);
    expect(Number(file.header.VLIMIT1)).toBe(0.1);
    expect(Number(file.header.VLIMIT2)).toBe(0.9);
    expect(Number(file.header.SCANRATE)).toBe(1.23456);
    expect(file.tables.map((t) => t.name)).toEqual(['CURVE1', 'CURVE2', 'CURVE3', 'CURVE4', 'CURVE5']);

    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__cv_data.dta');
    expect(m.kind).toBe('voltammetry');
    const cycle = channel(m, 'cycle');
    expect(new Set(cycle)).toEqual(new Set([1, 2, 3, 4, 5]));
    const t = column(m, 'T');
    const vf = channel(m, 'voltage_V');
    const firstCurve = [...cycle.keys()].filter((i) => cycle[i] === 1);
    expect(t[firstCurve[0]!]).toBe(0.1);
    expect(t[firstCurve[firstCurve.length - 1]!]).toBe(1.0);
    expect(vf[firstCurve[firstCurve.length - 1]!]).toBe(0.5);
    expect(last(column(m, 'Pt'))).toBe(49);
    expect(last(t)).toBe(601.1);
    expect(last(vf)).toBe(0.889001);
    expect(last(channel(m, 'current_A'))).toBeCloseTo(2.62272e-7, 18);
    expect(last(column(m, 'Sig'))).toBeCloseTo(0.89, 12);
    expect(last(column(m, 'IERange'))).toBe(5);
  });

  it('eispot_data_curveaborted.dta: one curve of 5 points × 10 data columns, with an abort warning', () => {
    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__eispot_data_curveaborted.dta');
    expect(m.rows).toBe(5);
    expect(m.original.filter((c) => c.name !== 'Pt')).toHaveLength(10);
    expect(m.warnings.join(' ')).toMatch(/aborted/);
  });

  it('ocp_data.dta: CORPOT, 21 × (T, Vf), first/last values and absolute time of the first point', () => {
    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__ocp_data.dta');
    expect(m.technique).toBe('CORPOT');
    expect(m.kind).toBe('ocv');
    expect(m.rows).toBe(21);
    expect(column(m, 'T')[0]).toBe(5.00833);
    expect(last(column(m, 'T'))).toBe(105.175);
    expect(channel(m, 'voltage_V')[0]).toBe(0.0205436);
    expect(last(channel(m, 'voltage_V'))).toBe(0.0345678);
    // gamry-parser to_timestamp: 2020-02-10 17:18:05.008330 for T[0].
    expect(
      Math.abs(Date.parse(`${m.metadata.startTime}Z`) - Date.parse('2020-02-10T17:18:05.008330Z')),
    ).toBeLessThan(1);
    // Temp is -327.67 °C (no thermocouple): not a temperature channel.
    expect(m.channels.temperature_C).toBeUndefined();
    // Time is seconds from the first point.
    expect(channel(m, 'time_s')[0]).toBe(0);
    expect(last(channel(m, 'time_s'))).toBeCloseTo(105.175 - 5.00833, 9);
  });

  it('ocvcurve_data.dta: OCVCURVE kept apart from the CV; first/last values and EOC', () => {
    const file = parseGamryFile(
      readShared('gamry_dta_edited/gamryparser__ocvcurve_data.dta'),
      'ocvcurve_data.dta',
    );
    const ocv = file.tables.find((t) => t.name === 'OCVCURVE')!;
    const t = ocv.columns.find((c) => c.name === 'T')!.values as Float64Array;
    const vf = ocv.columns.find((c) => c.name === 'Vf')!.values as Float64Array;
    expect(t[0]).toBe(0.258333);
    expect(last(t)).toBe(10.3333);
    expect(last(vf)).toBeCloseTo(0.283437, 9);
    expect(Number(file.header.EOC)).toBe(0.2834373);
    const m = parse('gamry-dta', 'gamry_dta_edited/gamryparser__ocvcurve_data.dta');
    expect(m.technique).toBe('CV');
    expect(m.metadata.extra['OCVCURVE.points']).toBe('40');
    expect(column(m, 'Pt')[0]).toBe(0);
  });
});

describe('ZPlot / Z60W files', () => {
  it('Circuit3_EIS_1.z: 53 points from 150 kHz to 1 Hz (impedance.py Lin-KK test set)', () => {
    const m = parse('zplot-z', 'zplot_z/impedance_py__Circuit3_EIS_1.z');
    expect(m.rows).toBe(53);
    expect(channel(m, 'frequency_Hz')[0]).toBe(150000);
    expect(last(channel(m, 'frequency_Hz'))).toBe(1);
    expect(m.metadata.softwareVersion).toBe('ZPlot 3.2c');
  });

  it('exampleDataZPlot.z: warns that the header announced 56 points but the sweep holds 21', () => {
    const m = parse('zplot-z', 'zplot_z/exampleDataZPlot.z');
    expect(m.warnings.join(' ')).toMatch(/56 points .* 21/);
    expect(m.metadata.startTime).toBe('2018-10-12T11:04:34');
  });
});

describe('impedance.py plain CSV and Pine AfterMath CSV', () => {
  it('exampleData.csv: 66 points, 57 of them capacitive (Im Z < 0) as impedance.py documents', () => {
    const m = parse('impedance-csv', 'impedance_py_csv/exampleData.csv');
    expect(m.rows).toBe(66);
    expect(channel(m, 'z_imag_ohm').filter((v) => v < 0).length).toBe(57);
  });

  it('aftermath1.csv: every row of Segment, Potential (V), Current (A) read as written', () => {
    const path = 'pine_aftermath_csv/mda__aftermath1.csv';
    const m = parse('pine-aftermath-csv', path);
    const rows = readFileSync(sharedFile(path), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(',').map(Number));
    expect(m.rows).toBe(rows.length);
    expect(channel(m, 'voltage_V')[0]).toBe(rows[0]![1]);
    expect(last(channel(m, 'current_A'))).toBe(rows[rows.length - 1]![2]);
    expect(last(channel(m, 'half_cycle'))).toBe(rows[rows.length - 1]![0]);
    expect(m.original.map((c) => `${c.name} (${c.unit})`)).toEqual([
      'Segment ()',
      'Potential (V)',
      'Current (A)',
    ]);
  });
});

describe('Zahner .ism', () => {
  it('CATALOGUE header facts: sample counts, frequency ranges and first samples', () => {
    const facts: [string, number, number, number, number, number, number][] = [
      // file, N, fmin, fmax, f[0], |Z|[0], phase[0] (degrees)
      ['zahner__000_mvdc.ism', 38, 100, 5e5, 100, 8636.95, -1.063],
      ['zahner__500uR_measurement_pro.ism', 250, 1, 1e6, 1028.7, 0.000512965, 0.6037],
      ['zahner__rc-data.ism', 75, 0.2, 1e5, 1049.3, 1.03151e6, -88.39],
      ['zahner__short_circuit_measurement_pro.ism', 332, 1, 1e6, 1036.8, 6.29282e-6, 70.9],
    ];
    for (const [file, n, fmin, fmax, f0, z0, phase0] of facts) {
      const spectrum = decodeIsm(readShared(`zahner_ism/${file}`), file);
      expect(spectrum.frequency_Hz.length).toBe(n);
      expect(Math.min(...spectrum.frequency_Hz)).toBeCloseTo(fmin, 9);
      expect(Math.max(...spectrum.frequency_Hz)).toBeCloseTo(fmax, 3);
      expect(spectrum.frequency_Hz[0]).toBeCloseTo(f0, 6);
      expect(Math.abs(spectrum.z_mod_ohm[0]! / z0 - 1)).toBeLessThan(1e-5);
      expect((spectrum.phase_rad[0]! * 180) / Math.PI).toBeCloseTo(phase0, phase0 === 70.9 ? 1 : 2);
    }
  });

  it('measurement is the non-overlapping range between the extreme frequencies (as Zahner Analysis returns)', () => {
    const m = parse('zahner-ism', 'zahner_ism/zahner__rc-data.ism');
    const f = channel(m, 'frequency_Hz');
    expect(Math.max(...f)).toBe(1e5);
    expect(Math.min(...f)).toBeCloseTo(0.2, 12);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeLessThan(f[i - 1]!);
    expect(m.warnings.join(' ')).toMatch(/overlap/);
    expect(m.metadata.temperature_C).toBeCloseTo(23.8, 9);
    expect(m.metadata.startTime?.startsWith('2024-07-16')).toBe(true);
  });

  it("rc-data.ism agrees with Zahner Analysis' fit R0 ∥ C0 (mean |Z| error 0.078 %, phase 0.057°)", () => {
    const fit = JSON.parse(
      readFileSync(
        sharedFile('_reference/zahner/Examples__BasicIntroduction__fit_results__fit_result.json'),
        'utf8',
      ),
    ) as { model: { R0: { R: { value: number } }; C0: { C: { value: number } } } };
    const r = fit.model.R0.R.value;
    const c = fit.model.C0.C.value;
    const m = parse('zahner-ism', 'zahner_ism/zahner__rc-data.ism');
    const f = channel(m, 'frequency_Hz');
    const re = channel(m, 'z_real_ohm');
    const im = channel(m, 'z_imag_ohm');
    let modError = 0;
    let phaseError = 0;
    for (let i = 0; i < m.rows; i++) {
      // Z = R / (1 + jωRC)
      const wrc = 2 * Math.PI * f[i]! * r * c;
      const modelRe = r / (1 + wrc * wrc);
      const modelIm = (-r * wrc) / (1 + wrc * wrc);
      modError += Math.abs(Math.hypot(re[i]!, im[i]!) / Math.hypot(modelRe, modelIm) - 1);
      phaseError += Math.abs(Math.atan2(im[i]!, re[i]!) - Math.atan2(modelIm, modelRe)) * (180 / Math.PI);
    }
    expect((modError / m.rows) * 100).toBeLessThan(0.5);
    expect(phaseError / m.rows).toBeLessThan(0.5);
    // Capacitive: Im(Z) < 0 everywhere, and the low-frequency plateau is R.
    expect(im.every((v) => v < 0)).toBe(true);
    expect(Math.abs(channel(m, 'z_mod_ohm')[m.rows - 1]! / r - 1)).toBeLessThan(0.02);
  });
});

describe('every potentiostat file in ../shared/data is claimed by the right reader', () => {
  const expected = POTENTIOSTAT_FOLDERS;
  const rows = readCatalogue().filter((row) => row.local_path.split('/')[0]! in expected);
  it('the catalogue lists them', () => {
    expect(rows.length).toBe(20);
  });
  for (const row of rows) {
    it(`${row.local_path} → ${expected[row.local_path.split('/')[0]!]}`, () => {
      const bytes = readShared(row.local_path);
      expect(bytes.length).toBe(Number(row.size_bytes));
      const detected = detectFormat(bytes.subarray(0, 65536), basename(row.local_path));
      expect(detected?.reader.id).toBe(expected[row.local_path.split('/')[0]!]);
      const m = detected!.reader.parse(bytes, basename(row.local_path));
      expect(m.rows).toBeGreaterThan(0);
      for (const values of Object.values(m.channels)) {
        expect(values!.length).toBe(m.rows);
        expect(values!.every(Number.isFinite)).toBe(true);
      }
      for (const original of m.original) expect(original.values.length).toBe(m.rows);
      const time = m.channels.time_s;
      if (time) for (let i = 1; i < time.length; i++) expect(time[i]!).toBeGreaterThanOrEqual(time[i - 1]!);
    });
  }
});
