/**
 * PalmSens PSTrace sessions (.pssession): UTF-16 JSON (often with a BOM and a stray character after the
 * closing brace) holding `Measurements`, each with a `Method` text, a `TimeStamp` (.NET ticks) and a
 * `DataSet` whose `Values` are data arrays: `{ Type, ArrayType, Description, Unit: { Type, S, Q },
 * DataValues: [{ V }] }`. ArrayType 0 time, 1 potential, 2 current, 3 charge, 5 frequency, 6 phase,
 * 7 Z', 8 Z'', 10 |Z|. The unit's Type carries the prefix ("PalmSens.Units.MicroAmpere" with S "A"
 * means the values are µA). PSTrace stores the imaginary part and the phase negated (Q "-Z''",
 * "-Phase"); they are negated back so z_imag_ohm is negative for capacitive behaviour.
 * A CV stores one potential/current pair per scan: the scans are joined with a `cycle` channel.
 * Implemented from public descriptions of the format (no permissively licensed real file was available)
 * and tested on files generated in that layout.
 */
import type { FormatReader, Measurement, OriginalColumn, ParseOptions } from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { type Channels, completeImpedance, fail, isoLocal } from './shared';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PSTrace versions differ in key case ("DataSet" vs "dataset"): look keys up case-insensitively. */
function get(object: JsonObject, key: string): Json | undefined {
  if (key in object) return object[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(object)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const PREFIXES: [string, number][] = [
  ['Femto', 1e-15],
  ['Pico', 1e-12],
  ['Nano', 1e-9],
  ['Micro', 1e-6],
  ['Milli', 1e-3],
  ['Kilo', 1e3],
  ['Mega', 1e6],
  ['Giga', 1e9],
];

interface DataArray {
  arrayType: number;
  description: string;
  unitSymbol: string;
  quantity: string;
  factor: number;
  values: Float64Array;
}

const CHANNEL_BY_ARRAY_TYPE: Record<number, keyof Channels> = {
  0: 'time_s',
  1: 'voltage_V',
  2: 'current_A',
  3: 'charge_C',
  5: 'frequency_Hz',
  6: 'z_phase_deg',
  7: 'z_real_ohm',
  8: 'z_imag_ohm',
  10: 'z_mod_ohm',
};

const TYPE_NAMES: [RegExp, number][] = [
  [/DataArrayTime$/, 0],
  [/DataArrayPotentials$/, 1],
  [/DataArrayCurrents$/, 2],
  [/DataArrayCharge$/, 3],
];

function decodeUtf16(bytes: Uint8Array): string {
  const bigEndian = bytes[0] === 0xfe && bytes[1] === 0xff;
  const littleNoBom =
    !bigEndian && !(bytes[0] === 0xff && bytes[1] === 0xfe) && bytes[1] === 0 && bytes[0] !== 0;
  const encoding = bigEndian ? 'utf-16be' : littleNoBom || bytes[0] === 0xff ? 'utf-16le' : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}

function readArray(raw: JsonObject, fileName: string, where: string): DataArray {
  const unit = get(raw, 'Unit');
  const unitObject = isObject(unit) ? unit : {};
  const unitType = String(get(unitObject, 'Type') ?? '');
  const prefix = PREFIXES.find(([p]) => unitType.includes(`.${p}`));
  const typeName = String(get(raw, 'Type') ?? '');
  const declared = get(raw, 'ArrayType');
  const arrayType =
    typeof declared === 'number'
      ? declared
      : (TYPE_NAMES.find(([pattern]) => pattern.test(typeName))?.[1] ?? -1);
  const valuesJson = get(raw, 'DataValues');
  if (!Array.isArray(valuesJson))
    fail('malformed', `data array ${where} has no DataValues list`, fileName, where);
  const values = new Float64Array(valuesJson.length);
  valuesJson.forEach((item, i) => {
    const v = isObject(item) ? get(item, 'V') : item;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail('malformed', `data array ${where} value ${i + 1} is not a number`, fileName, where);
    }
    values[i] = v;
  });
  return {
    arrayType,
    description: String(get(raw, 'Description') ?? ''),
    unitSymbol: String(get(unitObject, 'S') ?? ''),
    quantity: String(get(unitObject, 'Q') ?? ''),
    factor: prefix ? prefix[1] : 1,
    values,
  };
}

/** The method's technique: METHOD_ID=cv → "CV"; else PSTrace's TECHNIQUE number. */
function techniqueOf(method: string): string | undefined {
  const id = /METHOD_ID\s*=\s*([A-Za-z0-9_]+)/i.exec(method)?.[1];
  if (id) return id.toUpperCase();
  const number = /TECHNIQUE\s*=\s*(\d+)/i.exec(method)?.[1];
  const names: Record<string, string> = {
    '0': 'LSV',
    '1': 'DPV',
    '2': 'SWV',
    '3': 'NPV',
    '5': 'CV',
    '7': 'CA',
    '14': 'EIS',
  };
  return number ? names[number] : undefined;
}

/** .NET ticks (100 ns since 0001-01-01, local clock) → local ISO time. */
function ticksToIso(ticks: number): string | undefined {
  if (!(ticks > 0)) return undefined;
  const ms = (ticks - 621_355_968_000_000_000) / 10_000;
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) return undefined;
  return isoLocal(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  );
}

