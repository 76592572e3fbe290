/**
 * Princeton Applied Research (AMETEK) exports:
 * - PowerSuite text: a tab-separated "Frequency / Zre / Zimg" table.
 * - Parstat text: "Potential (V) / Current (A) / Elapsed Time (s) / Frequency (Hz) / Zre (ohms) / Zim (ohms)…",
 *   whose first rows are often a DC hold (Frequency 0) before the impedance sweep.
 * - VersaStudio .par: XML-like sections (<Application>, <Instrument>, <Action1>, <Segment1>…) of `key=value`
 *   lines; each <SegmentN> has a `Definition=` column list and comma-separated rows.
 * All three write the imaginary part with its physical sign (negative = capacitive).
 * When a file mixes DC rows (frequency 0) and an impedance sweep, the measurement is the sweep and the DC
 * rows are reported in a warning, as impedance.py and the instrument software's EIS view do.
 */
import type {
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
  TechniqueKind,
} from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { headText, type LineMark, looksLikeText, splitLines, TextLines } from '../text';
import {
  type Channels,
  completeImpedance,
  fail,
  filterRows,
  isoLocal,
  monthFromName,
  parseClock,
  requireFinite,
  scaled,
  siFactor,
  splitNameUnit,
} from './shared';
import { readRows, splitAt, TableBuilder, tabularDecimalComma } from './table';

/** Maps columns to channels with `pick(name) → channel`, scaling by the unit written in the header. */
function mapChannels(
  original: OriginalColumn[],
  pick: (name: string, unit: string) => keyof Channels | undefined,
): Channels {
  const channels: Channels = {};
  for (const column of original) {
    const channel = pick(column.name, column.unit);
    if (!channel || channels[channel] || !(column.values instanceof Float64Array)) continue;
    const factor =
      channel === 'frequency_Hz' || channel === 'z_phase_deg' ? 1 : (siFactor(column.unit)?.factor ?? 1);
    channels[channel] = scaled(column.values, factor);
  }
  return channels;
}

/** Keeps the impedance rows (frequency > 0) when a file also holds DC rows; says how many were set aside. */
function impedanceRows(
  channels: Channels,
  original: OriginalColumn[],
  rows: number,
  warnings: string[],
): { channels: Channels; original: OriginalColumn[]; kind: TechniqueKind | undefined } {
  const frequency = channels.frequency_Hz;
  if (!frequency) return { channels, original, kind: undefined };
  let ac = 0;
  for (const f of frequency) if (f > 0) ac++;
  if (ac === 0) {
    delete channels.frequency_Hz;
    delete channels.z_real_ohm;
    delete channels.z_imag_ohm;
    return { channels, original, kind: undefined };
  }
  if (ac < rows) {
    warnings.push(
      `${rows - ac} DC rows (frequency 0, before or between sweeps) were set aside; the measurement is the ${ac}-point impedance sweep`,
    );
    const kept = filterRows(channels, original, (i) => frequency[i]! > 0, rows);
    return { ...kept, kind: 'eis' };
  }
  return { channels, original, kind: 'eis' };
}

function finishEis(
  format: string,
  fileName: string,
  technique: string | undefined,
  channels: Channels,
  original: OriginalColumn[],
  rows: number,
  metadata: Measurement['metadata'],
): Measurement {
  const warnings: string[] = [];
  const picked = impedanceRows(channels, original, rows, warnings);
  if (picked.kind === 'eis') completeImpedance(picked.channels);
  requireFinite(picked.channels, fileName);
  const draft = {
    format,
    fileName,
    channels: picked.channels,
    original: picked.original,
    metadata,
    warnings,
  };
  const withTechnique = technique ? { ...draft, technique } : draft;
  return finishMeasurement(picked.kind ? { ...withTechnique, kind: picked.kind } : withTechnique);
}

// ---------- PowerSuite ----------

const POWERSUITE_HEADER = /^\s*Frequency\s*\t\s*Zre\s*\t\s*Zimg?\b/i;

