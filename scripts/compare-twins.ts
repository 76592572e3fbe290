/**
 * Compares BioLogic `.mpr` files with the `.mpt` text export of the same run (same name, other
 * extension): rows, technique, every canonical channel both have, and every numeric file column both
 * name the same. Differences are relative to the channel's largest magnitude (the text export prints
 * 7–8 significant digits, so a tiny value's own relative error says nothing). No twin pair is in
 * ../shared/data; public pairs (e.g. yadg's tests/test_x_eclab, GPL-licensed, so not copied into this
 * repository) can be checked by pointing this at their folder. Exit code 1 when a pair disagrees.
 *
 * Run: npx tsx scripts/compare-twins.ts FOLDER [--json]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ElyteError } from '../app/errors';
import { biologicMprReader } from '../app/formats/biologic/mpr';
import { biologicMptReader } from '../app/formats/biologic/mpt';
import type { Measurement, NumericColumn } from '../app/measurement';

/** Largest difference tolerated, as a fraction of the channel's largest magnitude. */
const TOLERANCE = 2e-6;

interface Difference {
  name: string;
  /** max |a − b| / max |a| over the rows (NaN in both counts as equal). */
  relative: number;
  worstRow: number;
}

interface TwinReport {
  pair: string;
  rows: [number, number];
  technique: [string, string];
  channels: Difference[];
  columns: Difference[];
  /** Technique parameters ("param …" in metadata) whose values differ, as "name: .mpr ≠ .mpt". */
  parameters: string[];
  parametersCompared: number;
  /** Parameters the .mpr shows as a code where the export prints a word, or a value it leaves blank. */
  parametersAsCodes: string[];
  /** Parameters the export prints that the .mpr's parameter block does not hold. */
  parametersMissing: string[];
  onlyInMpr: string[];
  onlyInMpt: string[];
  agree: boolean;
  note?: string;
}

function difference(
  name: string,
  a: NumericColumn,
  b: NumericColumn,
  skip: (exported: number) => boolean = () => false,
): Difference {
  let scale = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) scale = Math.max(scale, Math.abs(a[i]!));
  let relative = 0;
  let worstRow = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((Number.isNaN(x) && Number.isNaN(y)) || skip(y)) continue;
    const d = x === y ? 0 : Math.abs(x - y) / Math.max(scale, Number.MIN_VALUE);
    if (!(d <= relative)) {
      relative = d;
      worstRow = i;
    }
  }
  return { name, relative, worstRow };
}

/**
 * The export writes −1 (THD, NSD, NSR) or 0 (harmonic amplitudes) where EC-Lab hides these distortion
 * figures (the first frequencies of each sweep), while the .mpr keeps the measured values: those rows
 * are not compared.
 */
const DISTORTION = /^(THD|NSD|NSR) |^\|(Ewe|I|Ece) h\d\|/;
const hiddenDistortion = (exported: number): boolean => exported === -1 || exported === 0;

function sameNamedColumns(mpr: Measurement, mpt: Measurement): Difference[] {
  const out: Difference[] = [];
  for (const column of mpr.original) {
    const twin = mpt.original.find((c) => c.name === column.name);
    if (!twin || Array.isArray(column.values) || Array.isArray(twin.values)) continue;
    const skip = DISTORTION.test(column.name) ? hiddenDistortion : undefined;
    out.push(difference(column.name, column.values, twin.values, skip));
  }
  return out;
}

function read(folder: string, stem: string, ext: string): Measurement | ElyteError {
  try {
    const reader = ext === 'mpr' ? biologicMprReader : biologicMptReader;
    return reader.parse(new Uint8Array(readFileSync(join(folder, `${stem}.${ext}`))), `${stem}.${ext}`);
  } catch (error) {
    if (error instanceof ElyteError) return error;
    throw error;
  }
}

function compare(folder: string, stem: string): TwinReport {
  const mpr = read(folder, stem, 'mpr');
  const mpt = read(folder, stem, 'mpt');
  const report: TwinReport = {
    pair: stem,
    rows: [0, 0],
    technique: ['', ''],
    channels: [],
    columns: [],
    parameters: [],
    parametersCompared: 0,
    parametersAsCodes: [],
    parametersMissing: [],
    onlyInMpr: [],
    onlyInMpt: [],
    agree: false,
  };
  if (mpr instanceof ElyteError || mpt instanceof ElyteError) {
    const messages = [mpr, mpt].map((m) => (m instanceof ElyteError ? m.message : 'read'));
    // Both refusing an empty run for the same reason is agreement too.
    report.agree = messages.every((m) => /no data rows/.test(m));
    report.note = `.mpr: ${messages[0]}; .mpt: ${messages[1]}`;
    return report;
  }
  report.rows = [mpr.rows, mpt.rows];
  report.technique = [mpr.technique, mpt.technique];
  const names = (m: Measurement) => Object.keys(m.channels) as (keyof Measurement['channels'])[];
  report.onlyInMpr = names(mpr).filter((k) => !mpt.channels[k]);
  report.onlyInMpt = names(mpt).filter((k) => !mpr.channels[k]);
  if (mpr.rows === mpt.rows) {
    for (const name of names(mpr)) {
      const other = mpt.channels[name];
      if (other) report.channels.push(difference(name, mpr.channels[name]!, other));
    }
    report.columns = sameNamedColumns(mpr, mpt);
  }
  compareParameters(mpr, mpt, report);
  // An export without its header block (only the column line) names no technique: nothing to compare.
  const mptNamesTechnique = Object.keys(mpt.metadata.extra).length > 0;
  if (!mptNamesTechnique) report.note = 'the .mpt has no header block, so it names no technique';
  report.agree =
    mpr.rows === mpt.rows &&
    (mpr.technique === mpt.technique || !mptNamesTechnique) &&
    [...report.channels, ...report.columns].every((d) => d.relative <= TOLERANCE) &&
    report.parameters.length === 0;
  return report;
}

