/**
 * Library import bench: a generated 1,000,000-row BioLogic .mpt galvanostatic file (the header of a
 * real EC-Lab CP export from ../shared/data, EC-Lab's number format; 13 columns as EC-Lab writes by
 * default, and with ELYTE_BENCH_COMPACT=1 also 5 hand-picked columns) is
 *  1. parsed alone (the reference),
 *  2. imported from bytes (parse + everything else) → "import adds beyond parsing",
 *  3. imported already parsed (the worker path),
 * then one channel is loaded back, and the library file is compared with the raw file.
 * Run: npx tsx bench/db-import.bench.ts   (ELYTE_BENCH_ROWS=… for a smaller file)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseInstrumentFile } from '../app/formats';
import { closeLibrary, type ImportStage, importFile, loadChannel, openLibrary } from '../db';
import { random } from '../tests/db/generate';
import { tempDir } from '../tests/db/support';
import { readShared } from '../tests/support/paths';

const ROWS = Number(process.env.ELYTE_BENCH_ROWS ?? 1_000_000);
const HEADER_SOURCE = 'biologic_mpt/ixdat__multiple_techniques_dataset_01_03_CP_C01.mpt';
const FULL_COLUMNS = [
  'mode',
  'ox/red',
  'error',
  'control changes',
  'Ns changes',
  'counter inc.',
  'time/s',
  'control/mA',
  'Ewe/V',
  'I/mA',
  'dQ/C',
  '(Q-Qo)/mA.h',
  'cycle number',
];
/** A typical hand-picked BT-Lab export: the columns an analysis needs. */
const COMPACT_COLUMNS = ['time/s', 'Ewe/V', 'I/mA', '(Q-Qo)/mA.h', 'cycle number'];

/**
 * EC-Lab prints 1.2345678E-003: mantissa digits, 'E', sign, three exponent digits. Built from an
 * integer mantissa because Number#toExponential(15) is too slow for millions of values.
 */
function ecLab(x: number, digits: number): string {
  if (x === 0) return `0.${'0'.repeat(digits)}E+000`;
  const a = Math.abs(x);
  let e = Math.floor(Math.log10(a));
  let m = Math.round((a / 10 ** e) * 10 ** digits);
  if (m >= 10 ** (digits + 1)) {
    e++;
    m = Math.round(m / 10);
  }
  const s = String(m);
  const exponent = String(Math.abs(e)).padStart(3, '0');
  return `${x < 0 ? '-' : ''}${s[0]}.${s.slice(1)}E${e < 0 ? '-' : '+'}${exponent}`;
}

/**
 * Time and charge are formatted per row; voltage, current and dQ come from tables of pre-formatted
 * values (4096 each, with noise baked in) because formatting 7 million numbers would dominate the bench.
 */
function generateMpt(rows: number, seed: number, compact: boolean): Uint8Array {
  const source = new TextDecoder('latin1').decode(readShared(HEADER_SOURCE));
  const lines = source.split('\r\n');
  const headerCount = Number(/Nb header lines : (\d+)/.exec(source)![1]);
  const header = lines.slice(0, headerCount - 1);
  header.push((compact ? COMPACT_COLUMNS : FULL_COLUMNS).join('\t'));
  const rand = random(seed);
  const TABLE = 4096;
  const table = (f: (k: number) => number, digits: number) =>
    Array.from({ length: TABLE }, (_, k) => ecLab(f(k), digits));
  const eweCharge = table((k) => 3.4 + (0.1 * k) / TABLE + (rand() - 0.5) * 1e-4, 7);
  const eweDischarge = table((k) => 3.5 - (0.1 * k) / TABLE + (rand() - 0.5) * 1e-4, 7);
  const noise = Array.from({ length: TABLE }, () => 1 + (rand() - 0.5) * 2e-4);
  const currentCharge = noise.map((n) => ecLab(0.1 * n, 7));
  const currentDischarge = noise.map((n) => ecLab(-0.1 * n, 7));
  const dqCharge = noise.map((n) => ecLab(1e-4 * n, 7));
  const dqDischarge = noise.map((n) => ecLab(-1e-4 * n, 7));
  const control = [ecLab(0.1, 7), ecLab(-0.1, 7)];
  const out: string[] = [header.join('\r\n'), '\r\n'];
  const perHalf = 5000;
  let q = 0;
  let cycleText = '';
  for (let i = 0; i < rows; i++) {
    const half = Math.floor(i / perHalf);
    if (i % perHalf === 0) cycleText = ecLab(Math.floor(half / 2), 15);
    const charging = half % 2 === 0;
    const k = Math.floor(((i % perHalf) / perHalf) * TABLE);
    const n = Math.floor(rand() * TABLE);
    const t = 560.2763878602855 + i * 1.0000000123;
    q += (charging ? 0.1 : -0.1) / 3600;
    const ewe = (charging ? eweCharge : eweDischarge)[k];
    const current = (charging ? currentCharge : currentDischarge)[n];
    out.push(
      compact
        ? `${ecLab(t, 15)}\t${ewe}\t${current}\t${ecLab(q, 15)}\t${cycleText}\r\n`
        : `1\t${charging ? 1 : 0}\t0\t${i % perHalf === 0 ? 1 : 0}\t0\t0\t${ecLab(t, 15)}\t${control[charging ? 0 : 1]}\t` +
            `${ewe}\t${current}\t${(charging ? dqCharge : dqDischarge)[n]}\t${ecLab(q, 15)}\t${cycleText}\r\n`,
    );
  }
  return new TextEncoder().encode(out.join(''));
}

