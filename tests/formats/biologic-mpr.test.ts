/**
 * BioLogic .mpr on the real files, checked against independent references: cellpy's golden raw frame
 * (every raw column, every row), cheminfo's biologic-converter on the files it can read, CATALOGUE.tsv
 * row counts, and the EC-Lab/BT-Lab .mpl logs written beside two of the runs (metadata in plain text).
 */
import { readFileSync } from 'node:fs';
import { parseMPR } from 'biologic-converter';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { deriveEcLabChannels } from '../../app/formats/biologic/channels';
import { readHeaderLines } from '../../app/formats/biologic/header';
import { biologicMplReader } from '../../app/formats/biologic/mpl';
import { biologicMprReader } from '../../app/formats/biologic/mpr';
import { detectFormat, parseInstrumentFile } from '../../app/formats/index';
import type { Measurement } from '../../app/measurement';
import { readShared, sharedFile } from '../support/paths';

function parseMpr(name: string): Measurement {
  return parseInstrumentFile(readShared(`biologic_mpr/${name}`), name);
}

function column(m: Measurement, name: string): Float64Array {
  const found = m.original.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name} in ${m.fileName}`);
  return found.values as Float64Array;
}

describe('cellpy golden frame (loader_biologics_mpr, biol.mpr)', () => {
  /** cellpy's raw column → the EC-Lab column it was read from (cellpy renames; values must agree). */
  const MAPPING: [string, string][] = [
    ['test_time', 'time/s'],
    ['voltage', 'Ewe/V'],
    ['current', 'I/mA'],
    ['control', 'control/mA'],
    ['QChargeDischarge', 'Q charge/discharge/mA.h'],
    ['QminusQnull', '(Q-Qo)/mA.h'],
    ['dQ', 'dq/mA.h'],
    ['charge_energy', 'Energy charge/W.h'],
    ['discharge_energy', 'Energy discharge/W.h'],
    ['capacitance_charge', 'Capacitance charge/µF'],
    ['capacitance_discharge', 'Capacitance discharge/µF'],
    ['Irange', 'I Range'],
    ['Ns', 'Ns'],
    ['mode', 'mode'],
    ['ox_red', 'ox/red'],
    ['error', 'error'],
    ['control_changes', 'control changes'],
    ['Ns_changes', 'Ns changes'],
    ['counter_inc', 'counter inc.'],
    ['frequency', 'freq/Hz'],
    ['amplitude', '|Z|/Ohm'],
    ['aci_phase_angle', 'Phase(Z)/deg'],
    ['avEce', '<Ece>/V'],
    ['absEce', '|Ece|/V'],
    ['ReZce', 'Re(Zce)/Ohm'],
    ['neg_ImZce', '-Im(Zce)/Ohm'],
    ['absZce', '|Zce|/Ohm'],
    ['ref_aci_phase_angle', 'Phase(Zce)/deg'],
    ['ReDiffZ', 'Re(Zwe-ce)/Ohm'],
    ['neg_ImZwe_ce', '-Im(Zwe-ce)/Ohm'],
    ['absDiffZ', '|Zwe-ce|/Ohm'],
    ['phaseDiffZ', 'Phase(Zwe-ce)/deg'],
    ['half_cycle', 'half cycle'],
    ['z_cycle', 'z cycle'],
  ];

  it('has the golden row count and every raw column equal, row by row', async () => {
    const metrics = JSON.parse(
      readFileSync(sharedFile('_reference/cellpy_goldens/loader_biologics_mpr/metrics.json'), 'utf8'),
    ) as { n_rows: number };
    const file = readFileSync(sharedFile('_reference/cellpy_goldens/loader_biologics_mpr/raw.parquet'));
    const golden = await parquetReadObjects({
      file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength),
      columns: MAPPING.map(([name]) => name),
    });
    const m = parseMpr('cellpy__biol.mpr');
    expect(m.rows).toBe(metrics.n_rows);
    expect(golden.length).toBe(metrics.n_rows);
    for (const [cellpyName, ecLabName] of MAPPING) {
      const ours = column(m, ecLabName);
      for (let i = 0; i < m.rows; i++) {
        const expected = Number(golden[i]![cellpyName]);
        if (Math.abs(ours[i]! - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
          expect.fail(`${ecLabName} (cellpy ${cellpyName}) row ${i}: ${ours[i]} vs ${expected}`);
        }
      }
    }
    // cellpy: raw_units current mA → our current_A is I/mA × 1e-3.
    expect(m.channels.current_A![m.rows - 1]).toBeCloseTo(Number(golden[m.rows - 1]!.current) * 1e-3, 15);
    expect(m.technique).toBe('MB');
  });

  it('keeps raw columns in the width the file stores them; canonical channels stay Float64 in SI', () => {
    const m = parseMpr('cellpy__biol.mpr');
    const raw = (name: string) => m.original.find((c) => c.name === name)?.values;
    expect(raw('mode')).toBeInstanceOf(Uint8Array); // a 2-bit field of the flags byte
    expect(raw('I Range')).toBeInstanceOf(Uint16Array);
    expect(raw('z cycle')).toBeInstanceOf(Uint32Array);
    expect(raw('I/mA')).toBeInstanceOf(Float32Array);
    // A column a channel shares unchanged (half cycle → half_cycle) is decoded once, as Float64.
    expect(raw('half cycle')).toBe(m.channels.half_cycle);
    for (const values of Object.values(m.channels)) expect(values).toBeInstanceOf(Float64Array);
  });
});

describe('biologic-converter (cheminfo) on the files it can read', () => {
  const LABELS: Record<string, string> = {
    time: 'time/s',
    Ewe: 'Ewe/V',
    'control_V/I': 'control/V/mA',
    dq: 'dq/mA.h',
    '(Q-Qo)': '(Q-Qo)/mA.h',
    'Q charge/discharge': 'Q charge/discharge/mA.h',
    'half cycle': 'half cycle',
    'I Range': 'I Range',
    Ns: 'Ns',
    P: 'P/W',
    mode: 'mode',
    'ox/red': 'ox/red',
    error: 'error',
    'control changes': 'control changes',
    'Ns changes': 'Ns changes',
    'counter inc.': 'counter inc.',
  };

  it.each([
    'aurora__250116_kigr_gen6_01_02_GCPL_CD8.mpr',
    'jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr',
  ])('%s: every column agrees', (name) => {
    const bytes = readShared(`biologic_mpr/${name}`);
    const theirs = parseMPR(bytes);
    const ours = parseMpr(name);
    expect(theirs.settings.variables.technique).toBe(ours.technique);
    let compared = 0;
    for (const variable of Object.values(theirs.data.variables)) {
      const ecLabName = LABELS[variable.label];
      expect(ecLabName, `label ${variable.label}`).toBeDefined();
      const expected = variable.data as Float64Array;
      const actual = column(ours, ecLabName!);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < actual.length; i++) {
        if (actual[i] !== expected[i]) expect.fail(`${ecLabName} row ${i}: ${actual[i]} vs ${expected[i]}`);
      }
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });
});

describe('CATALOGUE.tsv expectations', () => {
  it('navani jdb11 GCPL: 46102 rows, GCPL, active mass 7000 mg', () => {
    const m = parseMpr('jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
    expect(m.rows).toBe(46102);
    expect(m.technique).toBe('GCPL');
    expect(m.kind).toBe('galvanostatic');
    expect(m.metadata.mass_kg).toBeCloseTo(7000e-6, 9);
    for (const name of [
      'dq/mA.h',
      'Q charge/discharge/mA.h',
      '(Q-Qo)/mA.h',
      'time/s',
      'Ns',
      'P/W',
      'control/V/mA',
      'I Range',
    ]) {
      expect(ours(m, name), name).toBe(true);
    }
    // Channel C09 in the file name.
    expect(m.metadata.channel).toBe('9');
  });

  it('EC-Lab 11.50 files (navani) have rows', () => {
    for (const name of [
      'navani__00_test_01_OCV_C01.mpr',
      'navani__00_test_02_MB_C01.mpr',
      'navani__00_test_02_OCV_C01.mpr',
      'navani__00_test_04_MB_C01.mpr',
    ]) {
      const m = parseMpr(name);
      expect(m.rows, name).toBeGreaterThan(0);
      expect(m.technique, name).toBe(name.includes('_MB_') ? 'MB' : 'OCV');
      expect(m.metadata.softwareVersion).toBe('EC-Lab 11.50');
    }
  });

  it('aurora test_C01: 18001 rows and a start time from the LOG module', () => {
    const m = parseMpr('aurora__test_C01.mpr');
    expect(m.rows).toBe(18001);
    expect(m.metadata.startTime).toMatch(/^2025-10-17T/);
  });

  it('aurora PEIS: frequency, Re(Z), Im(Z), voltage and current; metadata as in its .mpl log', () => {
    const m = parseMpr('aurora__PEIS.mpr');
    expect(m.technique).toBe('PEIS');
    expect(m.kind).toBe('eis');
    for (const channel of ['frequency_Hz', 'z_real_ohm', 'z_imag_ohm', 'voltage_V', 'current_A'] as const) {
      expect(m.channels[channel], channel).toBeDefined();
    }
    // −Im(Z) is stored; Elyte keeps Im(Z) negative for capacitive points.
    const negIm = column(m, '-Im(Z)/Ohm');
    expect(m.channels.z_imag_ohm![0]).toBe(-negIm[0]!);
    // PEIS.mpl: "Electrode surface area : 1.539 cm²", "Mass of active material : 9.325 mg".
    expect(m.metadata.area_m2).toBeCloseTo(1.539e-4, 9);
    expect(m.metadata.mass_kg).toBeCloseTo(9.325e-6, 11);
    expect(m.metadata.extra['Electrode material']).toBe('NMC811 || graphite');
  });

  it('BT-Lab GCPL agrees with its .mpl: start, channel, serial, software, mass, area', () => {
    const m = parseMpr('aurora__250116_kigr_gen6_01_02_GCPL_CD8.mpr');
    // .mpl: "Acquisition started on : 01/16/2025 14:05:54.213", "Run on channel : D8",
    // "Device : BCS-805 (SN 0709)", "BT-Lab for windows v1.79", "Mass of active material : 17.233 mg",
    // "Electrode surface area : 0.950 cm²".
    expect(m.metadata.startTime).toBe('2025-01-16T14:05:54.213');
    expect(m.metadata.channel).toBe('D8');
    expect(m.metadata.serialNumber).toBe('0709');
    expect(m.metadata.softwareVersion).toBe('BT-Lab 1.79');
    expect(m.metadata.mass_kg).toBeCloseTo(17.233e-6, 11);
    expect(m.metadata.area_m2).toBeCloseTo(0.95e-4, 9);
    expect(m.technique).toBe('GCPL');
  });
});

function ours(m: Measurement, name: string): boolean {
  return m.original.some((c) => c.name === name);
}

describe('.mpl logs', () => {
  it.each(['aurora__PEIS.mpl', 'aurora__250116_kigr_gen6_01_02_GCPL_CD8.mpl'])(
    '%s is refused, saying what it is',
    (name) => {
      const bytes = readShared(`biologic_mpl/${name}`);
      expect(detectFormat(bytes, name)?.reader.id).toBe('biologic-mpl');
      let error: unknown;
      try {
        biologicMplReader.parse(bytes, name);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ElyteError);
      expect((error as ElyteError).kind).toBe('unsupported');
      expect((error as ElyteError).message).toMatch(/log file \(\.mpl\).*no data points.*\.mpr/);
    },
  );
});

describe('layout checks', () => {
  it('refuses a data module whose rows do not fit, as truncated', () => {
    const bytes = readShared('biologic_mpr/navani__00_test_04_MB_C01.mpr').slice();
    // Row count at the start of the data module body (module at 6912, 65-byte header): claim one row more.
    const view = new DataView(bytes.buffer);
    const body = 6912 + 65;
    view.setUint32(body, view.getUint32(body, true) + 1, true);
    expect(() => biologicMprReader.parse(bytes, 'x.mpr')).toThrow(/truncated|rows/);
  });

  it('refuses NaN in a measured channel (damaged bytes) instead of passing it on', () => {
    const bytes = readShared('biologic_mpr/navani__00_test_01_OCV_C01.mpr').slice();
    // Rows start 1007 bytes into the data body: flags (1 byte), time (f8), Ewe (f4 at +9).
    const body = 6771 + 65;
    new DataView(bytes.buffer).setFloat32(body + 1007 + 9, Number.NaN, true);
    expect(() => biologicMprReader.parse(bytes, 'x.mpr')).toThrow(
      /"Ewe\/V" holds 1 values that are not numbers/,
    );
  });

  it('names an unknown column id instead of decoding garbage', () => {
    const bytes = readShared('biologic_mpr/navani__00_test_01_OCV_C01.mpr').slice();
    // OCV module ids are big-endian at body+5: (1, 3, 4, 6); make the last one 4095.
    const body = 6771 + 65;
    new DataView(bytes.buffer).setUint16(body + 5 + 6, 4095, false);
    expect(() => biologicMprReader.parse(bytes, 'x.mpr')).toThrow(/column id 4095/);
  });
});

describe('technique parameters (settings module)', () => {
  /** The parameter table of an EC-Lab/BT-Lab log or export, read as text ("Ns  0  1  2" rows). */
  function printedParameters(mplName: string): Record<string, string> {
    const text = new TextDecoder('windows-1252').decode(readShared(`biologic_mpl/${mplName}`));
    const extra = readHeaderLines(text.split(/\r?\n/)).metadata.extra;
    return Object.fromEntries(Object.entries(extra).filter(([key]) => key.startsWith('param ')));
  }

  /** Numbers to the printed precision (3 decimals), words and durations as text. */
  function sameValue(ours: string, printed: string): boolean {
    const a = Number(ours);
    const b = Number(printed);
    if (ours !== '' && printed !== '' && Number.isFinite(a) && Number.isFinite(b)) {
      return Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b));
    }
    return ours === printed;
  }

  it('BT-Lab GCPL: every parameter of every sequence equals the table in the run’s .mpl log', () => {
    const m = parseMpr('aurora__250116_kigr_gen6_01_02_GCPL_CD8.mpr');
    const printed = printedParameters('aurora__250116_kigr_gen6_01_02_GCPL_CD8.mpl');
    expect(Object.keys(printed).length).toBe(34); // Ns + the 33 fields of a BT-Lab GCPL sequence
    for (const [key, text] of Object.entries(printed)) {
      const ours = m.metadata.extra[key]?.split(' | ');
      const theirs = text.split(' | ');
      expect(ours, key).toHaveLength(4);
      theirs.forEach((value, i) => {
        expect(sameValue(ours![i]!, value), `${key}[${i}]: ${ours![i]} vs ${value}`).toBe(true);
      });
    }
    expect(m.metadata.extra['param Is']).toBe('0 | 130 | 130 | 0');
    expect(m.metadata.extra['param Set I/C']).toBe('I | C / N | C / N | I');
  });

  it('EC-Lab 11.32 GCPL (jdb11): ±88.796 µA between 2 and 3.8 V, as its name and its data say', () => {
    const m = parseMpr('jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
    expect(m.metadata.extra['param Is']).toBe('0 | -88.79601 | 88.79601 | -88.79601');
    expect(m.metadata.extra['param unit Is']).toBe('mA | µA | µA | µA');
    expect(m.metadata.extra['param EM (V)']).toBe('0 | 2 | 3.8 | 2');
    // The data module never goes past the limits the settings give.
    const voltage = m.channels.voltage_V!;
    expect(Math.min(...voltage)).toBeGreaterThan(2 - 0.01);
    expect(Math.max(...voltage)).toBeLessThan(3.8 + 0.01);
  });

  it('PEIS: 10 kHz to 10 mHz at 10 points a decade, as the spectra in the data module', () => {
    const m = parseMpr('aurora__PEIS.mpr');
    const p = m.metadata.extra;
    expect([p['param fi'], p['param unit fi'], p['param ff'], p['param unit ff']]).toEqual([
      '10',
      'kHz',
      '10',
      'mHz',
    ]);
    expect([p['param Nd'], p['param Points'], p['param spacing']]).toEqual([
      '10',
      'per decade',
      'Logarithmic',
    ]);
    const f = m.channels.frequency_Hz!;
    expect(f[0]! / 1e4).toBeCloseTo(1, 3);
    expect(f[f.length - 1]! / 1e-2).toBeCloseTo(1, 2);
    // Six decades at 10 points each, both ends included: 61 points per sweep.
    expect(m.rows % 61).toBe(0);
  });

  it('OCV: a 5 h rest recorded every second gives the 18001 rows of the data module', () => {
    const m = parseMpr('aurora__test_C01.mpr');
    expect(m.metadata.extra['param tR (h:m:s)']).toBe('5:00:0.0000');
    expect(m.metadata.extra['param dtR (s)']).toBe('1');
    expect(m.rows).toBe(5 * 3600 + 1);
  });
});

describe('channels EC-Lab computes at export, computed for .mpr', () => {
  it('GCPL current from dq/Δt equals the applied set-point during constant current', () => {
    const m = parseMpr('jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr');
    const current = m.channels.current_A!;
    // control/V/mA is the applied current in mA while galvanostatic (mode 1).
    const setPoint = Float64Array.from(column(m, 'control/V/mA'), (mA) => mA * 1e-3);
    const mode = column(m, 'mode');
    const sequenceChanged = column(m, 'Ns changes');
    let compared = 0;
    for (let i = 1; i < m.rows; i++) {
      // The first point of a sequence averages over the switch from the previous one.
      if (mode[i] !== 1 || mode[i - 1] !== 1 || sequenceChanged[i] === 1) continue;
      // Two independent records: the charge increments and the current the instrument was told to apply.
      expect(Math.abs(current[i]! - setPoint[i]!) / Math.abs(setPoint[i]!), `row ${i}`).toBeLessThan(0.01);
      compared++;
    }
    expect(compared).toBeGreaterThan(40000);
    expect(Math.abs(setPoint.find((v) => v !== 0)!)).toBeCloseTo(88.79601e-6, 10);
  });

  it('derives current and Re/Im(Z) only where the file has none, and nothing the file already holds', () => {
    const f64 = (...v: number[]) => Float64Array.from(v);
    const original = [
      { name: 'mode', unit: '', values: Uint8Array.from([3, 1, 1, 2]) },
      { name: 'time/s', unit: 's', values: f64(0, 10, 20, 20) },
      { name: 'dq/mA.h', unit: 'mA.h', values: f64(0, 0.01, -0.02, 0.5) },
      { name: 'half cycle', unit: '', values: Uint32Array.from([0, 1, 2, 3]) },
    ];
    const channels: Measurement['channels'] = {
      voltage_V: f64(3, 3.5, 3.4, 4.2),
      z_mod_ohm: f64(2, 2, 2, 2),
      z_phase_deg: f64(0, -90, -30, 45),
    };
    deriveEcLabChannels(channels, original);
    // 0.01 mA·h in 10 s = 3.6 mA; −0.02 mA·h in 10 s = −7.2 mA; Δt = 0 gives 0, as EC-Lab writes it.
    [0, 0.0036, -0.0072, 0].forEach((v, i) => {
      expect(channels.current_A![i]!, `[${i}]`).toBeCloseTo(v, 12);
    });
    expect(channels.z_real_ohm![1]).toBeCloseTo(0, 12);
    expect(channels.z_imag_ohm![1]).toBeCloseTo(-2, 12);
    expect(channels.z_real_ohm![2]).toBeCloseTo(Math.sqrt(3), 12);
    expect(channels.z_imag_ohm![2]).toBeCloseTo(-1, 12);
    // The export's other computed columns are not repeated (the file's columns hold them).
    expect([channels.cycle, channels.control_A, channels.power_W]).toEqual([undefined, undefined, undefined]);
    // A file with its own current keeps it.
    const own = { current_A: f64(1, 1, 1, 1) };
    deriveEcLabChannels(own, original);
    expect(Array.from(own.current_A)).toEqual([1, 1, 1, 1]);
  });
});
