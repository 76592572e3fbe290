/**
 * BioLogic reader speed and memory.
 * Generates, in a temp dir, a 1,000,000-row GCPL .mpt in EC-Lab's text layout (header, 26 tab-separated
 * columns, numbers printed the way EC-Lab prints them) and a 1,000,000-row GCPL .mpr (EC-Lab 11.3x
 * layout: version-3 data module, the column ids of a real GCPL file). Each file is parsed in a fresh
 * child process so its peak RSS belongs to the parse alone.
 *
 *   npx tsx bench/formats-biologic.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { biologicMprReader } from '../app/formats/biologic/mpr';
import { biologicMptReader } from '../app/formats/biologic/mpt';
import type { NumericColumn } from '../app/measurement';

const ROWS = 1_000_000;

/** EC-Lab's number format: mantissa digits, capital E, sign and three exponent digits. */
function ecLab(value: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits).toUpperCase().split('E') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
}

const MPT_COLUMNS = [
  'mode', 'ox/red', 'error', 'control changes', 'Ns changes', 'counter inc.', 'Ns', 'time/s', 'control/V/mA',
  'Ewe/V', 'I/mA', 'dQ/mA.h', '(Q-Qo)/mA.h', 'half cycle', 'Q charge/discharge/mA.h', 'I Range',
  'Energy charge/W.h', 'Energy discharge/W.h', 'Capacitance charge/µF', 'Capacitance discharge/µF',
  'Q discharge/mA.h', 'Q charge/mA.h', 'Capacity/mA.h', 'Efficiency/%', 'cycle number', 'P/W',
]; // biome-ignore format: one column per EC-Lab header cell

function mptHeader(): string {
  const lines = [
    'EC-Lab ASCII FILE',
    'Nb header lines : 0',
    '',
    'Galvanostatic Cycling with Potential Limitation',
    '',
    'Run on channel : 1 (SN 12345)',
    'Acquisition started on : 05/07/2019 14:58:34.000',
    'Device : VMP3 (SN 0001)',
    'EC-Lab for windows v11.33 (software)',
    'Electrode surface area : 1.000 cm²',
    'Mass of active material : 10.000 mg',
    'Ns                  0                   1                   ',
    'Set I/C             I                   I                   ',
    'Is                  0.100               -0.100              ',
    '',
  ];
  lines[1] = `Nb header lines : ${lines.length + 1}                          `;
  return `${lines.join('\r\n')}\r\n${MPT_COLUMNS.join('\t')}\t\r\n`;
}

