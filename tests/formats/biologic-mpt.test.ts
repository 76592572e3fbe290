/**
 * BioLogic .mpt / header-less .txt on the real files, checked against independent references:
 * ixdat's first/last value and unit of every column, impedance.py's full f/Z arrays, CATALOGUE.tsv
 * row counts and header facts; plus decimal-comma and Windows-1252 variants with documented truth.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { biologicMptReader, biologicTxtReader } from '../../app/formats/biologic/mpt';
import { detectFormat, parseInstrumentFile } from '../../app/formats/index';
import type { Measurement } from '../../app/measurement';
import { readCatalogue, readShared, sharedFile } from '../support/paths';

type Expected = Record<string, [string, [number, number] | null]>;
const ixdat = JSON.parse(
  readFileSync(sharedFile('_reference/ixdat_expected_first_last_values.json'), 'utf8'),
) as {
  files: Record<string, Expected>;
};
const impedance = JSON.parse(
  readFileSync(sharedFile('_reference/impedance.py/expected_f_Z_from_test_preprocessing.json'), 'utf8'),
) as { biologic: { n: number; f_Hz: number[]; Z_real_ohm: number[]; Z_imag_ohm: number[] } };

function parseMpt(path: string): Measurement {
  return parseInstrumentFile(readShared(path), path.split('/').pop()!);
}

/** ixdat's key (its folder/name) → our copy in biologic_mpt (prefixed "ixdat__"). */
function localPath(ixdatKey: string): string {
  return `biologic_mpt/ixdat__${ixdatKey.split('/').pop()}`;
}

function relClose(actual: number, expected: number, rel = 1e-12): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
}

const ixdatFiles = Object.entries(ixdat.files).filter(([key]) => {
  // ixdat's list includes one file we do not hold (01_02_CVA of the loop dataset).
  try {
    sharedFile(localPath(key));
    return true;
  } catch {
    return false;
  }
});

describe('ixdat: every column, unit, first and last value', () => {
  it('covers the ixdat files we hold', () => {
    expect(ixdatFiles.length).toBeGreaterThanOrEqual(9);
  });

  it.each(ixdatFiles)('%s', (key, expected) => {
    const path = localPath(key);
    const name = path.split('/').pop()!;
    if (Object.values(expected).every(([, values]) => values === null)) {
      // ZIR: the columns exist but there is no data: refused, saying so.
      expect(() => parseMpt(path)).toThrow(/no data rows/);
      return;
    }
    const m = parseMpt(path);
    expect(m.format).toBe('biologic-mpt');
    for (const [column, [unit, values]] of Object.entries(expected)) {
      // Columns ixdat adds itself ("Ns=0", "loop_number") are not in the file.
      if (column.includes('=') || column === 'loop_number') continue;
      const original = m.original.find((c) => c.name === column);
      expect(original, `${name}: column ${column}`).toBeDefined();
      expect(original!.unit, `${name}: unit of ${column}`).toBe(unit);
      const data = original!.values as Float64Array;
      relClose(data[0]!, values![0]);
      relClose(data[data.length - 1]!, values![1]);
    }
  });
});

