/**
 * `elyte inspect --json` on one file of every supported folder of ../shared/data, in ONE call (each spawn
 * costs a second): the contract's fields with their types, and rows / first / last values where
 * CATALOGUE.tsv states them. Every expected value is quoted from the catalogue, and the test checks the
 * quote is really there, so nothing here is Elyte's own output copied back.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogue, sharedFile } from '../support/paths';
import { type CliRun, elyte, elyteAll, expectBadInput, expectNumber, jsonOf, tempDir } from './support';

interface FileExpectation {
  path: string;
  format: string;
  kind: string;
  /** Text that must appear in the file's CATALOGUE.tsv row: the source of the numbers below. */
  quotes: string[];
  rows?: number;
  /** Canonical channel → value as the catalogue writes it; compared within one unit of its last digit. */
  first?: Record<string, string>;
  last?: Record<string, string>;
  startTime?: string;
}

/** A complex number as impedance.py prints it: '98.91-2.748j', '-0.00049816+0.0175143j'. */
const complexText = ([re, im]: [string, string]): string => `${re}${im.startsWith('-') ? '' : '+'}${im}j`;

/**
 * impedance.py's summary of a spectrum (n, first/last frequency and impedance): each number is written
 * once and gives both the catalogue quote and the value the first/last row must have.
 */
function impedancePySummary(
  n: number,
  frequencies: [string, string],
  z0: [string, string],
  zLast: [string, string],
): Pick<FileExpectation, 'quotes' | 'rows' | 'first' | 'last'> {
  return {
    quotes: [
      `n=${n} points`,
      `f[0]=${frequencies[0]} Hz, f[-1]=${frequencies[1]} Hz`,
      `Z[0]=${complexText(z0)}`,
      `Z[-1]=${complexText(zLast)}`,
    ],
    rows: n,
    first: { frequency_Hz: frequencies[0], z_real_ohm: z0[0], z_imag_ohm: z0[1] },
    last: { frequency_Hz: frequencies[1], z_real_ohm: zLast[0], z_imag_ohm: zLast[1] },
  };
}

