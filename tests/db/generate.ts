/**
 * Generated measurements with documented truth for the library tests, the crash child and the bench:
 * a galvanostatic cycling export written as tab-separated text (the "raw file"), and the Measurement
 * a reader would make of it (values = Number(text), current converted mA → A). A seed makes each
 * file's bytes (and so its SHA-256) different.
 */
import { seededRandom } from '../../app/eis/synthetic';
import type { Measurement } from '../../app/measurement';

export interface GeneratedFile {
  fileName: string;
  bytes: Uint8Array;
  measurement: Measurement;
}

/** Deterministic pseudo-random numbers in [0, 1): the app's mulberry32, under the name the tests use. */
export const random = seededRandom;

export function generateCycling(
  rows: number,
  seed = 1,
  fileName = `generated_${seed}_25C.txt`,
): GeneratedFile {
  const rand = random(seed);
  const time = new Float64Array(rows);
  const voltage = new Float64Array(rows);
  const currentmA = new Float64Array(rows);
  const current = new Float64Array(rows);
  const cycle = new Float64Array(rows);
  const lines: string[] = [`# generated cycling file, seed ${seed}`, 'time/s\tEwe/V\tI/mA\tcycle number'];
  const perCycle = Math.max(2, Math.floor(rows / 50));
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(i / perCycle);
    const charging = i % perCycle < perCycle / 2;
    const t = (i * 5 + seed) / 10; // 0.5 s steps, one decimal
    const v = (3.4 + (charging ? 0.1 : -0.1) * ((i % perCycle) / perCycle) + (rand() - 0.5) * 1e-3).toFixed(
      5,
    );
    const ima = ((charging ? 0.1 : -0.1) * (1 + (rand() - 0.5) * 1e-3)).toFixed(7);
    lines.push(`${t}\t${v}\t${ima}\t${c}`);
    time[i] = t;
    voltage[i] = Number(v);
    currentmA[i] = Number(ima);
    current[i] = Number(ima) / 1000;
    cycle[i] = c;
  }
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const t0 = time[0] ?? 0;
  const time_s = time.map((t) => t - t0);
  return {
    fileName,
    bytes,
    measurement: {
      format: 'generated-tsv',
      fileName,
      technique: 'GCPL',
      kind: 'galvanostatic',
      rows,
      channels: { time_s, voltage_V: voltage, current_A: current, cycle },
      original: [
        { name: 'time/s', unit: 's', values: time },
        { name: 'Ewe/V', unit: 'V', values: voltage },
        { name: 'I/mA', unit: 'mA', values: currentmA },
        { name: 'cycle number', unit: '', values: cycle },
      ],
      metadata: { extra: { generator: 'tests/db/generate.ts' }, area_m2: 2.01e-4, mass_kg: 2.0e-6 },
      warnings: [],
    },
  };
}

/**
 * The same measurement shape with a binary "raw file" (the little-endian channel arrays one after
 * another) instead of text: generates a million rows in a fraction of the time, for the crash and
 * concurrency tests where the file's content does not matter, only its size and uniqueness.
 */
export function generateCyclingBinary(rows: number, seed = 1): GeneratedFile {
  const rand = random(seed);
  const time = new Float64Array(rows);
  const voltage = new Float64Array(rows);
  const current = new Float64Array(rows);
  const cycle = new Float64Array(rows);
  const perCycle = Math.max(2, Math.floor(rows / 50));
  for (let i = 0; i < rows; i++) {
    const charging = i % perCycle < perCycle / 2;
    time[i] = i * 0.5;
    voltage[i] = 3.4 + (charging ? 0.1 : -0.1) * ((i % perCycle) / perCycle) + (rand() - 0.5) * 1e-3;
    current[i] = (charging ? 1e-4 : -1e-4) * (1 + (rand() - 0.5) * 1e-3);
    cycle[i] = Math.floor(i / perCycle);
  }
  const parts = [time, voltage, current, cycle].map((a) => new Uint8Array(a.buffer));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  const fileName = `generated_${seed}.bin`;
  return {
    fileName,
    bytes,
    measurement: {
      format: 'generated-bin',
      fileName,
      technique: 'GCPL',
      kind: 'galvanostatic',
      rows,
      channels: { time_s: time, voltage_V: voltage, current_A: current, cycle },
      original: [],
      metadata: { extra: {} },
      warnings: [],
    },
  };
}