function parsePowerSuite(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const headerLine = lines.find((l) => POWERSUITE_HEADER.test(l));
  if (headerLine === undefined) fail('malformed', 'no "Frequency  Zre  Zimg" column line', fileName);
  const header = lines.number - 1;
  const names = headerLine
    .split('\t')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const units = names.map((n) => (/^freq/i.test(n) ? 'Hz' : /^z/i.test(n) ? 'Ω' : ''));
  const table = new TableBuilder(names, units, tabularDecimalComma(lines, '\t'), lines.countAhead());
  readRows(lines, table, splitAt('\t'), fileName, guard);
  const original = table.columns();
  const channels = mapChannels(original, (name) =>
    /^freq/i.test(name)
      ? 'frequency_Hz'
      : /^zre/i.test(name)
        ? 'z_real_ohm'
        : /^zim/i.test(name)
          ? 'z_imag_ohm'
          : undefined,
  );
  const extra: Record<string, string> = {};
  lines.head(header).forEach((l, i) => {
    if (l.trim()) extra[`header line ${i + 1}`] = l.trim();
  });
  return finishEis('powersuite-txt', fileName, 'EIS', channels, original, table.rows, { extra });
}

export const powerSuiteReader: FormatReader = {
  id: 'powersuite-txt',
  label: 'Princeton Applied Research PowerSuite text (.txt)',
  extensions: ['txt'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 2048)).filter((l) => l.trim() !== '');
    return lines.slice(0, 5).some((l) => POWERSUITE_HEADER.test(l)) ? 0.8 : 0;
  },
  parse: parsePowerSuite,
};

// ---------- Parstat ----------

function parstatChannel(name: string, unit: string): keyof Channels | undefined {
  const n = name.toLowerCase();
  if (n === 'frequency') return 'frequency_Hz';
  if (n === 'zre') return 'z_real_ohm';
  if (n === 'zim') return 'z_imag_ohm';
  if (n === 'elapsed time' || n === 'time') return siFactor(unit)?.base === 's' ? 'time_s' : undefined;
  if (n === 'potential' || n === 'e') return 'voltage_V';
  if (n === 'current' || n === 'i') return 'current_A';
  return undefined;
}

function isParstatHeader(line: string): boolean {
  return /Zre \(ohms?\)/i.test(line) && /Zim \(ohms?\)/i.test(line) && /Frequency \(Hz\)/i.test(line);
}

function parseParstat(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const headerLine = lines.find(isParstatHeader);
  if (headerLine === undefined)
    fail('malformed', 'no column line with "Frequency (Hz)", "Zre (ohms)" and "Zim (ohms)"', fileName);
  const headers = headerLine
    .split('\t')
    .filter((s) => s.trim().length > 0)
    .map(splitNameUnit);
  const table = new TableBuilder(
    headers.map((h) => h.name),
    headers.map((h) => h.unit),
    tabularDecimalComma(lines, '\t'),
    lines.countAhead(),
  );
  readRows(lines, table, splitAt('\t'), fileName, guard);
  const original = table.columns();
  const channels = mapChannels(original, parstatChannel);
  return finishEis('parstat-txt', fileName, undefined, channels, original, table.rows, { extra: {} });
}

export const parstatReader: FormatReader = {
  id: 'parstat-txt',
  label: 'Princeton Applied Research Parstat text (.txt)',
  extensions: ['txt'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 2048)).slice(0, 5);
    return lines.some(isParstatHeader) ? 0.85 : 0;
  },
  parse: parseParstat,
};

// ---------- VersaStudio .par ----------

interface ParSection {
  name: string;
  /** Index of the section's first line, and where that line starts in the file. */
  start: number;
  at: LineMark;
  /** Index of its closing line, or -1 when the file ends first. */
  end: number;
}

/** The <Name> … </Name> sections, found in one pass over the lines (the cursor is left at the end). */
function sections(lines: TextLines): ParSection[] {
  const out: ParSection[] = [];
  let open: { name: string; start: number; at: LineMark } | undefined;
  for (let raw = lines.next(); raw !== undefined; raw = lines.next()) {
    const line = raw.trim();
    const opening = /^<([A-Za-z][\w]*)>$/.exec(line);
    if (opening && !open) {
      open = { name: opening[1]!, start: lines.number, at: lines.mark() };
      continue;
    }
    if (open && line === `</${open.name}>`) {
      out.push({ ...open, end: lines.number - 1 });
      open = undefined;
    }
  }
  if (open) out.push({ ...open, end: -1 });
  return out;
}

/** The lines of a section from its start up to line index `end` (exclusive), read again from the file. */
function* sectionLines(lines: TextLines, section: ParSection, end: number): Generator<string> {
  lines.reset(section.at);
  while (lines.number < end) {
    const line = lines.next();
    if (line === undefined) return;
    yield line;
  }
}