const FILES: FileExpectation[] = [
  {
    path: 'biologic_mpt/exampleDataBioLogic.mpt',
    format: 'biologic-mpt',
    kind: 'eis',
    ...impedancePySummary(43, ['1000.32', '0.0168955'], ['65.4709', '-0.38999'], ['110.97', '-2.34586']),
  },
  {
    path: 'biologic_mpt/ixdat__dataset_with_loop_01_01_OCV_DUSB0_C01.mpt',
    format: 'biologic-mpt',
    kind: 'ocv',
    quotes: [
      '21 data rows',
      "'time/s' [s] first=0.0 last=9.999799747383804",
      "'Ewe/V' [V] first=0.85495901 last=0.85425603",
    ],
    rows: 21,
    first: { time_s: '0.0', voltage_V: '0.85495901' },
    last: { time_s: '9.999799747383804', voltage_V: '0.85425603' },
  },
  {
    path: 'biologic_mpr/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr',
    format: 'biologic-mpr',
    kind: 'galvanostatic',
    quotes: ['df.shape == (46102, 18)'],
    rows: 46102,
  },
  {
    path: 'biologic_txt_export/mda__biologic1.txt',
    format: 'biologic-txt',
    kind: 'voltammetry',
    quotes: ['CyclicVoltammogram.from_biologic'],
  },
  {
    path: 'autolab_txt/exampleDataAutolab.txt',
    // impedance.py's "Autolab" example is a ZView/ZPlot text file ("Z60W Data File"): detected by content.
    format: 'zplot-z',
    kind: 'eis',
    ...impedancePySummary(41, ['10000', '0.1'], ['0.0137859', '0.00719195'], ['0.0345698', '-0.00390293']),
  },
  {
    path: 'chi_txt/exampleDataCHInstruments.txt',
    format: 'chi-txt',
    kind: 'eis',
    ...impedancePySummary(73, ['99610', '0.1'], ['98.91', '-2.748'], ['5685', '-15860']),
  },
  {
    path: 'gamry_dta/exampleDataGamry.DTA',
    format: 'gamry-dta',
    kind: 'eis',
    ...impedancePySummary(72, ['200016', '0.0158898'], ['825.858', '-1367.24'], ['17007.5', '-6635.56']),
  },
  {
    path: 'gamry_dta_edited/gamryparser__ocp_data.dta',
    format: 'gamry-dta',
    kind: 'ocv',
    quotes: ['shape (21, 2)', 'Vf[0]=0.0205436, Vf[-1]=0.0345678', '2020-02-10 17:18:05'],
    rows: 21,
    first: { voltage_V: '0.0205436' },
    last: { voltage_V: '0.0345678' },
    startTime: '2020-02-10T17:18:05',
  },
  {
    path: 'impedance_py_csv/exampleData.csv',
    format: 'impedance-csv',
    kind: 'eis',
    quotes: ['(57 of 66)'],
    rows: 66,
  },
  {
    path: 'parstat_txt/exampleDataParstat.txt',
    format: 'parstat-txt',
    kind: 'eis',
    ...impedancePySummary(31, ['10000', '10'], ['-0.00049816', '0.0175143'], ['0.0270947', '-0.00399791']),
  },
  {
    path: 'powersuite_txt/exampleDataPowersuite.txt',
    format: 'powersuite-txt',
    kind: 'eis',
    ...impedancePySummary(30, ['0.1', '2e+06'], ['423929', '-49014.1'], ['-470.541', '-1397.74']),
  },
  {
    path: 'versastudio_par/exampleDataVersaStudio.par',
    format: 'versastudio-par',
    kind: 'eis',
    ...impedancePySummary(61, ['100000', '0.0215444'], ['55.3157', '4.57543'], ['1516.31', '-122.828']),
  },
  {
    path: 'zplot_z/exampleDataZPlot.z',
    format: 'zplot-z',
    kind: 'eis',
    ...impedancePySummary(21, ['300000', '3000'], ['147.77', '-11.335'], ['613.68', '-137.13']),
  },
  {
    path: 'zahner_ism/zahner__000_mvdc.ism',
    format: 'zahner-ism',
    kind: 'eis',
    quotes: ['N=38 stored samples', 'sample[0]: f=100 Hz, |Z|=8636.95 Ω, phase=-1.063°'],
    rows: 38,
    first: { frequency_Hz: '100', z_mod_ohm: '8636.95', z_phase_deg: '-1.063' },
  },
  {
    path: 'maccor_eis/beep__maccor_test_file_4267-66-6519.EDA0001.041',
    format: 'maccor-eis',
    kind: 'eis',
    quotes: ['start 2016-11-02T15:58:00'],
    startTime: '2016-11-02T15:58:00',
  },
  {
    path: 'arbin_res/cellpy__20160805_test001_45_cc_01.res',
    format: 'arbin-res',
    kind: 'galvanostatic',
    quotes: ['n_rows 10261', '2016-08-05'],
    rows: 10261,
    startTime: '2016-08-05',
  },
  {
    path: 'arbin_csv/battdat__arbin_example.csv',
    format: 'arbin-csv',
    kind: 'galvanostatic',
    quotes: ['ArbinReader'],
  },
  {
    path: 'arbin_xlsx/bs542_004_gr_li_50ua_50mv_1v_191020_Channel_11.xlsx',
    format: 'arbin-xlsx',
    kind: 'galvanostatic',
    quotes: ['df.shape == (4526, 22)'],
    rows: 4526,
  },
  {
    path: 'maccor_raw/beep__PredictionDiagnostics_000109_tztest.010',
    format: 'maccor-raw',
    kind: 'galvanostatic',
    quotes: ['raw_data.shape == (2165, 44)'],
    rows: 2165,
  },
  {
    path: 'maccor_txt/cellpy__maccor_001.txt',
    format: 'maccor-txt',
    kind: 'galvanostatic',
    quotes: ['len(raw) == 6704', "start_datetime '2020-12-11T12:22:12'"],
    rows: 6704,
    startTime: '2020-12-11T12:22:12',
  },
  {
    path: 'neware_csv/cellpy__neware_uio.csv',
    format: 'neware-csv',
    kind: 'galvanostatic',
    quotes: ['len(raw) == 9065', "start_datetime '2022-05-18T16:27:52'"],
    rows: 9065,
    startTime: '2022-05-18T16:27:52',
  },
  {
    path: 'neware_nda/NewareNDA__TestFile.nda',
    format: 'neware-nda',
    kind: 'galvanostatic',
    quotes: ['6670 rows'],
    rows: 6670,
  },
  {
    path: 'neware_ndax/NewareNDA__123456789012_Unit27_Example_Data_File.ndax',
    format: 'neware-ndax',
    kind: 'galvanostatic',
    quotes: ['302 rows'],
    rows: 302,
  },
  {
    path: 'novonix_csv/beep__test_Nova_Form-CH01-01_short.csv',
    format: 'novonix-csv',
    kind: 'galvanostatic',
    quotes: ['raw_data.shape == (3942, 23)'],
    rows: 3942,
  },
  {
    path: 'pec_csv/cellpy__pec.csv',
    format: 'pec-csv',
    kind: 'galvanostatic',
    quotes: ['n_rows 16255'],
    rows: 16255,
  },
  {
    path: 'pine_aftermath_csv/mda__aftermath1.csv',
    format: 'pine-aftermath-csv',
    kind: 'voltammetry',
    quotes: ['from_aftermath'],
  },
];