function parseSession(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  let text = decodeUtf16(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // PSTrace appends a stray character after the JSON: cut at the last closing brace.
  const end = text.lastIndexOf('}');
  if (end < 0) fail('truncated', 'the session JSON never closes; the file looks cut short', fileName);
  let root: Json;
  try {
    root = JSON.parse(text.slice(0, end + 1)) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('malformed', `the session is not valid JSON (${reason}); is the file complete?`, fileName);
  }
  guard.check(0.5);
  if (!isObject(root)) return fail('malformed', 'the session JSON is not an object', fileName);
  const measurements = get(root, 'Measurements');
  if (!Array.isArray(measurements) || measurements.length === 0) {
    return fail('malformed', 'the session holds no Measurements', fileName);
  }
  const index = measurements.findIndex((m) => {
    const dataSet = isObject(m) ? get(m, 'DataSet') : undefined;
    const values = isObject(dataSet) ? get(dataSet, 'Values') : undefined;
    return Array.isArray(values) && values.length > 0;
  });
  if (index < 0) return fail('malformed', 'no measurement in the session has data', fileName);
  const measurement = measurements[index] as JsonObject;
  const dataSet = get(measurement, 'DataSet') as JsonObject;
  const rawArrays = get(dataSet, 'Values') as Json[];
  const arrays = rawArrays.map((raw, i) => {
    if (!isObject(raw)) fail('malformed', `DataSet value ${i + 1} is not an object`, fileName);
    return readArray(raw, fileName, `DataSet.Values[${i}]`);
  });
  const warnings: string[] = [];
  if (measurements.length > 1) {
    warnings.push(
      `the session holds ${measurements.length} measurements; this is measurement ${index + 1} ("${String(get(measurement, 'Title') ?? '')}")`,
    );
  }
  const { channels, original } = assemble(arrays, warnings, fileName);
  const method = String(get(measurement, 'Method') ?? get(root, 'MethodForMeasurement') ?? '');
  const technique = techniqueOf(method);
  const isEis = Boolean(channels.frequency_Hz);
  if (isEis) completeImpedance(channels);
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(measurement)) {
    if (typeof value === 'string' || typeof value === 'number') extra[key] = String(value);
  }
  const metadata: Measurement['metadata'] = { extra, instrument: 'PalmSens' };
  const serial = get(measurement, 'DeviceSerial');
  if (typeof serial === 'string' && serial) metadata.serialNumber = serial;
  const core = get(root, 'CoreVersion');
  if (typeof core === 'string') metadata.softwareVersion = `PalmSens core ${core}`;
  const ticks = get(measurement, 'TimeStamp');
  const start = typeof ticks === 'number' ? ticksToIso(ticks) : undefined;
  if (start) metadata.startTime = start;
  const draft = { format: 'palmsens-pssession', fileName, channels, original, metadata, warnings };
  const withTechnique = technique ? { ...draft, technique } : draft;
  return finishMeasurement(isEis ? { ...withTechnique, kind: 'eis' } : withTechnique);
}