describe('impedance.py: exampleDataBioLogic.mpt full spectrum', () => {
  it('gives the 43 frequencies and Z = Re − j·(−Im) with capacitive Im(Z) negative', () => {
    const m = parseMpt('biologic_mpt/exampleDataBioLogic.mpt');
    const ref = impedance.biologic;
    expect(m.technique).toBe('PEIS');
    expect(m.kind).toBe('eis');
    expect(m.rows).toBe(ref.n);
    const f = m.channels.frequency_Hz!;
    const re = m.channels.z_real_ohm!;
    const im = m.channels.z_imag_ohm!;
    for (let i = 0; i < ref.n; i++) {
      relClose(f[i]!, ref.f_Hz[i]!, 1e-9);
      relClose(re[i]!, ref.Z_real_ohm[i]!, 1e-9);
      relClose(im[i]!, ref.Z_imag_ohm[i]!, 1e-9);
    }
    expect(im[0]).toBeLessThan(0);
  });

  it('refuses the file whose freq/Hz header was removed, naming the column', () => {
    const bytes = readShared('biologic_mpt/exampleDataBioLogic_MissingFreq.mpt');
    let error: unknown;
    try {
      parseInstrumentFile(bytes, 'exampleDataBioLogic_MissingFreq.mpt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ElyteError);
    expect((error as ElyteError).kind).toBe('malformed');
    expect((error as ElyteError).message).toContain('"freq/Hz"');
    expect((error as ElyteError).message).toContain('exampleDataBioLogic_MissingFreq.mpt');
  });
});

describe('CATALOGUE.tsv facts', () => {
  const rows = readCatalogue().filter((row) => row.local_path.startsWith('biologic_mpt/'));

  it.each(rows.map((row) => [row.local_path, row] as const))('%s row count', (path, row) => {
    const derived = /(\d+) data rows/.exec(row.notes);
    const stated = /must give n=(\d+) points/.exec(row.source_test_expectations);
    const expected = Number((derived ?? stated)?.[1] ?? Number.NaN);
    if (/must FAIL/.test(row.source_test_expectations)) {
      expect(() => parseMpt(path)).toThrow(ElyteError);
      return;
    }
    if (Number.isNaN(expected)) return;
    if (expected === 0) {
      expect(() => parseMpt(path)).toThrow(/no data rows/);
      return;
    }
    expect(parseMpt(path).rows).toBe(expected);
  });

  it('reads the header: start time, device, software, channel, technique (exampleDataBioLogic)', () => {
    const m = parseMpt('biologic_mpt/exampleDataBioLogic.mpt');
    // Header: "Acquisition started on : 02/04/2018 10:02:46", "Device : SP-150 (SN 10791079)",
    // "EC-Lab for windows v11.18 (software)", "Run on channel : 1 (SN 30924)".
    expect(m.metadata.startTime).toBe('2018-02-04T10:02:46');
    expect(m.metadata.instrument).toBe('BioLogic SP-150');
    expect(m.metadata.serialNumber).toBe('10791079');
    expect(m.metadata.softwareVersion).toBe('EC-Lab 11.18');
    expect(m.metadata.channel).toBe('1');
    // 0.001 cm² is EC-Lab's "not filled in" value: not reported as an area.
    expect(m.metadata.area_m2).toBeUndefined();
    expect(m.metadata.extra['Electrode surface area']).toBe('0.001 cm²');
    expect(m.metadata.extra['param fi']).toBe('1.000');
  });

  it('names each technique from its header line', () => {
    const cases: [string, string, string][] = [
      ['biologic_mpt/ixdat__dataset_with_loop_01_01_OCV_DUSB0_C01.mpt', 'OCV', 'ocv'],
      ['biologic_mpt/ixdat__dataset_with_loop_01_03_CP_DUSB0_C01.mpt', 'CP', 'galvanostatic'],
      ['biologic_mpt/ixdat__multiple_techniques_dataset_01_02_CVA_C01.mpt', 'CVA', 'voltammetry'],
      ['biologic_mpt/ixdat__multiple_techniques_dataset_01_05_CA_C01.mpt', 'CA', 'potentiostatic'],
      ['biologic_mpt/ixdat__multiple_techniques_dataset_01_01_PEIS_C01.mpt', 'PEIS', 'eis'],
    ];
    for (const [path, technique, kind] of cases) {
      const m = parseMpt(path);
      expect(m.technique, path).toBe(technique);
      expect(m.kind, path).toBe(kind);
    }
  });

  it('keeps Windows-1252 units (µF) and converts currents to A', () => {
    const m = parseMpt('biologic_mpt/ixdat__multiple_techniques_dataset_01_03_CP_C01.mpt');
    const capacitance = m.original.find((c) => c.name === 'Capacitance charge/µF');
    expect(capacitance?.unit).toBe('µF');
    // ixdat: 'I/mA' first=1.2781935e-06 mA.
    relClose(m.channels.current_A![0]!, 1.2781935e-9);
    // ixdat: 'Q charge/discharge/mA.h' last=-5.552948449702752e-06 mA·h.
    relClose(m.channels.capacity_Ah![m.rows - 1]!, -5.552948449702752e-9);
    // ixdat: '(Q-Qo)/C' last=5.0315875e-06 C.
    relClose(m.channels.charge_C![m.rows - 1]!, 5.0315875e-6);
  });

  it('makes time start at zero and keeps the original time column', () => {
    const m = parseMpt('biologic_mpt/ixdat__multiple_techniques_dataset_01_05_CA_C01.mpt');
    expect(m.channels.time_s![0]).toBe(0);
    // ixdat: 'time/s' first=600.5809868421056, last=629.5807861095091.
    relClose(m.channels.time_s![m.rows - 1]!, 629.5807861095091 - 600.5809868421056, 1e-12);
    relClose((m.original.find((c) => c.name === 'time/s')!.values as Float64Array)[0]!, 600.5809868421056);
  });
});

describe('variants with documented truth', () => {
  const path = 'biologic_mpt/ixdat__multiple_techniques_dataset_01_05_CA_C01.mpt';

  it('reads decimal commas the same as decimal points', () => {
    const bytes = readShared(path);
    const text = new TextDecoder('windows-1252').decode(bytes);
    const lines = text.split('\r\n');
    const headerLines = Number(/Nb header lines : (\d+)/.exec(text)![1]);
    // Truth: the same file with every decimal point in the data written as a comma (as in a German export).
    const comma = [
      ...lines.slice(0, headerLines),
      ...lines.slice(headerLines).map((l) => l.replaceAll('.', ',')),
    ];
    const commaBytes = Uint8Array.from(comma.join('\r\n'), (c) => c.charCodeAt(0) & 0xff);
    const a = parseInstrumentFile(bytes, 'a.mpt');
    const b = parseInstrumentFile(commaBytes, 'b.mpt');
    expect(b.rows).toBe(a.rows);
    for (let c = 0; c < a.original.length; c++) {
      expect(b.original[c]!.values).toEqual(a.original[c]!.values);
    }
  });

  it('reads a UTF-8 copy the same as the Windows-1252 original', () => {
    const bytes = readShared(path);
    const utf8 = new TextEncoder().encode(new TextDecoder('windows-1252').decode(bytes));
    const a = parseInstrumentFile(bytes, 'a.mpt');
    const b = parseInstrumentFile(utf8, 'b.mpt');
    expect(b.original.map((c) => c.name)).toEqual(a.original.map((c) => c.name));
    expect(b.original.map((c) => c.unit)).toContain('µF');
    expect(b.channels.voltage_V).toEqual(a.channels.voltage_V);
  });

  it('keeps both columns when a name appears twice', () => {
    const file =
      'EC-Lab ASCII FILE\nNb header lines : 4\n\nEwe/V\tI/mA\tEwe/V\n1.0\t2.0\t3.0\n4.0\t5.0\t6.0\n';
    const m = biologicMptReader.parse(new TextEncoder().encode(file), 'dup.mpt');
    expect(m.original.map((c) => c.name)).toEqual(['Ewe/V', 'I/mA', 'Ewe/V']);
    expect(Array.from(m.original[2]!.values as Float64Array)).toEqual([3, 6]);
    // The first Ewe/V is the canonical voltage.
    expect(Array.from(m.channels.voltage_V!)).toEqual([1, 4]);
  });

  it('reads a column line with an empty name and one name too many (EC-Lab with Ewe-Ece), saying so', () => {
    // As EC-Lab 11.50 writes it with Ece recorded: "Rwe-ce/Ohm<TAB><TAB>Ewe-Ece/V" over rows of one
    // value fewer; the .mpr of such a run shows the rows hold the first names in order.
    const file =
      'EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\t\tI/mA\tEwe-Ece/V\n0\t1.5\t2\n1\t1.6\t3\n';
    const m = biologicMptReader.parse(new TextEncoder().encode(file), 'ece.mpt');
    expect(m.original.map((c) => c.name)).toEqual(['time/s', 'Ewe/V', 'I/mA']);
    expect(Array.from(m.channels.current_A!)).toEqual([0.002, 0.003]);
    expect(m.warnings.join(' ')).toMatch(/empty name/);
    expect(m.warnings.join(' ')).toMatch(/\("Ewe-Ece\/V"\) have no values/);
    // Without the empty name, a short first row is damage, not EC-Lab's quirk: refused as before.
    const short = 'EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\tI/mA\n0\t1.5\n1\t1.6\t3\n';
    expect(() => biologicMptReader.parse(new TextEncoder().encode(short), 'short.mpt')).toThrow(
      /line 5.*2 values but the header names 3 columns/,
    );
    // Rows as long as the names: nothing is dropped, no warning.
    const plain = 'EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\n0\t1.5\n';
    expect(biologicMptReader.parse(new TextEncoder().encode(plain), 'p.mpt').warnings).toEqual([]);
  });

  it('names each "vs." parameter row after the row it qualifies', () => {
    const m = parseMpt('biologic_mpt/ixdat__multiple_techniques_dataset_01_02_CVA_C01.mpt');
    expect(m.metadata.extra['param Ei (V) vs.']).toBe('Eoc | Eoc | Eoc');
    expect(m.metadata.extra['param E1 (V) vs.']).toBe('Ref | Ref | Ref');
    expect(m.metadata.extra['param vs.']).toBeUndefined();
  });

  it('refuses a data line with a non-number, naming the line and column', () => {
    const file = 'EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\n0\t1.0\n1\tx\n2\t3\n';
    expect(() => biologicMptReader.parse(new TextEncoder().encode(file), 'bad.mpt')).toThrow(
      /line 6.*column "Ewe\/V" holds "x"/,
    );
  });

  it('drops an incomplete last line of a truncated file with a warning', () => {
    const file = 'EC-Lab ASCII FILE\nNb header lines : 4\n\ntime/s\tEwe/V\tI/mA\n0\t1.0\t2\n1\t1.5\t2\n2\t1.';
    const m = biologicMptReader.parse(new TextEncoder().encode(file), 'cut.mpt');
    expect(m.rows).toBe(2);
    expect(m.warnings.join(' ')).toMatch(/truncated/);
  });
});

describe('header-less "Export as text" (.txt)', () => {
  it('is detected by its column names and read', () => {
    const bytes = readShared('biologic_txt_export/mda__biologic1.txt');
    expect(detectFormat(bytes, 'mda__biologic1.txt')?.reader.id).toBe('biologic-txt');
    const m = biologicTxtReader.parse(bytes, 'mda__biologic1.txt');
    expect(m.original.map((c) => c.name)).toEqual(['Ewe/V', '<I>/mA', 'cycle number', 'time/s']);
    // First and last lines of the file, read by eye: "2.0124085E-001\t8.886873498846574E-005\t1.0…\t2.809999929013429E-001"
    // and "8.5847221E-002\t1.417323031889803E-004\t3.0…\t1.179721970197716E+002".
    relClose(m.channels.voltage_V![0]!, 0.20124085);
    const firstCurrent_mA = Number('8.886873498846574E-005');
    relClose((m.original[1]!.values as Float64Array)[0]!, firstCurrent_mA, 0);
    relClose(m.channels.current_A![0]!, firstCurrent_mA * 1e-3);
    relClose(m.channels.voltage_V![m.rows - 1]!, 0.085847221);
    relClose((m.original[3]!.values as Float64Array)[m.rows - 1]!, 117.9721970197716);
    expect(m.channels.cycle![m.rows - 1]).toBe(3);
    // Catalogue: a CV of a polymer film.
    expect(m.kind).toBe('voltammetry');
  });
});

describe('absolute time format', () => {
  it('turns a date-time column into seconds from the first row and keeps the text', () => {
    // Truth by construction: rows 0.5 s and 61.25 s after the first.
    const file =
      'EC-Lab ASCII FILE\r\nNb header lines : 6\r\n\r\nOpen Circuit Voltage\r\n\r\ntime/s\tEwe/V\r\n' +
      '06/24/2022 13:13:57.0000\t0.85\r\n06/24/2022 13:13:57.5000\t0.86\r\n06/24/2022 13:14:58.2500\t0.87\r\n';
    const m = biologicMptReader.parse(new TextEncoder().encode(file), 'abs.mpt');
    expect(Array.from(m.channels.time_s!)).toEqual([0, 0.5, 61.25]);
    expect(m.metadata.startTime).toBe('2022-06-24T13:13:57.0000');
    expect(m.original[0]!.values).toEqual([
      '06/24/2022 13:13:57.0000',
      '06/24/2022 13:13:57.5000',
      '06/24/2022 13:14:58.2500',
    ]);
    expect(m.technique).toBe('OCV');
  });
});