/**
 * Within one unit of the last digit the catalogue writes ('0.38999' → ±1e-5, '2e+06' → ±1e6): its numbers
 * were printed by other tools, rounded once already.
 */
function expectQuoted(actual: unknown, quoted: string, label: string): void {
  expectNumber(actual, label);
  const [mantissa = '', exponent = '0'] = quoted.toLowerCase().split('e');
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  const tolerance = 10 ** (Number(exponent) - decimals) * (1 + 1e-9);
  expect(Math.abs(actual - Number(quoted)), `${label}: ${actual} vs catalogue ${quoted}`).toBeLessThanOrEqual(
    tolerance,
  );
}

interface InspectEntry {
  file: string;
  format: string;
  instrument: string | null;
  technique: string;
  kind: string;
  rows: number;
  channels: Record<string, string>;
  first: Record<string, number | null>;
  last: Record<string, number | null>;
  metadata: Record<string, unknown>;
  warnings: string[];
}

const KINDS = ['eis', 'voltammetry', 'galvanostatic', 'potentiostatic', 'ocv', 'other'];
/** A few canonical names and the unit each must carry (shared/docs/cli.md). */
const CANONICAL_UNITS: Record<string, string> = {
  time_s: 's',
  voltage_V: 'V',
  current_A: 'A',
  frequency_Hz: 'Hz',
  z_real_ohm: 'Ω',
  z_imag_ohm: 'Ω',
  cycle: '',
  step: '',
};

describe('elyte inspect --json on every supported instrument folder', () => {
  const catalogue = new Map(readCatalogue().map((row) => [row.local_path, row]));
  let run: CliRun;
  let entries: InspectEntry[];

  beforeAll(async () => {
    run = await elyte(['inspect', ...FILES.map((f) => sharedFile(f.path)), '--json']);
    entries = jsonOf<InspectEntry[]>(run);
  });

  it('reads all files in one call: exit 0, one JSON array in the order given, nothing on stderr', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.errorLines).toEqual([]);
    expect(entries.map((e) => e.file)).toEqual(FILES.map((f) => sharedFile(f.path)));
  });

  it('covers every supported instrument folder of ../shared/data', () => {
    const folders = new Set(FILES.map((f) => f.path.split('/')[0]));
    const catalogued = new Set([...catalogue.keys()].map((p) => p.split('/')[0]));
    // biologic_mpl holds log files only (refused below with a reason), never a measurement.
    for (const folder of catalogued) if (folder !== 'biologic_mpl') expect(folders).toContain(folder);
  });

  it.each(FILES.map((f) => [f.path, f] as const))('%s', (_path, expected) => {
    const row = catalogue.get(expected.path);
    expect(row, `${expected.path} is in CATALOGUE.tsv`).toBeDefined();
    const text = `${row!.source_test_expectations} ${row!.notes}`;
    for (const quote of expected.quotes)
      expect(text, 'the expectation is quoted from the catalogue').toContain(quote);

    const entry = entries.find((e) => e.file === sharedFile(expected.path))!;
    expect(entry.format).toBe(expected.format);
    expect(entry.kind).toBe(expected.kind);
    expect(KINDS).toContain(entry.kind);
    expect(typeof entry.technique).toBe('string');
    expect(entry.technique.length).toBeGreaterThan(0);
    expect(entry.instrument === null || typeof entry.instrument === 'string').toBe(true);
    expect(Number.isInteger(entry.rows) && entry.rows > 0).toBe(true);
    if (expected.rows !== undefined) expect(entry.rows).toBe(expected.rows);

    expect(Object.keys(entry.channels).length).toBeGreaterThan(0);
    expect(Object.keys(entry.first).sort()).toEqual(Object.keys(entry.channels).sort());
    expect(Object.keys(entry.last).sort()).toEqual(Object.keys(entry.channels).sort());
    for (const [name, unit] of Object.entries(entry.channels)) {
      expect(typeof unit).toBe('string');
      if (name in CANONICAL_UNITS) expect(unit, `unit of ${name}`).toBe(CANONICAL_UNITS[name]);
      for (const value of [entry.first[name], entry.last[name]])
        expect(value === null || Number.isFinite(value)).toBe(true);
    }
    if (entry.kind === 'eis') {
      for (const name of ['frequency_Hz', 'z_real_ohm', 'z_imag_ohm'])
        expect(entry.channels).toHaveProperty(name);
    }
    if (entry.kind === 'galvanostatic') {
      expect(entry.channels).toHaveProperty('time_s');
      expect(entry.channels).toHaveProperty('voltage_V');
    }
    for (const [name, quoted] of Object.entries(expected.first ?? {}))
      expectQuoted(entry.first[name], quoted, `first ${name}`);
    for (const [name, quoted] of Object.entries(expected.last ?? {}))
      expectQuoted(entry.last[name], quoted, `last ${name}`);

    expect(typeof entry.metadata).toBe('object');
    if (expected.startTime !== undefined)
      expect(String(entry.metadata.startTime)).toMatch(new RegExp(`^${expected.startTime}`));
  });

  it('Gamry OCP: the time span of the curve is the catalogue’s T[-1] − T[0] = 105.175 − 5.00833 s', () => {
    const row = catalogue.get('gamry_dta_edited/gamryparser__ocp_data.dta')!;
    expect(row.source_test_expectations).toContain('T[0]=5.00833, T[-1]=105.175 s');
    const entry = entries.find((e) => e.file.endsWith('gamryparser__ocp_data.dta'))!;
    expectNumber(entry.first.time_s, 'first time_s');
    expectNumber(entry.last.time_s, 'last time_s');
    expect(entry.last.time_s - entry.first.time_s).toBeCloseTo(105.175 - 5.00833, 4);
  });
});