/**
 * Builds channels from the arrays. A CV stores one potential array and one current array per scan: when
 * there are several of both, in equal number, each array type with one array per scan is joined in scan
 * order and a cycle channel says which scan a row came from. Otherwise every array as long as the data
 * (the most common length) is a column, the first of each type giving the channel. Arrays that line up
 * with neither are reported and left out rather than padded or guessed.
 */
function assemble(
  arrays: DataArray[],
  warnings: string[],
  fileName: string,
): { channels: Channels; original: OriginalColumn[] } {
  const byType = new Map<number, DataArray[]>();
  for (const array of arrays) byType.set(array.arrayType, [...(byType.get(array.arrayType) ?? []), array]);
  const potentialsPerScan = byType.get(1) ?? [];
  const currentsPerScan = byType.get(2) ?? [];
  const scans =
    potentialsPerScan.length > 1 && potentialsPerScan.length === currentsPerScan.length
      ? potentialsPerScan.length
      : 1;
  const scanLengths = scans > 1 ? potentialsPerScan.map((a) => a.values.length) : [];
  const rows = scans > 1 ? scanLengths.reduce((n, length) => n + length, 0) : mostCommonLength(arrays);
  if (rows <= 0) fail('malformed', 'the data set has no values', fileName);

  const columns: { array: DataArray; values: Float64Array }[] = [];
  for (const [, list] of byType) {
    const joinable =
      scans > 1 && list.length === scans && list.every((a, scan) => a.values.length === scanLengths[scan]);
    if (joinable) {
      const values = new Float64Array(rows);
      let offset = 0;
      for (const a of list) {
        values.set(a.values, offset);
        offset += a.values.length;
      }
      columns.push({ array: list[0]!, values });
      continue;
    }
    for (const array of list) {
      if (array.values.length === rows) columns.push({ array, values: array.values });
      else {
        warnings.push(
          `array "${array.description}" (${array.values.length} values) does not line up with the ${rows} data rows and was left out`,
        );
      }
    }
  }
  const channels: Channels = {};
  const original: OriginalColumn[] = [];
  for (const { array, values } of columns) {
    const unit = `${PREFIXES.find(([, f]) => f === array.factor)?.[0] ?? ''}${array.unitSymbol}`;
    original.push({ name: array.description || `array type ${array.arrayType}`, unit, values });
    const channel = CHANNEL_BY_ARRAY_TYPE[array.arrayType];
    if (!channel || channels[channel]) continue;
    const negate =
      array.quantity.trim().startsWith('-') && (channel === 'z_imag_ohm' || channel === 'z_phase_deg');
    const factor = channel === 'z_phase_deg' || channel === 'frequency_Hz' ? 1 : array.factor;
    channels[channel] = values.map((v) => (negate ? -v * factor : v * factor));
  }
  if (scans > 1) {
    const cycle = new Float64Array(rows);
    let offset = 0;
    scanLengths.forEach((length, scan) => {
      cycle.fill(scan + 1, offset, offset + length);
      offset += length;
    });
    channels.cycle = cycle;
    original.push({ name: 'scan', unit: '', values: Float64Array.from(cycle) });
  }
  return { channels, original };
}

function mostCommonLength(arrays: DataArray[]): number {
  const counts = new Map<number, number>();
  for (const a of arrays)
    if (a.values.length > 0) counts.set(a.values.length, (counts.get(a.values.length) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [length, count] of counts) {
    if (count > bestCount || (count === bestCount && length > best)) [best, bestCount] = [length, count];
  }
  return best;
}

export const palmsensReader: FormatReader = {
  id: 'palmsens-pssession',
  label: 'PalmSens PSTrace session (.pssession)',
  extensions: ['pssession'],
  sniff(head) {
    const little = (head[0] === 0xff && head[1] === 0xfe) || (head[0] !== 0 && head[1] === 0);
    const big = (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0 && head[1] !== 0);
    if (!little && !big) return 0;
    const text = new TextDecoder(big ? 'utf-16be' : 'utf-16le').decode(
      head.subarray(0, 8192 - (head.length % 2)),
    );
    if (!/^\uFEFF?\s*\{/.test(text)) return 0;
    return /PalmSens|"Measurements"|"MethodForMeasurement"/i.test(text) ? 0.95 : 0.2;
  },
  parse: parseSession,
};
