/**
 * The text header of EC-Lab / BT-Lab files (.mpt data exports and .mpl logs): "key : value" lines,
 * the technique's long name, and the fixed-width parameter table ("Ns   0   1   2"). Everything is kept
 * in metadata.extra; the fields Elyte understands (area, mass, start time, device, software, channel)
 * are converted to SI.
 */
import type { MeasurementMetadata } from '../../measurement';
import { parseDecimal } from '../numbers';
import { type BiologicTechnique, techniqueFromLongName } from './techniques';

export interface HeaderInfo {
  technique: BiologicTechnique | undefined;
  /** The technique line as written, when one was found. */
  techniqueLine: string | undefined;
  metadata: MeasurementMetadata;
  warnings: string[];
}

/** Reads the header lines after the magic line (and, for .mpt, the "Nb header lines" line). */
export function readHeaderLines(lines: readonly string[]): HeaderInfo {
  const extra: Record<string, string> = {};
  const metadata: MeasurementMetadata = { extra };
  const warnings: string[] = [];
  let technique: BiologicTechnique | undefined;
  let techniqueLine: string | undefined;
  let parent = '';
  let previousParameter = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim().length === 0) continue;
    const known = technique ? undefined : techniqueFromLongName(line);
    if (known) {
      technique = known;
      techniqueLine = line.trim();
      continue;
    }
    const colon = line.indexOf(' : ');
    const indented = /^\s/.test(line);
    if (colon > 0 || line.endsWith(' :')) {
      const key = (colon > 0 ? line.slice(0, colon) : line.slice(0, -2)).trim();
      const value = colon > 0 ? line.slice(colon + 3).trim() : '';
      const fullKey = indented && parent ? `${parent} / ${key}` : key;
      if (!indented) parent = key;
      addExtra(extra, fullKey, value);
      interpret(metadata, key, value, warnings);
      continue;
    }
    // Lone lines: "Record Ece", "EC-Lab for windows v11.18 (software)", "Text export".
    const software = /^((?:EC|BT)-Lab)\s+for windows\s+v?([\w.]+)\s*\(software\)/i.exec(line.trim());
    if (software) {
      const product = software[1]!.toUpperCase().startsWith('BT') ? 'BT-Lab' : 'EC-Lab';
      metadata.softwareVersion = `${product} ${software[2]}`;
    }
    // Fixed-width parameter table: 20-character cells, the first (padded with 2+ spaces) the name.
    const firstCell = line.slice(0, 20);
    if (!software && !indented && line.length > 20 && /\s\s$/.test(firstCell)) {
      const cells: string[] = [];
      for (let at = 20; at < line.length; at += 20) cells.push(line.slice(at, at + 20).trim());
      // "vs." rows say what the row above is relative to: named after it ("E (V) vs.", "unit Is vs."),
      // as several may follow each other in one table.
      const name = firstCell.trim();
      const qualified = name === 'vs.' && previousParameter ? `${previousParameter} vs.` : name;
      previousParameter = name === 'vs.' ? previousParameter : name;
      addExtra(extra, `param ${qualified}`, cells.join(' | '));
      continue;
    }
    addExtra(extra, line.trim(), '');
  }
  return { technique, techniqueLine, metadata, warnings };
}

function addExtra(extra: Record<string, string>, key: string, value: string): void {
  // A header line must not be able to reach the object's prototype.
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
  const previous = extra[key];
  extra[key] = previous === undefined || previous === '' ? value : `${previous}\n${value}`;
}

/** Turns the fields Elyte knows into SI metadata. Unparseable values stay in extra with a warning. */
function interpret(metadata: MeasurementMetadata, key: string, value: string, warnings: string[]): void {
  const lower = key.toLowerCase();
  if (lower === 'electrode surface area') {
    const area = quantityWithUnit(value, AREA_UNITS);
    if (area !== undefined) {
      if (!isPlaceholder(value)) metadata.area_m2 = area;
    } else if (value) warnings.push(`electrode surface area "${value}" was not understood; kept as text`);
  } else if (lower === 'mass of active material') {
    const mass = quantityWithUnit(value, MASS_UNITS);
    if (mass !== undefined) {
      if (!isPlaceholder(value)) metadata.mass_kg = mass;
    } else if (value) warnings.push(`mass of active material "${value}" was not understood; kept as text`);
  } else if (lower === 'acquisition started on') {
    const iso = biologicDateToIso(value);
    if (iso) metadata.startTime = iso;
    else if (value) warnings.push(`start time "${value}" was not understood; kept as text`);
  } else if (lower === 'device') {
    const device = /^(.*?)\s*\(SN\s*([^)]*)\)\s*$/.exec(value);
    metadata.instrument = `BioLogic ${(device ? device[1]! : value).trim()}`;
    if (device?.[2]) metadata.serialNumber = device[2].trim();
  } else if (lower === 'run on channel') {
    const channel = /^(\S+)/.exec(value);
    if (channel) metadata.channel = channel[1]!;
  }
}

/** EC-Lab writes 0.001 (cm², mg, g) in fields nobody filled in: that means "not given". */
function isPlaceholder(value: string): boolean {
  return parseDecimal(value.trim().split(/\s+/)[0] ?? '') === 0.001;
}

const AREA_UNITS: Readonly<Record<string, number>> = {
  'cm²': 1e-4,
  cm2: 1e-4,
  'mm²': 1e-6,
  mm2: 1e-6,
  'm²': 1,
};
const MASS_UNITS: Readonly<Record<string, number>> = { mg: 1e-6, g: 1e-3, kg: 1, µg: 1e-9, ug: 1e-9 };

/** "1.539 cm²" → 1.539e-4 with AREA_UNITS; decimal comma accepted. */
function quantityWithUnit(value: string, units: Readonly<Record<string, number>>): number | undefined {
  const match = /^([-+]?[\d.,]+(?:[eE][-+]?\d+)?)\s*(\S+)\s*$/.exec(value.trim());
  if (!match) return undefined;
  const number = parseDecimal(match[1]!);
  const factor = units[match[2]!];
  if (!Number.isFinite(number) || factor === undefined) return undefined;
  return number * factor;
}

/**
 * EC-Lab writes "MM/DD/YYYY HH:MM:SS(.fff)" (US order whatever the locale, as the community readers
 * document). The instrument clock has no time zone, so the ISO string has none either.
 */
export function biologicDateToIso(value: string): string | undefined {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?/.exec(
    value.trim(),
  );
  if (!match) return undefined;
  const [, mm, dd, yy, hh, mi, ss, frac] = match;
  const month = Number(mm);
  const day = Number(dd);
  let year = Number(yy);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(hh) > 23) return undefined;
  const pad = (n: string | number, width = 2) => String(n).padStart(width, '0');
  // Sub-millisecond digits (EC-Lab writes up to 4) are kept: relative times are computed from them.
  const millis = frac ? `.${frac.length < 3 ? frac.padEnd(3, '0') : frac}` : '';
  return `${year}-${pad(month)}-${pad(day)}T${pad(hh!)}:${mi}:${ss}${millis}`;
}