const ms = (from: number) => performance.now() - from;

/**
 * CPU time of this (main) thread alone, in ms (Linux; undefined elsewhere). On a shared, loaded machine
 * wall time mostly measures the others' work; the main thread's CPU time says what the import adds to
 * the thread that parses, and the thread pool's share is what the spare core absorbs. 10 ms ticks.
 */
function mainThreadCpuMs(): number | undefined {
  const path = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(path)) return undefined;
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const cpuSince = (from: number | undefined) => {
  const now = mainThreadCpuMs();
  return from === undefined || now === undefined ? undefined : now - from;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

async function scenario(label: string, compact: boolean, dir: string) {
  {
    let t = performance.now();
    const bytes = generateMpt(ROWS, 1, compact);
    console.log(
      `\n${label}: generated ${ROWS} rows, ${(bytes.length / 1e6).toFixed(1)} MB in ${ms(t).toFixed(0)} ms`,
    );
    const fileName = 'generated_GCPL_25C.mpt';

    // 1. Parse alone (twice: the first run warms the JIT; the second is the reference).
    parseInstrumentFile(bytes, fileName);
    t = performance.now();
    let mainCpu = mainThreadCpuMs();
    const parsed = parseInstrumentFile(bytes, fileName);
    const parseMs = ms(t);
    const parseMainCpuMs = cpuSince(mainCpu);
    console.log(
      `parse alone: ${parseMs.toFixed(0)} ms (${parsed.format}, ${parsed.rows} rows, ` +
        `${Object.keys(parsed.channels).length} canonical + ${parsed.original.length} original channels)`,
    );

    // 2. Import from bytes: parse inside, compression overlapping it.
    const pathA = join(dir, `${label}-a.elyte`);
    const libA = await openLibrary(pathA);
    const stages: Partial<Record<ImportStage, number>> = {};
    t = performance.now();
    mainCpu = mainThreadCpuMs();
    const reportA = await importFile(libA, { fileName, bytes }, (stage) => {
      stages[stage] ??= ms(t);
    });
    const fullMs = ms(t);
    const importMainCpuMs = cpuSince(mainCpu);
    // From the end of parsing (encoding starts) to the commit: what the import makes the user wait for
    // once the file is read, when the thread pool kept up with the parser.
    const afterParseMs = (stages.done ?? 0) - (stages.encoding ?? 0);
    if (reportA.errors.length > 0) throw new Error(JSON.stringify(reportA.errors));
    const idA = reportA.imported[0]!.measurementId;
    console.log(
      `import from bytes: ${fullMs.toFixed(0)} ms → adds ${(fullMs - parseMs).toFixed(0)} ms beyond parsing`,
    );
    console.log(`  after parsing until committed: ${afterParseMs.toFixed(0)} ms`);
    if (importMainCpuMs !== undefined && parseMainCpuMs !== undefined) {
      console.log(
        `  main-thread CPU: import ${importMainCpuMs.toFixed(0)} ms, parse alone ${parseMainCpuMs.toFixed(0)} ms ` +
          `→ adds ${(importMainCpuMs - parseMainCpuMs).toFixed(0)} ms`,
      );
    }
    console.log(
      `  stage start times (ms): ${JSON.stringify(Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v)])))}`,
    );

    // 3. Import of an already parsed measurement (the worker path), into a fresh library.
    const pathB = join(dir, `${label}-b.elyte`);
    const libB = await openLibrary(pathB);
    t = performance.now();
    const cpu = process.cpuUsage();
    const reportB = await importFile(libB, { fileName, bytes, measurement: parsed });
    const parsedMs = ms(t);
    const used = process.cpuUsage(cpu);
    const parsedCpuMs = (used.user + used.system) / 1000;
    if (reportB.errors.length > 0) throw new Error(JSON.stringify(reportB.errors));
    console.log(
      `import of the parsed measurement: ${parsedMs.toFixed(0)} ms (CPU of all threads ${parsedCpuMs.toFixed(0)} ms)`,
    );
    t = performance.now();
    libB.db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointMs = ms(t);
    console.log(`WAL checkpoint afterwards (deferred, off the import): ${checkpointMs.toFixed(0)} ms`);
    closeLibrary(libB);

    // Load one channel back (the read connection), as for a plot.
    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      t = performance.now();
      const v = loadChannel(libA, idA, 'voltage_V');
      loads.push(ms(t));
      if (v.length !== ROWS) throw new Error('wrong length');
    }
    const sorted = [...loads].sort((a, b) => a - b);
    const loadMedian = sorted[3]!;
    console.log(
      `load one channel (voltage_V, ${ROWS} values): first ${loads[0]!.toFixed(1)} ms, median ${loadMedian.toFixed(1)} ms`,
    );

    const storage = libA.reader
      .prepare(
        `SELECT origin, name, dtype, scale_exp AS d, coalesce(length(data), 0) AS bytes FROM measurement_channels
         WHERE measurement_id = ? ORDER BY position`,
      )
      .all(idA) as { origin: string; name: string; dtype: string; d: number; bytes: number }[];
    const rawStored = libA.reader
      .prepare('SELECT length(content) FROM measurement_files WHERE measurement_id = ?')
      .pluck()
      .get(idA) as number;
    console.log(`stored: raw file (gzip) ${(rawStored / 1e6).toFixed(1)} MB; channels:`);
    for (const c of storage) {
      console.log(
        `  ${c.origin.padEnd(9)} ${c.name.padEnd(16)} ${c.dtype}${c.d ? `/1e${c.d}` : ''} ${(c.bytes / 1e6).toFixed(1)} MB`,
      );
    }
    libA.db.pragma('wal_checkpoint(TRUNCATE)');
    closeLibrary(libA);
    const libraryBytes = statSync(pathA).size;
    const ratio = libraryBytes / bytes.length;
    console.log(
      `library file ${(libraryBytes / 1e6).toFixed(1)} MB for a ${(bytes.length / 1e6).toFixed(1)} MB raw file: ${ratio.toFixed(2)}×`,
    );

    return {
      rows: ROWS,
      columns: parsed.original.length,
      raw_MB: round(bytes.length / 1e6),
      parse_ms: round(parseMs, 0),
      import_from_bytes_ms: round(fullMs, 0),
      import_adds_beyond_parse_ms: round(fullMs - parseMs, 0),
      import_after_parse_ms: round(afterParseMs, 0),
      ...(importMainCpuMs !== undefined && parseMainCpuMs !== undefined
        ? { import_adds_main_thread_cpu_ms: round(importMainCpuMs - parseMainCpuMs, 0) }
        : {}),
      import_parsed_ms: round(parsedMs, 0),
      import_parsed_cpu_ms: round(parsedCpuMs, 0),
      checkpoint_ms: round(checkpointMs, 0),
      load_channel_first_ms: round(loads[0]!),
      load_channel_median_ms: round(loadMedian),
      library_MB: round(libraryBytes / 1e6),
      library_to_raw: round(ratio, 3),
    };
  }
}

async function main() {
  const { dir, cleanup } = tempDir('elyte-bench-');
  try {
    const full = await scenario('ec-lab-13-columns', false, dir);
    // Opt-in (ELYTE_BENCH_COMPACT=1) to keep the default run under a minute on two busy cores.
    const compact = process.env.ELYTE_BENCH_COMPACT
      ? await scenario('ec-lab-5-columns', true, dir)
      : undefined;
    const result = {
      ...full,
      ...(compact ? { compact } : {}),
      load_average_1min: round(loadavg()[0] ?? 0, 1),
      targets: { import_adds_ms: 500, load_channel_ms: 50, library_to_raw: 1.5 },
    };
    console.log(`BENCH ${JSON.stringify(result)}`);
  } finally {
    cleanup();
  }
}

await main();