function writeMpt(path: string): number {
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.from(mptHeader(), 'latin1'));
  const halfCycleRows = 5000;
  let time = 0;
  let charge = 0;
  let chunk: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const half = Math.floor(r / halfCycleRows);
    const sign = half % 2 === 0 ? 1 : -1;
    time += 1 + Math.random() * 1e-3;
    const current = sign * (0.1 + (Math.random() - 0.5) * 1e-4);
    const dq = (current * 1) / 3600;
    charge += dq;
    const ewe = 3.5 + 0.5 * sign * ((r % halfCycleRows) / halfCycleRows) + Math.random() * 1e-4;
    const qcd = ((r % halfCycleRows) + 1) * dq;
    chunk.push(
      [
        '1', sign > 0 ? '1' : '0', '0', r % halfCycleRows === 0 ? '1' : '0', '0', '0', String(half % 2),
        ecLab(time, 15), ecLab(sign * 0.1, 7), ecLab(ewe, 7), ecLab(current, 7), ecLab(dq, 15), ecLab(charge, 15),
        String(half), ecLab(qcd, 15), '41', ecLab(Math.max(0, qcd * ewe) * 1e-3, 15),
        ecLab(Math.min(0, qcd * ewe) * 1e-3, 15), ecLab(Math.random() * 1e5, 15), ecLab(Math.random() * 1e5, 15),
        ecLab(Math.max(0, -qcd), 15), ecLab(Math.max(0, qcd), 15), ecLab(Math.abs(qcd), 15),
        ecLab(Math.random() * 100, 7), ecLab(Math.floor(half / 2), 15), ecLab(current * ewe * 1e-3, 7),
      ].join('\t'), // biome-ignore format: one value per column
    );
    if (chunk.length === 20000) {
      writeSync(fd, `${chunk.join('\r\n')}\r\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) writeSync(fd, `${chunk.join('\r\n')}\r\n`);
  closeSync(fd);
  return statSync(path).size;
}

/** Column ids and widths of a real EC-Lab GCPL .mpr (flags byte, then these). */
const MPR_IDS = [1, 2, 3, 21, 31, 65, 131, 4, 7, 13, 5, 6, 39, 467, 468, 70];
const MPR_ROW_BYTES = 1 + 2 + 8 + 8 + 8 + 4 + 4 + 2 + 8 + 4 + 4;

function moduleHeader(shortName: string, longName: string, length: number, version: number): Buffer {
  const header = Buffer.alloc(6 + 51);
  header.write('MODULE', 0, 'latin1');
  header.write(shortName.padEnd(10), 6, 'latin1');
  header.write(longName.padEnd(25), 16, 'latin1');
  header.writeUInt32LE(length, 41);
  header.writeUInt32LE(version, 45);
  header.write('05/07/19', 49, 'latin1');
  return header;
}

function writeMpr(path: string, rows = ROWS): number {
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    Buffer.concat([Buffer.from('BIO-LOGIC MODULAR FILE\x1a'.padEnd(48), 'latin1'), Buffer.alloc(4)]),
  );
  const settings = Buffer.alloc(1024);
  settings[0] = 0x04; // GCPL
  writeSync(fd, Buffer.concat([moduleHeader('VMP Set', 'VMP settings', settings.length, 0), settings]));
  const prefix = Buffer.alloc(406);
  prefix.writeUInt32LE(rows, 0);
  prefix[4] = MPR_IDS.length;
  for (const [i, id] of MPR_IDS.entries()) prefix.writeUInt16LE(id, 5 + 2 * i);
  prefix[405] = 1;
  const length = prefix.length + rows * MPR_ROW_BYTES;
  writeSync(fd, Buffer.concat([moduleHeader('VMP data', 'VMP data', length, 3), prefix]));
  const block = Math.min(50_000, rows);
  const buffer = Buffer.alloc(block * MPR_ROW_BYTES);
  let charge = 0;
  for (let start = 0; start < rows; start += block) {
    for (let k = 0; k < block; k++) {
      const r = start + k;
      const half = Math.floor(r / 5000);
      const sign = half % 2 === 0 ? 1 : -1;
      const dq = (sign * 0.1) / 3600;
      charge += dq;
      let at = k * MPR_ROW_BYTES;
      at = buffer.writeUInt8(sign > 0 ? 0x05 : 0x01, at);
      at = buffer.writeUInt16LE(half % 2, at);
      at = buffer.writeDoubleLE(r * 1.0001, at);
      at = buffer.writeDoubleLE(dq, at);
      at = buffer.writeDoubleLE(charge, at);
      at = buffer.writeFloatLE(sign * 0.1, at);
      at = buffer.writeFloatLE(3.5 + 0.5 * sign * ((r % 5000) / 5000), at);
      at = buffer.writeUInt16LE(41, at);
      at = buffer.writeDoubleLE(((r % 5000) + 1) * dq, at);
      at = buffer.writeUInt32LE(half, at);
      buffer.writeFloatLE(sign * 0.35e-3, at);
    }
    writeSync(fd, buffer);
  }
  closeSync(fd);
  return statSync(path).size;
}

interface ChildResult {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  warmSeconds: number;
  decodedBytes: number;
  peakRssBytes: number;
  baselineRssBytes: number;
}

/**
 * Runs in the child: reads the file, parses it once, reports time and peak memory. With a warm-up
 * file, that small file is parsed first, as a worker that has opened a file before would have.
 */
function child(kind: 'mpt' | 'mpr', path: string, warmupPath?: string): void {
  const reader = kind === 'mpt' ? biologicMptReader : biologicMprReader;
  if (warmupPath) reader.parse(new Uint8Array(readFileSync(warmupPath)), warmupPath);
  const file = readFileSync(path);
  // A view, not a copy: the file's bytes are in memory once, as they would be in the app's worker.
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const baselineRssBytes = process.memoryUsage().rss;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const measurement = reader.parse(bytes, path);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time too: on a shared 2-core machine wall time also counts other processes' turns.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const arrays = new Set<NumericColumn>();
  for (const column of measurement.original) if (!Array.isArray(column.values)) arrays.add(column.values);
  for (const values of Object.values(measurement.channels)) if (values) arrays.add(values);
  let decodedBytes = 0;
  for (const values of arrays) decodedBytes += values.byteLength;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  // Two more parses with the code already optimised, as in a worker that has opened files before;
  // the faster counts (other processes share this 2-core machine), as bench/formats-cyclers does.
  let warmSeconds = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 2; k++) {
    const again = performance.now();
    reader.parse(bytes, path);
    warmSeconds = Math.min(warmSeconds, (performance.now() - again) / 1000);
  }
  const result: ChildResult = {
    rows: measurement.rows,
    seconds,
    cpuSeconds,
    warmSeconds,
    decodedBytes,
    peakRssBytes,
    baselineRssBytes,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function runChild(kind: 'mpt' | 'mpr', path: string, warmupPath?: string): ChildResult {
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, '--child', kind, path, ...(warmupPath ? [warmupPath] : [])];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child failed: ${run.stderr}`);
  return JSON.parse(line.slice(7)) as ChildResult;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'elyte-biologic-bench-'));
  try {
    const mptPath = join(dir, 'gcpl.mpt');
    const mprPath = join(dir, 'gcpl.mpr');
    let t = performance.now();
    const mptBytes = writeMpt(mptPath);
    console.log(
      `generated ${mptPath}: ${(mptBytes / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    t = performance.now();
    const mprBytes = writeMpr(mprPath);
    console.log(
      `generated ${mprPath}: ${(mprBytes / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const warmupPath = join(dir, 'gcpl-20k.mpr');
    writeMpr(warmupPath, 20_000);

    const mpt = runChild('mpt', mptPath);
    const mpr = runChild('mpr', mprPath);
    // The same parse in a process that has parsed a 20,000-row file first (compiled code, as in the
    // app's long-lived worker and as bench/formats-cyclers.bench.ts measures .nda).
    const mprWarmed = runChild('mpr', mprPath, warmupPath);
    const load = loadavg()[0]!;
    console.log(
      `load average ${load.toFixed(1)} on ${availableParallelism()} cores (others' work slows wall time)`,
    );
    const report = (name: string, r: ChildResult, fileBytes: number) => {
      const overRss = r.peakRssBytes - r.baselineRssBytes;
      console.log(
        `${name} (best of two more parses, warm JIT): ${r.warmSeconds.toFixed(3)} s = ` +
          `${(r.rows / r.warmSeconds / 1e6).toFixed(2)} M rows/s, ${(fileBytes / r.warmSeconds / 1e6).toFixed(0)} MB/s`,
      );
      console.log(
        `${name}: ${r.rows} rows in ${r.seconds.toFixed(3)} s = ${(r.rows / r.seconds / 1e6).toFixed(2)} M rows/s, ` +
          `${(fileBytes / r.seconds / 1e6).toFixed(0)} MB/s (CPU ${r.cpuSeconds.toFixed(3)} s = ` +
          `${(fileBytes / r.cpuSeconds / 1e6).toFixed(0)} MB/s); decoded arrays ${(r.decodedBytes / 1e6).toFixed(0)} MB; ` +
          `peak RSS ${(r.peakRssBytes / 1e6).toFixed(0)} MB (file ${(fileBytes / 1e6).toFixed(0)} MB already loaded, ` +
          `RSS before parse ${(r.baselineRssBytes / 1e6).toFixed(0)} MB); ` +
          `peak/decoded ${(r.peakRssBytes / r.decodedBytes).toFixed(2)}, ` +
          `(peak − before parse)/decoded ${(overRss / r.decodedBytes).toFixed(2)}`,
      );
    };
    report('mpt', mpt, mptBytes);
    report('mpr', mpr, mprBytes);
    console.log(
      `mpr after a 20k-row warm-up file: ${mprWarmed.seconds.toFixed(3)} s = ` +
        `${(mprWarmed.rows / mprWarmed.seconds / 1e6).toFixed(2)} M rows/s`,
    );
    const bench = {
      load_average: +load.toFixed(1),
      mpt_rows: mpt.rows,
      mpt_file_MB: +(mptBytes / 1e6).toFixed(1),
      mpt_seconds: +mpt.seconds.toFixed(3),
      mpt_rows_per_s: Math.round(mpt.rows / mpt.seconds),
      mpt_cpu_MB_per_s: +(mptBytes / mpt.cpuSeconds / 1e6).toFixed(1),
      mpt_warm_MB_per_s: +(mptBytes / mpt.warmSeconds / 1e6).toFixed(1),
      mpt_MB_per_s: +(mptBytes / mpt.seconds / 1e6).toFixed(1),
      mpt_decoded_MB: +(mpt.decodedBytes / 1e6).toFixed(1),
      mpt_peak_rss_MB: +(mpt.peakRssBytes / 1e6).toFixed(1),
      mpt_peak_over_decoded: +(mpt.peakRssBytes / mpt.decodedBytes).toFixed(2),
      mpt_parse_rss_over_decoded: +((mpt.peakRssBytes - mpt.baselineRssBytes) / mpt.decodedBytes).toFixed(2),
      mpr_rows: mpr.rows,
      mpr_file_MB: +(mprBytes / 1e6).toFixed(1),
      mpr_seconds: +mpr.seconds.toFixed(3),
      mpr_rows_per_s: Math.round(mpr.rows / mpr.seconds),
      mpr_cpu_rows_per_s: Math.round(mpr.rows / mpr.cpuSeconds),
      mpr_warm_rows_per_s: Math.round(mpr.rows / mpr.warmSeconds),
      mpr_after_warmup_rows_per_s: Math.round(mprWarmed.rows / mprWarmed.seconds),
      mpr_MB_per_s: +(mprBytes / mpr.seconds / 1e6).toFixed(1),
      mpr_decoded_MB: +(mpr.decodedBytes / 1e6).toFixed(1),
      mpr_peak_rss_MB: +(mpr.peakRssBytes / 1e6).toFixed(1),
      mpr_peak_over_decoded: +(mpr.peakRssBytes / mpr.decodedBytes).toFixed(2),
      mpr_parse_rss_over_decoded: +((mpr.peakRssBytes - mpr.baselineRssBytes) / mpr.decodedBytes).toFixed(2),
    };
    console.log(`BENCH ${JSON.stringify(bench)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  child(
    process.argv[childIndex + 1] as 'mpt' | 'mpr',
    process.argv[childIndex + 2]!,
    process.argv[childIndex + 3],
  );
} else main();
