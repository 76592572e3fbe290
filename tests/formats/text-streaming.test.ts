/**
 * The text potentiostat readers stream their files (TextLines: one line decoded at a time, data rows
 * scanned as bytes where that gives the same fields), so a 2 GB export never becomes one string. This
 * checks that streaming changed nothing a reader returns:
 * - TextLines splits lines exactly as splitLines(decodeText()) ('any') and as a split of the decoded text on \n ('lf'), for
 *   every line ending and encoding;
 * - a table read through the byte scanner equals the same table read through the string split, row by
 *   row, field by field (fast-check, with the odd fields that must fall back);
 * - generated files of a few MB in each converted layout give back the values written into them;
 * - every real file in ../shared/data for these formats reads the same with CRLF, LF or lone-CR line
 *   endings, without a final line break, as UTF-16 with BOM and as Windows-1252.
 */
import { basename } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import { ParseGuard } from '../../app/formats/guard';
import { potentiostatReaders } from '../../app/formats/potentiostats/index';
import { readRows, splitAt, splitQuoted, TableBuilder } from '../../app/formats/potentiostats/table';
import { decodeText, splitLines, TextLines } from '../../app/formats/text';
import type { Measurement, OriginalColumn } from '../../app/measurement';
import { readShared } from '../support/paths';

const encoder = new TextEncoder();

function reader(id: string) {
  const found = potentiostatReaders.find((r) => r.id === id);
  if (!found) throw new Error(`no reader ${id}`);
  return found;
}

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + 2 * i + (littleEndian ? 0 : 1)] = code & 0xff;
    out[2 + 2 * i + (littleEndian ? 1 : 0)] = code >> 8;
  }
  return out;
}

/** Windows-1252 for text whose characters are all below U+0100 (µ, °, Ω written as "Ohm"). */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** The 'lf' rule on a whole decoded text: no line after a final \n, a \r before each \n dropped. */
function splitOnLf(text: string): string[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function allLines(lines: TextLines): string[] {
  const out: string[] = [];
  for (let line = lines.next(); line !== undefined; line = lines.next()) out.push(line);
  return out;
}

/** Same numbers bit for bit (NaN, -0 included) and same strings. */
function expectSameColumns(actual: OriginalColumn[], expected: OriginalColumn[]): void {
  expect(actual.map((c) => [c.name, c.unit])).toEqual(expected.map((c) => [c.name, c.unit]));
  actual.forEach((column, c) => {
    const want = expected[c]!.values;
    expect(column.values instanceof Float64Array, column.name).toBe(want instanceof Float64Array);
    expect(column.values.length, column.name).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(column.values[i], want[i])) {
        expect.fail(`${column.name}[${i}]: ${String(column.values[i])} vs ${String(want[i])}`);
      }
    }
  });
}

function expectSameMeasurement(actual: Measurement, expected: Measurement): void {
  expect(actual.rows).toBe(expected.rows);
  expect(actual.kind).toBe(expected.kind);
  expect(actual.technique).toBe(expected.technique);
  expect(actual.metadata).toEqual(expected.metadata);
  expect(actual.warnings).toEqual(expected.warnings);
  expect(Object.keys(actual.channels).sort()).toEqual(Object.keys(expected.channels).sort());
  for (const [name, values] of Object.entries(expected.channels)) {
    expect(Array.from(actual.channels[name as keyof Measurement['channels']]!), name).toEqual(
      Array.from(values!),
    );
  }
  expectSameColumns(actual.original, expected.original);
}