describe('elyte inspect refuses what it cannot read: exit 2, one stderr line naming the file', () => {
  const { dir, cleanup } = tempDir();
  const mpt = sharedFile('biologic_mpt/exampleDataBioLogic.mpt');
  const bytes = readFileSync(mpt);
  const paths = {
    empty: join(dir, 'empty.mpt'),
    png: join(dir, 'picture.png'),
    truncatedHeader: join(dir, 'cut-in-header.mpt'),
    truncatedData: join(dir, 'cut-in-data.mpt'),
    renamedPng: join(dir, 'looks-like.mpt'),
  };
  const runs = new Map<string, CliRun>();

  beforeAll(async () => {
    writeFileSync(paths.empty, '');
    // A real 1×1 PNG (signature, IHDR, IDAT, IEND).
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(paths.png, png);
    writeFileSync(paths.renamedPng, png);
    // The header announces 61 lines ("Nb header lines : 61"); 1500 bytes end inside it.
    writeFileSync(paths.truncatedHeader, bytes.subarray(0, 1500));
    writeFileSync(paths.truncatedData, bytes.subarray(0, 8000));
    copyFileSync(mpt, join(dir, 'intact.mpt'));
    const cases: [string, string[]][] = [
      ['missing', ['inspect', join(dir, 'no-such-file.mpt')]],
      ['empty', ['inspect', paths.empty]],
      ['png', ['inspect', paths.png]],
      ['renamedPng', ['inspect', paths.renamedPng]],
      ['truncatedHeader', ['inspect', paths.truncatedHeader]],
      ['truncatedData', ['inspect', paths.truncatedData, '--json']],
      [
        'logAndBroken',
        [
          'inspect',
          sharedFile('biologic_mpl/aurora__PEIS.mpl'),
          sharedFile('biologic_mpt/exampleDataBioLogic_MissingFreq.mpt'),
          '--json',
        ],
      ],
      ['noFile', ['inspect']],
    ];
    await elyteAll(cases, runs);
  });
  afterAll(cleanup);

  it('a missing file', () => expectBadInput(runs.get('missing')!, 'no-such-file.mpt'));
  it('an empty file', () => expectBadInput(runs.get('empty')!, /empty\.mpt.*empty/));
  it('a PNG image', () => expectBadInput(runs.get('png')!, /picture\.png.*PNG/));
  it('a PNG named .mpt (detection by content, not extension)', () =>
    expectBadInput(runs.get('renamedPng')!, /looks-like\.mpt.*PNG/));
  it('an .mpt cut inside its header', () =>
    expectBadInput(runs.get('truncatedHeader')!, /cut-in-header\.mpt.*truncated/));
  it('no file at all', () => expectBadInput(runs.get('noFile')!, /inspect/));

  it('an .mpt cut inside its data keeps the whole rows and says it looks truncated', () => {
    const run = runs.get('truncatedData')!;
    expect(run.code).toBe(0);
    const entry = jsonOf<InspectEntry>(run);
    expect(entry.rows).toBeGreaterThan(0);
    expect(entry.rows).toBeLessThan(43);
    expect(entry.warnings.join(' ')).toMatch(/truncated/);
  });

  it('a log file (.mpl) and a file its source project says must fail: one error entry and one line each', () => {
    const run = runs.get('logAndBroken')!;
    expect(run.code).toBe(2);
    expect(run.errorLines).toHaveLength(2);
    expect(run.errorLines[0]).toMatch(/aurora__PEIS\.mpl.*log file/);
    expect(run.errorLines[1]).toMatch(/exampleDataBioLogic_MissingFreq\.mpt/);
    const results = jsonOf<{ file: string; error: { kind: string; message: string } }[]>(run);
    expect(results.map((r) => basename(r.file))).toEqual([
      'aurora__PEIS.mpl',
      'exampleDataBioLogic_MissingFreq.mpt',
    ]);
    for (const r of results) expect(r.error.message).toContain(basename(r.file));
  });
});