/** A printed parameter as a number ("130.000", "3,00", "0.241"), or NaN for words and durations. */
function parameterNumber(text: string): number {
  return /^-?\d+([.,]\d+)?(E[-+]?\d+)?$/i.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
}

/**
 * 'same': numbers to the printed precision (≥ 3 decimals) or equal text; 'code': ours is a bare code
 * where the export prints a word or leaves the cell empty (a label we do not know, not a wrong value);
 * 'different' otherwise.
 */
function compareParameter(ours: string, printed: string): 'same' | 'code' | 'different' {
  const a = parameterNumber(ours);
  const b = parameterNumber(printed);
  if (!Number.isNaN(a) && !Number.isNaN(b)) {
    return Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b)) ? 'same' : 'different';
  }
  // Exports in decimal-comma locales print durations as "0:00:10,0000".
  if (ours === printed.replace(/(\d),(\d)/g, '$1.$2')) return 'same';
  // Modulo Bat exports leave the cells of fields a sequence does not use empty.
  if (printed === '') return 'code';
  return /^\d+$/.test(ours) && Number.isNaN(b) ? 'code' : 'different';
}

function compareParameters(mpr: Measurement, mpt: Measurement, report: TwinReport): void {
  for (const [key, printed] of Object.entries(mpt.metadata.extra)) {
    if (!key.startsWith('param ')) continue;
    const ours = mpr.metadata.extra[key];
    const name = key.slice(6);
    if (ours === undefined) {
      report.parametersMissing.push(name);
      continue;
    }
    report.parametersCompared++;
    const a = ours.split(' | ');
    // The export drops trailing empty cells of a row.
    const b = printed.split(' | ');
    while (b.length < a.length) b.push('');
    const verdicts =
      a.length === b.length ? a.map((value, i) => compareParameter(value, b[i]!)) : ['different'];
    if (verdicts.includes('different')) report.parameters.push(`${name}: ${ours} ≠ ${printed}`);
    else if (verdicts.includes('code')) report.parametersAsCodes.push(name);
  }
}

function main(): void {
  const folder = process.argv[2];
  if (!folder || !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: npx tsx scripts/compare-twins.ts FOLDER [--json]');
    process.exit(2);
  }
  const names = readdirSync(folder);
  const stems = names
    .filter((n) => n.endsWith('.mpr'))
    .map((n) => n.slice(0, -4))
    .filter((stem) => names.includes(`${stem}.mpt`) && statSync(join(folder, `${stem}.mpt`)).size > 0)
    .sort();
  const reports = stems.map((stem) => compare(folder, stem));
  if (process.argv.includes('--json')) console.log(JSON.stringify(reports, null, 2));
  else {
    for (const r of reports) {
      const all = [...r.channels, ...r.columns];
      const worst = all.reduce((m, d) => Math.max(m, d.relative), 0);
      const bad = all
        .filter((d) => d.relative > TOLERANCE)
        .map((d) => `${d.name} ${d.relative.toExponential(1)}@${d.worstRow}`);
      const parts = [
        `rows ${r.rows.join('/')}`,
        `technique ${r.technique.join('/')}`,
        `${r.channels.length} channels + ${r.columns.length} file columns compared, worst ${worst.toExponential(1)}`,
        `${r.parametersCompared - r.parameters.length}/${r.parametersCompared} parameters agree`,
      ];
      if (r.parametersAsCodes.length) parts.push(`shown as codes: ${r.parametersAsCodes.join(', ')}`);
      if (r.parametersMissing.length) parts.push(`not in the .mpr: ${r.parametersMissing.join(', ')}`);
      if (r.parameters.length) parts.push(`parameters differ: ${r.parameters.join('; ')}`);
      if (bad.length) parts.push(`differ: ${bad.join(', ')}`);
      if (r.onlyInMpr.length) parts.push(`only .mpr: ${r.onlyInMpr.join(' ')}`);
      if (r.onlyInMpt.length) parts.push(`only .mpt: ${r.onlyInMpt.join(' ')}`);
      if (r.note) parts.push(r.note);
      console.log(`${r.agree ? 'agree ' : 'DIFFER'} ${r.pair}: ${parts.join('; ')}`);
    }
  }
  const agreeing = reports.filter((r) => r.agree).length;
  const summary = `${agreeing} of ${reports.length} pairs agree (tolerance ${TOLERANCE} of each channel's largest value)`;
  console.log(summary);
  process.exitCode = agreeing === reports.length ? 0 : 1;
}

main();