function versaChannel(name: string): keyof Channels | undefined {
  switch (name) {
    case 'E(V)':
      return 'voltage_V';
    case 'I(A)':
      return 'current_A';
    case 'Elapsed Time(s)':
      return 'time_s';
    case 'Frequency(Hz)':
      return 'frequency_Hz';
    case 'Z Real':
      return 'z_real_ohm';
    case 'Z Imag':
      return 'z_imag_ohm';
    case 'E Applied(V)':
      return 'control_V';
    case 'Segment #':
      return 'step';
    default:
      return undefined;
  }
}

function parseVersaStudio(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const lines = new TextLines(bytes);
  const all = sections(lines);
  const segments = all.filter((s) => /^Segment\d+$/.test(s.name));
  if (segments.length === 0) fail('malformed', 'the .par file has no <Segment> data block', fileName);
  const extra: Record<string, string> = {};
  for (const section of all.filter((s) => !/^Segment\d+$/.test(s.name))) {
    const end = section.end < 0 ? Number.POSITIVE_INFINITY : section.end;
    for (const line of sectionLines(lines, section, end)) {
      const eq = line.indexOf('=');
      if (eq > 0) extra[`${section.name}.${line.slice(0, eq)}`] = line.slice(eq + 1);
    }
  }
  let table: TableBuilder | undefined;
  let definition = '';
  for (const segment of segments) {
    if (segment.end < 0)
      fail('truncated', `<${segment.name}> is not closed; the file looks cut short`, fileName);
    let def: string | undefined;
    for (const line of sectionLines(lines, segment, segment.end)) {
      if (line.startsWith('Definition=')) {
        def = line.slice('Definition='.length);
        break;
      }
    }
    if (def === undefined) fail('malformed', `<${segment.name}> has no Definition= column list`, fileName);
    const defIndex = lines.number - 1;
    if (!table) {
      definition = def;
      const names = def.split(',').map((s) => s.trim());
      // VersaStudio ends the list with a placeholder "0" that has no data column.
      if (names[names.length - 1] === '0') names.pop();
      table = new TableBuilder(
        names,
        names.map((n) => splitNameUnit(n).unit || (/^Z2? (Real|Imag)$/.test(n) ? 'Ω' : '')),
        false,
        lines.countAhead(),
      );
    } else if (def !== definition) {
      fail('unsupported', `<${segment.name}> has different columns from the first segment`, fileName);
    }
    for (const line of sectionLines(lines, segment, defIndex)) {
      const [key, value] = line.split('=');
      if (key && value !== undefined) extra[`${segment.name}.${key}`] = value;
    }
    lines.next(); // the Definition= line
    readRows(lines, table, splitAt(','), fileName, guard, segment.end);
  }
  const built = table!;
  const original = built.columns();
  const channels = mapChannels(original, (name) => versaChannel(name));
  const metadata: Measurement['metadata'] = { extra };
  if (extra['Instrument.Type'])
    metadata.instrument = `Princeton Applied Research ${extra['Instrument.Type']}`;
  if (extra['Instrument.SN']) metadata.serialNumber = extra['Instrument.SN'];
  if (extra['Application.Version']) {
    metadata.softwareVersion = `${extra['Application.Name'] ?? 'VersaStudio'} ${extra['Application.Version']}`;
  }
  const area = Number(extra['Action0.Working Electrode Area (cm2)']);
  if (Number.isFinite(area) && area > 0) metadata.area_m2 = area * 1e-4;
  const start = versaDate(extra['Experiment.DateAcquired'], extra['Experiment.TimeAcquired']);
  if (start) metadata.startTime = start;
  const technique = extra['Action1.Name'];
  return finishEis('versastudio-par', fileName, technique, channels, original, built.rows, metadata);
}

/** "Thursday, July 19, 2018" + "9:40:30 AM" → "2018-07-19T09:40:30". */
function versaDate(date: string | undefined, time: string | undefined): string | undefined {
  const match = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(date ?? '');
  if (!match) return undefined;
  const clock = parseClock(time ?? '') ?? [0, 0, 0];
  return isoLocal(Number(match[3]), monthFromName(match[1]!), Number(match[2]), ...clock);
}

export const versaStudioReader: FormatReader = {
  id: 'versastudio-par',
  label: 'Princeton Applied Research VersaStudio (.par)',
  extensions: ['par'],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const text = headText(head, 16384);
    if (!/^\s*<Application>/.test(text)) return 0;
    if (/Name=VersaStudio/.test(text) || /<Segment\d+>/.test(text)) return 0.95;
    return 0.5;
  },
  parse: parseVersaStudio,
};
