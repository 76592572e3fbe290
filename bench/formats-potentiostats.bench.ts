/**
 * Potentiostat reader throughput: generates a 1,000,000-row Gamry CHRONOA .DTA (the largest files these
 * instruments write: long chronoamperometry/CV runs) and a 1,000,000-row NOVA ASCII export, parses each,
 * and reports rows/s, MB/s and peak memory (RSS above the start, relative to the decoded arrays).
 * Run: npx tsx bench/formats-potentiostats.bench.ts
 */
import { basename } from 'node:path';
import { potentiostatReaders } from '../app/formats/potentiostats/index';

function gamryChronoa(rows: number): Uint8Array {
  const header = [
    'EXPLAIN',
    'TAG\tCHRONOA',
    'TITLE\tLABEL\tChronoamperometry Scan\tTest &Identifier',
    'DATE\tLABEL\t11/25/2026\tDate',
    'TIME\tLABEL\t10:00:00\tTime',
    'PSTAT\tPSTAT\tREF600-12345\tPotentiostat',
    'AREA\tQUANT\t1.00000E+000\tElectrode &Area (cm^2)',
    'CURVE\tTABLE',
    '\tPt\tT\tVf\tIm\tVu\tSig\tAch\tIERange\tOver',
    '\t#\ts\tV vs. Ref.\tA\tV\tV\tV\t#\tbits',
  ].join('\r\n');
  const parts: string[] = [header];
  for (let i = 0; i < rows; i++) {
    const t = (i * 0.1).toFixed(1);
    const im = (1e-6 * Math.exp(-i / 2e5)).toExponential(5).toUpperCase();
    parts.push(
      `\t${i}\t${t}\t5.00012E-001\t${im}\t0.00000E+000\t5.00000E-001\t-6.65789E-004\t6\t...........`,
    );
  }
  return new TextEncoder().encode(`${parts.join('\r\n')}\r\n`);
}

function novaCv(rows: number): Uint8Array {
  const parts = ['Potential applied (V)\tTime (s)\tWE(1).Current (A)\tWE(1).Potential (V)\tScan\tIndex'];
  for (let i = 0; i < rows; i++) {
    const e = ((i % 2000 < 1000 ? i % 1000 : 1000 - (i % 1000)) / 1000).toFixed(4);
    parts.push(
      `${e}\t${(i * 0.01).toFixed(2)}\t${(Number(e) * 1e-4).toExponential(6)}\t${e}\t${1 + Math.floor(i / 2000)}\t${i + 1}`,
    );
  }
  return new TextEncoder().encode(parts.join('\n'));
}

function measure(id: string, name: string, bytes: Uint8Array) {
  const reader = potentiostatReaders.find((r) => r.id === id)!;
  (globalThis as { gc?: () => void }).gc?.();
  // Parsing is synchronous, so no timer can sample during it: the process's peak RSS (maxRSS) after the
  // parse, minus the RSS before it, bounds the parse's own peak (0 if an earlier step peaked higher).
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const m = reader.parse(bytes, basename(name));
  const seconds = (performance.now() - start) / 1000;
  const peak = Math.max(rssBefore, process.resourceUsage().maxRSS * 1024);
  let decoded = 0;
  for (const v of Object.values(m.channels)) decoded += v!.byteLength;
  for (const c of m.original) decoded += Array.isArray(c.values) ? c.values.length * 16 : c.values.byteLength;
  const result = {
    rows: m.rows,
    mb: bytes.length / 1e6,
    seconds,
    rowsPerSecond: m.rows / seconds,
    mbPerSecond: bytes.length / 1e6 / seconds,
    peakMemoryMb: (peak - rssBefore) / 1e6,
    decodedMb: decoded / 1e6,
  };
  console.log(
    `${id}: ${result.rows} rows, ${result.mb.toFixed(1)} MB in ${seconds.toFixed(2)} s → ` +
      `${(result.rowsPerSecond / 1e6).toFixed(2)} M rows/s, ${result.mbPerSecond.toFixed(1)} MB/s, ` +
      `peak +${result.peakMemoryMb.toFixed(0)} MB RSS for ${result.decodedMb.toFixed(0)} MB of decoded arrays`,
  );
  return result;
}

// Smallest first, so the larger run's peak is not hidden by an earlier one.
const nova = measure('autolab-txt', 'bench.txt', novaCv(1_000_000));
const gamry = measure('gamry-dta', 'bench.DTA', gamryChronoa(1_000_000));
console.log(`BENCH ${JSON.stringify({ gamry_dta_1M: gamry, autolab_txt_1M: nova })}`);