describe('TextLines splits lines as the readers always did', () => {
  const piece = fc.constantFrom(
    '\n',
    '\r',
    '\r\n',
    '\r\r\n',
    '\t',
    ' ',
    'a',
    '1.5',
    'é',
    'µ',
    'ÿ',
    '\ufeff',
    '"',
  );
  const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

  it('"any": as splitLines(decodeText()), in UTF-8 (with and without BOM), UTF-16 and Windows-1252', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('', '\ufeff', '\ufeff\ufeff'), (body, bom) => {
        const expected = splitLines(decodeText(encoder.encode(bom + body)));
        for (const bytes of [
          encoder.encode(bom + body),
          utf16(bom + body, true),
          utf16(bom + body, false),
          latin1(body.replaceAll('\ufeff', '')),
        ]) {
          const lines = new TextLines(bytes);
          expect(allLines(lines)).toEqual(splitLines(decodeText(bytes)));
        }
        expect(allLines(new TextLines(encoder.encode(bom + body)))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('"lf": split on \\n with the \\r before it dropped (a lone \\r stays in its line), line numbers counted the same', () => {
    fc.assert(
      fc.property(text, (body) => {
        for (const bytes of [
          encoder.encode(body),
          utf16(`\ufeff${body}`, true),
          latin1(body.replaceAll('\ufeff', '')),
        ]) {
          const lines = new TextLines(bytes, 'lf');
          const expected = splitOnLf(decodeText(bytes));
          expect(allLines(lines)).toEqual(expected);
          expect(lines.number).toBe(expected.length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a line starting with 0xFF in Windows-1252 keeps its "ÿ"', () => {
    // Node's Windows-1252 decoder drops a leading 0xFF when told to keep byte-order marks.
    const bytes = Uint8Array.of(0x41, 0x0d, 0xff, 0x0a, 0xb5);
    expect(allLines(new TextLines(bytes))).toEqual(['A', 'ÿ', 'µ']);
  });

  it('lookahead, head and restIsBlank leave the cursor where it was', () => {
    const lines = new TextLines(encoder.encode('h1\r\nh2\r\n\r\n1\t2\r\n  \r\n3\t4'));
    expect(lines.find((l) => l === 'h2')).toBe('h2');
    expect(lines.lookahead(() => lines.find((l) => l.trim() !== ''))).toBe('1\t2');
    expect(lines.head(2)).toEqual(['h1', 'h2']);
    expect(lines.restIsBlank()).toBe(false);
    expect(lines.countAhead()).toBe(3);
    expect(allLines(lines)).toEqual(['', '1\t2', '  ', '3\t4']);
    expect(lines.restIsBlank()).toBe(true);
  });
});

describe('a table read as bytes equals the same table read as strings', () => {
  const number = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toExponential(5).toUpperCase()),
    fc.integer({ min: -99999, max: 99999 }).map(String),
    fc.constantFrom('0', '-0', '+.5', '1.', '100.50', '1.0000000000000000001', '9007199254740993', '1e22'),
    fc.constantFrom('1e-23', '1E400', '0x1F', 'Infinity', '12345678901234567890e-10', '1e+', '-', '.'),
  );
  const field = fc.oneof(
    { weight: 6, arbitrary: number },
    { weight: 1, arbitrary: number.map((n) => ` ${n}  `) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'Over', '...a...', '"1"', '\u00a01', '1\u00a0', 'µA') },
  );

  it('for tab, semicolon and comma tables, decimal point or comma, any line ending', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\t', ';', ','),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        (rows, delimiter, newline, comma, quoted) => {
          const decimalComma = comma && delimiter !== ',';
          const cells = rows.map((row) => row.map((f) => (decimalComma ? f.replace('.', ',') : f)));
          const bytes = encoder.encode(cells.map((row) => row.join(delimiter)).join(newline));
          const split = quoted ? splitQuoted(delimiter) : splitAt(delimiter);
          const read = (byte: number) => {
            const lines = new TextLines(bytes);
            const table = new TableBuilder(['a', 'b', 'c'], ['', '', ''], decimalComma, 2);
            try {
              readRows(lines, table, { ...split, byte }, 'table.txt', new ParseGuard('table.txt'));
            } catch (error) {
              if (!(error instanceof ElyteError)) throw error;
              return error.message;
            }
            return table.columns();
          };
          const strings = read(-1);
          const scanned = read(split.byte);
          if (typeof strings === 'string') expect(scanned).toBe(strings);
          else expectSameColumns(scanned as OriginalColumn[], strings);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

// ---------- generated files of a few MB, with the values written into them ----------

/** A decaying current with three-significant-figure noise: varied digits, exact round trips. */
const current = (i: number) => Number((1e-3 * Math.exp(-i / 3e4) * (1 + 0.001 * (i % 7))).toPrecision(6));
const potential = (i: number) => Number((((i % 4000) - 2000) / 4000).toFixed(4));

function expectValues(actual: Float64Array | undefined, expected: (i: number) => number, rows: number): void {
  expect(actual?.length).toBe(rows);
  for (const i of [0, 1, 2, 999, Math.floor(rows / 2), rows - 2, rows - 1]) {
    expect(actual![i], `row ${i}`).toBe(expected(i));
  }
}

function gamry(rows: number, tables: number, decimalComma: boolean): string {
  const n = (v: number) => (decimalComma ? String(v).replace('.', ',') : String(v));
  const out = [
    'EXPLAIN',
    'TAG\tCV',
    'TITLE\tLABEL\tCyclic Voltammetry\tTest &Identifier',
    'DATE\tLABEL\t11/25/2026\tDate',
    'TIME\tLABEL\t10:00:00\tTime',
    `AREA\tQUANT\t${n(0.5)}\tElectrode &Area (cm^2)`,
    'NOTES\tNOTES\t1\t&Notes...',
    '\tgenerated',
  ];
  for (let t = 1; t <= tables; t++) {
    out.push(`CURVE${t}\tTABLE\t${rows}`, '\tPt\tT\tVf\tIm\tOver', '\t#\ts\tV vs. Ref.\tA\tbits');
    for (let i = 0; i < rows; i++) {
      const row = (t - 1) * rows + i;
      out.push(
        `\t${i}\t${n(row / 100)}\t${n(potential(row))}\t${n(current(row))}\t${i % 997 ? '...........' : '..a........'}`,
      );
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

describe('generated files of a few MB read back the values written', () => {
  it('Gamry .DTA: three CV curves joined, the "Over" column kept as text, decimal comma too', () => {
    const rows = 30_000;
    for (const decimalComma of [false, true]) {
      const bytes = encoder.encode(gamry(rows, 3, decimalComma));
      expect(bytes.length).toBeGreaterThan(2_000_000);
      const m = reader('gamry-dta').parse(bytes, 'cv.dta');
      expect(m.rows).toBe(3 * rows);
      expectValues(m.channels.voltage_V, potential, 3 * rows);
      expectValues(m.channels.current_A, current, 3 * rows);
      expect(m.channels.time_s?.[3 * rows - 1]).toBe((3 * rows - 1) / 100);
      expect(m.channels.cycle?.[rows]).toBe(2);
      const over = m.original.find((c) => c.name === 'Over')!.values;
      expect([over[0], over[1], over[997], over.length]).toEqual([
        '..a........',
        '...........',
        '..a........',
        3 * rows,
      ]);
      expect(m.metadata.area_m2).toBeCloseTo(0.5e-4, 12);
      expect(m.metadata.extra.NOTES).toBe('generated');
    }
  });

  it('Gamry .DTA in UTF-16 reads the same; with lone-CR line breaks it is refused as before', () => {
    const text = gamry(2000, 1, false);
    const a = reader('gamry-dta').parse(encoder.encode(text), 'a.dta');
    expectSameMeasurement(reader('gamry-dta').parse(utf16(text, true), 'a.dta'), a);
    // Gamry's reader splits lines on \n (as Gamry's own software writes them): a lone-CR file is one line.
    expect(() => reader('gamry-dta').parse(encoder.encode(text.replaceAll('\r\n', '\r')), 'cr.dta')).toThrow(
      /starts with the line EXPLAIN/,
    );
  });

  it('NOVA ASCII: tab-separated CV, and ";" with decimal commas as UTF-16', () => {
    const rows = 100_000;
    const header = 'Potential applied (V)\tTime (s)\tWE(1).Current (A)\tWE(1).Potential (V)\tScan\tIndex';
    const lines = [header];
    for (let i = 0; i < rows; i++) {
      lines.push(
        [potential(i), i / 100, current(i), potential(i) + 1e-4, 1 + Math.floor(i / 4000), i + 1].join('\t'),
      );
    }
    const text = lines.join('\n');
    const m = reader('autolab-txt').parse(encoder.encode(text), 'cv.txt');
    expect(m.rows).toBe(rows);
    expectValues(m.channels.control_V, potential, rows);
    expectValues(m.channels.current_A, current, rows);
    expectValues(m.channels.voltage_V, (i) => potential(i) + 1e-4, rows);
    expect(m.channels.cycle?.[rows - 1]).toBe(25);
    // NOVA on a German PC: ";" between fields, decimal commas, CRLF; UTF-16 as NOVA can save it.
    const [head, ...data] = lines;
    const german = [
      head!.replaceAll('\t', ';'),
      ...data.map((l) => l.replaceAll('.', ',').replaceAll('\t', ';')),
    ];
    const g = reader('autolab-txt').parse(utf16(german.join('\r\n'), true), 'cv.txt');
    expectSameMeasurement(g, m);
  });

  it('CHI "Potential/V, Current/A" CV and PAR PowerSuite / Parstat tables', () => {
    const rows = 100_000;
    const chi = [
      'Nov. 25, 2026   10:05:09',
      'Cyclic Voltammetry',
      'Instrument Model:  CHI760E',
      '',
      'Potential/V, Current/A',
      '',
      ...Array.from({ length: rows }, (_, i) => `${potential(i)}, ${current(i)}`),
    ].join('\n');
    const c = reader('chi-txt').parse(encoder.encode(chi), 'cv.txt');
    expectValues(c.channels.voltage_V, potential, rows);
    expectValues(c.channels.current_A, current, rows);
    expect(c.kind).toBe('voltammetry');

    const f = (i: number) => Number((1e6 / 1.0005 ** i).toPrecision(8));
    const zre = (i: number) => 100 + i / 8;
    const zim = (i: number) => -(i + 1) / 16;
    const powersuite = [
      'Frequency\tZre\tZimg',
      ...Array.from({ length: 40_000 }, (_, i) => `${f(i)}\t${zre(i)}\t${zim(i)}`),
    ];
    const p = reader('powersuite-txt').parse(encoder.encode(powersuite.join('\r\n')), 'ps.txt');
    expectValues(p.channels.frequency_Hz, f, 40_000);
    expectValues(p.channels.z_imag_ohm, zim, 40_000);
    const parstat = [
      'Potential (V)\tCurrent (A)\tElapsed Time (s)\tFrequency (Hz)\tZre (ohms)\tZim (ohms)',
      ...Array.from({ length: 40_000 }, (_, i) => `0.1\t1e-6\t${i}\t${f(i)}\t${zre(i)}\t${zim(i)}`),
    ];
    const q = reader('parstat-txt').parse(encoder.encode(parstat.join('\n')), 'pa.txt');
    expectValues(q.channels.z_real_ohm, zre, 40_000);
  });

  it('Pine AfterMath CSV, ZPlot .z and VersaStudio .par segments', () => {
    const rows = 60_000;
    const pine = [
      'Segment,Potential (V),Current (A),Time (s)',
      ...Array.from(
        { length: rows },
        (_, i) => `${1 + Math.floor(i / 4000)},${potential(i)},${current(i)},${i / 100}`,
      ),
    ];
    const p = reader('pine-aftermath-csv').parse(encoder.encode(pine.join('\n')), 'pine.csv');
    expectValues(p.channels.voltage_V, potential, rows);
    expectValues(p.channels.current_A, current, rows);

    const f = (i: number) => Number((1e6 / 1.0005 ** i).toPrecision(8));
    const zplot = [
      'ZPLOT2 ASCII',
      'Data Points: 20000',
      "Freq(Hz)\tAmpl\tBias\tTime(Sec)\tZ'(a)\tZ''(b)\tGD\tErr\tRange",
      'End Comments',
      ...Array.from(
        { length: 20_000 },
        (_, i) => `${f(i)}, 0.01, 0, ${i}, ${100 + i / 8}, ${-(i + 1) / 16}, 0, 0, 1`,
      ),
    ];
    const z = reader('zplot-z').parse(encoder.encode(zplot.join('\r\n')), 'a.z');
    expectValues(z.channels.frequency_Hz, f, 20_000);
    expectValues(z.channels.z_imag_ohm, (i) => -(i + 1) / 16, 20_000);

    const segment = (k: number, from: number) => [
      `<Segment${k}>`,
      'Definition=Segment #,E(V),I(A),Elapsed Time(s),0',
      ...Array.from(
        { length: 10_000 },
        (_, i) => `${k},${potential(from + i)},${current(from + i)},${(from + i) / 100}`,
      ),
      `</Segment${k}>`,
    ];
    const par = [
      '<Application>',
      'Name=VersaStudio',
      '</Application>',
      ...segment(1, 0),
      ...segment(2, 10_000),
    ];
    const v = reader('versastudio-par').parse(encoder.encode(par.join('\r\n')), 'v.par');
    expectValues(v.channels.voltage_V, potential, 20_000);
    expectValues(v.channels.current_A, current, 20_000);
  });
});

// ---------- every real file, with each line ending and encoding ----------

const REAL: [string, string][] = [
  ['gamry-dta', 'gamry_dta/exampleDataGamry.DTA'],
  ['gamry-dta', 'gamry_dta_edited/gamryparser__cv_data.dta'],
  ['gamry-dta', 'gamry_dta_edited/gamryparser__ocp_data.dta'],
  ['gamry-dta', 'gamry_dta_edited/gamryparser__ocvcurve_data.dta'],
  ['gamry-dta', 'gamry_dta_edited/gamryparser__chronoa_de_data.dta'],
  ['zplot-z', 'zplot_z/exampleDataZPlot.z'],
  ['zplot-z', 'zplot_z/impedance_py__Circuit3_EIS_1.z'],
  ['zplot-z', 'autolab_txt/exampleDataAutolab.txt'],
  ['chi-txt', 'chi_txt/exampleDataCHInstruments.txt'],
  ['parstat-txt', 'parstat_txt/exampleDataParstat.txt'],
  ['powersuite-txt', 'powersuite_txt/exampleDataPowersuite.txt'],
  ['versastudio-par', 'versastudio_par/exampleDataVersaStudio.par'],
  ['pine-aftermath-csv', 'pine_aftermath_csv/mda__aftermath1.csv'],
  ['impedance-csv', 'impedance_py_csv/exampleData.csv'],
];

describe('real files read the same whatever their line endings and encoding', () => {
  it.each(REAL)('%s: %s', (id, path) => {
    const name = basename(path);
    const original = readShared(path);
    const text = decodeText(original).replace(/\r\n?/g, '\n');
    const expected = reader(id).parse(encoder.encode(text), name);
    const variants: [string, Uint8Array][] = [
      ['as stored', original],
      ['CRLF', encoder.encode(text.replaceAll('\n', '\r\n'))],
      ['no final line break', encoder.encode(text.replace(/\n+$/, ''))],
      ['UTF-16 with BOM', utf16(`\ufeff${text}`.replace(/^\ufeff\ufeff/, '\ufeff'), true)],
      ['UTF-8 with BOM', encoder.encode(`\ufeff${text.replace(/^\ufeff/, '')}`)],
    ];
    // Gamry's reader (like Gamry's software) breaks lines at \n only; everything else takes a lone \r.
    if (id !== 'gamry-dta') variants.push(['lone CR', encoder.encode(text.replaceAll('\n', '\r'))]);
    if ([...text].every((c) => c.charCodeAt(0) < 0x100))
      variants.push(['Windows-1252', latin1(text.replace(/^\ufeff/, ''))]);
    for (const [label, bytes] of variants) {
      const m = reader(id).parse(bytes, name);
      try {
        expectSameMeasurement(m, expected);
      } catch (error) {
        throw new Error(`${path} ${label}: ${(error as Error).message}`);
      }
    }
  });
});
