/**
 * BioLogic EC-Lab / BT-Lab binary data (.mpr): "BIO-LOGIC MODULAR FILE", then modules, each
 * "MODULE" + a header (short name, long name, length, version, date) + a body:
 * - "VMP Set": the settings (technique id, comments, active mass, electrode area…);
 * - "VMP data": row count, column ids, then fixed-size little-endian rows;
 * - "VMP LOG": channel, start time (OLE date), software version; "VMP loop": loop start indexes.
 * EC-Lab ≥ 11.50 (and BT-Lab) write a longer module header (marked by 0xFFFFFFFF) and a version-0
 * data module whose column ids are big-endian 16-bit numbers and whose rows start at byte 1007.
 */
import { ElyteError } from '../../errors';
import type {
  CanonicalChannel,
  FormatReader,
  Measurement,
  MeasurementMetadata,
  NumericColumn,
  OriginalColumn,
  ParseOptions,
} from '../../measurement';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import {
  asFloat64,
  type ChannelSource,
  currentFromIncrements,
  deriveEcLabChannels,
  planChannels,
  splitHeader,
} from './channels';
import { type ColumnSpec, DATA_COLUMNS, FLAG_COLUMNS, TYPE_BYTES } from './mpr-columns';
import { float32Text, readTechniqueParameters } from './mpr-parameters';
import { decodeRows, type RowColumn } from './mpr-rows';
import { type BiologicTechnique, isImpedanceTechnique, techniqueFromId } from './techniques';

const MAGIC = 'BIO-LOGIC MODULAR FILE\x1a';
const FIRST_MODULE = 0x34;
const MODULE_TAG = 'MODULE';
/** EC-Lab stores 0.001 in unset mass and area fields; that is "not given", not one microgram. */
const ECLAB_PLACEHOLDER = 0.001;

export const biologicMprReader: FormatReader = {
  id: 'biologic-mpr',
  label: 'BioLogic EC-Lab / BT-Lab binary (.mpr)',
  extensions: ['mpr'],
  sniff(head) {
    return latin1(head, 0, MAGIC.length) === MAGIC ? 1 : 0;
  },
  parse: parseMpr,
};

interface Module {
  shortName: string;
  longName: string;
  version: number;
  date: string;
  /** Body start (absolute byte offset) and length. */
  start: number;
  length: number;
  /** The EC-Lab ≥ 11.50 / BT-Lab header (a "max length" field before the length). */
  newHeader: boolean;
}

function latin1(bytes: Uint8Array, start: number, length: number): string {
  let text = '';
  const stop = Math.min(bytes.length, start + length);
  for (let i = start; i < stop; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function readModules(bytes: Uint8Array, fileName: string): Module[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const modules: Module[] = [];
  let at = FIRST_MODULE;
  while (at < bytes.length) {
    const where = `byte ${at}`;
    if (at + 6 + 51 > bytes.length) {
      throw new ElyteError('truncated', 'the file ends inside a module header; it looks truncated', {
        file: fileName,
        where,
      });
    }
    if (latin1(bytes, at, 6) !== MODULE_TAG) {
      throw new ElyteError('malformed', `expected the start of a module ("MODULE") here`, {
        file: fileName,
        where,
      });
    }
    const h = at + 6;
    const shortName = latin1(bytes, h, 10).trim();
    const longName = latin1(bytes, h + 10, 25)
      .replace(/\0/g, '')
      .trim();
    // EC-Lab ≥ 11.50: a "max length" of 0xFFFFFFFF precedes the real length, and 8 more bytes follow.
    const newLayout = view.getUint32(h + 35, true) === 0xffffffff;
    const headerSize = newLayout ? 59 : 51;
    if (h + headerSize > bytes.length) {
      throw new ElyteError('truncated', 'the file ends inside a module header; it looks truncated', {
        file: fileName,
        where,
      });
    }
    const length = view.getUint32(h + (newLayout ? 39 : 35), true);
    const version = view.getUint32(h + (newLayout ? 43 : 39), true);
    const date = latin1(bytes, h + (newLayout ? 51 : 43), 8);
    const start = h + headerSize;
    if (start + length > bytes.length) {
      throw new ElyteError(
        'truncated',
        `module "${shortName}" says it is ${length} bytes long but the file ends ${bytes.length - start} bytes ` +
          'after its header; the file looks truncated',
        { file: fileName, where },
      );
    }
    modules.push({ shortName, longName, version, date, start, length, newHeader: newLayout });
    at = start + length;
  }
  return modules;
}

interface ColumnLayout extends RowColumn {
  id: number;
  name: string;
}

function parseMpr(bytes: Uint8Array, fileName: string, options?: ParseOptions): Measurement {
  if (latin1(bytes, 0, MAGIC.length) !== MAGIC) {
    throw new ElyteError('malformed', 'it does not start with "BIO-LOGIC MODULAR FILE"', { file: fileName });
  }
  const guard = new ParseGuard(fileName, options);
  const modules = readModules(bytes, fileName);
  const warnings: string[] = [];
  const dataModules = modules.filter((m) => m.shortName === 'VMP data');
  const data = dataModules[0];
  if (!data) {
    throw new ElyteError(
      'malformed',
      `it has no "VMP data" module (modules: ${modules.map((m) => m.shortName).join(', ')})`,
      {
        file: fileName,
      },
    );
  }
  if (dataModules.length > 1)
    warnings.push(`the file has ${dataModules.length} data modules; only the first was read`);
  const settings = modules.find((m) => m.shortName === 'VMP Set');
  const log = modules.find((m) => m.shortName === 'VMP LOG');
  const loop = modules.find((m) => m.shortName === 'VMP loop');

  const metadata: MeasurementMetadata = { extra: {} };
  const technique = settings ? readSettings(bytes, settings, metadata, warnings) : undefined;
  if (log) readLog(bytes, log, metadata);
  // Without a LOG module the file does not say which instrument family wrote it, only the maker.
  else metadata.instrument = 'BioLogic';
  if (loop) readLoop(bytes, loop, metadata);
  metadata.extra.modules = modules.map((m) => `${m.shortName} v${m.version} (${m.date.trim()})`).join('; ');

  const { original, channels } = readData(bytes, data, fileName, guard, technique, warnings);
  const draft = { format: 'biologic-mpr', fileName, channels, original, metadata, warnings };
  return finishMeasurement(technique ? { ...draft, technique: technique.name, kind: technique.kind } : draft);
}

function readData(
  bytes: Uint8Array,
  module: Module,
  fileName: string,
  guard: ParseGuard,
  technique: BiologicTechnique | undefined,
  warnings: string[],
): { original: OriginalColumn[]; channels: Partial<Record<CanonicalChannel, Float64Array>> } {
  const where = `byte ${module.start}`;
  const fail = (kind: 'malformed' | 'truncated' | 'unsupported', message: string): never => {
    throw new ElyteError(kind, message, { file: fileName, where });
  };
  if (module.length < 5) fail('truncated', 'the data module is too short to hold its row count');
  const view = new DataView(bytes.buffer, bytes.byteOffset + module.start, module.length);
  const rows = view.getUint32(0, true);
  const count = view.getUint8(4);
  const ids: number[] = [];
  let dataOffset: number;
  if (module.version === 0 && view.getUint8(5) !== 0) {
    // Old layout: one byte per column id, rows from byte 100.
    if (5 + count > module.length) fail('truncated', 'the data module ends inside its column list');
    for (let c = 0; c < count; c++) ids.push(view.getUint8(5 + c));
    dataOffset = 100;
  } else if (module.version === 0) {
    // EC-Lab ≥ 11.50: big-endian 16-bit ids, rows from byte 1007.
    if (5 + 2 * count > module.length) fail('truncated', 'the data module ends inside its column list');
    for (let c = 0; c < count; c++) ids.push(view.getUint16(5 + 2 * c, false));
    dataOffset = 1007;
  } else if (module.version === 2 || module.version === 3) {
    if (5 + 2 * count > module.length) fail('truncated', 'the data module ends inside its column list');
    for (let c = 0; c < count; c++) ids.push(view.getUint16(5 + 2 * c, true));
    dataOffset = module.version === 3 ? 406 : 405;
  } else {
    return fail('unsupported', `data module version ${module.version} is not one we know (0, 2 or 3)`);
  }

  const layout: ColumnLayout[] = [];
  let rowSize = 0;
  let flagsOffset = -1;
  for (const id of ids) {
    const flag = FLAG_COLUMNS.get(id);
    if (flag) {
      if (flagsOffset < 0) {
        flagsOffset = rowSize;
        rowSize += 1;
      }
      layout.push({ id, name: flag.name, type: 'flag', mask: flag.mask, offset: flagsOffset });
      continue;
    }
    const spec = columnSpec(id, ids);
    if (!spec) {
      const after = layout.length > 0 ? ` (after "${layout[layout.length - 1]!.name}")` : '';
      return fail(
        'unsupported',
        `column id ${id}${after} is not in our table of EC-Lab columns, so the rows cannot be decoded; ` +
          'please send this file to the Elyte developers, or export it as .mpt text from EC-Lab',
      );
    }
    layout.push({ id, name: spec.name, type: spec.type, mask: 0, offset: rowSize });
    rowSize += TYPE_BYTES[spec.type];
  }
  if (layout.length === 0) fail('malformed', 'the data module lists no columns');
  const needed = dataOffset + rows * rowSize;
  if (needed > module.length) {
    fail(
      'truncated',
      `the data module holds ${Math.max(0, Math.floor((module.length - dataOffset) / rowSize))} rows of ` +
        `${rowSize} bytes but says it has ${rows}; the file looks truncated or its layout is not the one we know`,
    );
  }
  if (module.length - needed >= rowSize) {
    warnings.push(
      `the data module has ${module.length - needed} bytes after its ${rows} rows; they were ignored`,
    );
  }
  if (isImpedanceTechnique(technique) && !layout.some((c) => c.name === 'freq/Hz')) {
    fail('malformed', `"freq/Hz" is missing from the columns of this ${technique?.name} (impedance) file`);
  }
  if (rows === 0) {
    fail('malformed', `the data module has no data rows (columns: ${layout.map((c) => c.name).join(', ')})`);
  }

  const names = layout.map((c) => c.name);
  const plan = planChannels(names);
  const derived = blockDerivedChannels(names, plan, rows);
  const { values, channels, nonFinite } = decodeRows(
    view,
    dataOffset,
    rowSize,
    rows,
    layout,
    plan,
    guard,
    derived.afterBlock,
  );
  Object.assign(channels, derived.channels);
  const canonicalSources = new Set(plan.map((source) => source.column));
  layout.forEach((column, c) => {
    const bad = nonFinite[c]!;
    if (bad === 0) return;
    // NaN or ∞ in time, voltage, current… means damaged bytes, not a measurement to analyse.
    if (canonicalSources.has(c)) {
      fail(
        'malformed',
        `column "${column.name}" holds ${bad} values that are not numbers (NaN or ∞); the file looks damaged`,
      );
    }
    warnings.push(`column "${column.name}" holds ${bad} values that are not numbers (NaN or ∞)`);
  });
  const original = layout.map((column, c) => ({
    name: column.name,
    unit: splitHeader(column.name).unit,
    values: values[c]!,
  }));
  deriveEcLabChannels(channels, original);
  return { original, channels };
}

/**
 * Current (dq/Δt), which GCPL-type files do not store, computed block by block while the decoded
 * block is in cache (a second pass over a 1M-row file's columns cost more than the computation).
 * deriveEcLabChannels then skips it (it exists) and adds the rest.
 */
function blockDerivedChannels(
  names: readonly string[],
  plan: readonly ChannelSource[],
  rows: number,
): {
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  afterBlock: (values: readonly NumericColumn[], first: number, end: number) => void;
} {
  const planned = new Set(plan.map((source) => source.channel));
  const time = names.indexOf('time/s');
  const dq = names.indexOf('dq/mA.h');
  const current = !planned.has('current_A') && time >= 0 && dq >= 0 ? new Float64Array(rows) : undefined;
  return {
    channels: current ? { current_A: current } : {},
    afterBlock(values, first, end) {
      // time/s and dq/mA.h are float64 in the file (a typed loop stays fast; anything else is widened).
      if (current)
        currentFromIncrements(asFloat64(values[time]!), asFloat64(values[dq]!), current, first, end);
    },
  };
}

/**
 * Id 174 is ⟨Ewe⟩ on its own, but Phase(Zwe-ce) when the file also has Ewe (6) or ⟨Ewe⟩ (77): the
 * .mpt export of such a run names it so and its values are the phase (checked on a twin pair).
 */
function columnSpec(id: number, ids: readonly number[]): ColumnSpec | undefined {
  if (id === 174 && (ids.includes(6) || ids.includes(77))) return { name: 'Phase(Zwe-ce)/deg', type: 'f4' };
  return DATA_COLUMNS.get(id);
}

/** A Pascal string (length byte, then Windows-1252 text) at `offset` of a module body, if it fits. */
function pascal(bytes: Uint8Array, module: Module, offset: number): string | undefined {
  if (offset >= module.length) return undefined;
  const length = bytes[module.start + offset]!;
  if (offset + 1 + length > module.length) return undefined;
  return new TextDecoder('windows-1252')
    .decode(bytes.subarray(module.start + offset + 1, module.start + offset + 1 + length))
    .trim();
}

function float32(bytes: Uint8Array, module: Module, offset: number): number | undefined {
  if (offset + 4 > module.length) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset + module.start + offset, 4).getFloat32(0, true);
}

function isGiven(value: number | undefined): value is number {
  return (
    value !== undefined && Number.isFinite(value) && value > 0 && Math.abs(value - ECLAB_PLACEHOLDER) > 1e-9
  );
}

/** Settings module: technique id at byte 0 and the sample fields at fixed offsets (galvani/yadg). */
function readSettings(
  bytes: Uint8Array,
  module: Module,
  metadata: MeasurementMetadata,
  warnings: string[],
): BiologicTechnique | undefined {
  if (module.length < 1) return undefined;
  const id = bytes[module.start]!;
  const technique = techniqueFromId(id);
  const extra = metadata.extra;
  extra['technique id'] = `0x${id.toString(16).padStart(2, '0')}`;
  if (!technique)
    warnings.push(
      `technique id 0x${id.toString(16)} is not one we know; the kind was inferred from the data`,
    );
  const text = (key: string, offset: number) => {
    const value = pascal(bytes, module, offset);
    if (value) extra[key] = value;
  };
  text('Comments', 0x07);
  text('Electrode material', 0x11e);
  text('Electrolyte', 0x1c0);
  text('Reference electrode', 0x215);
  const mass = float32(bytes, module, 0x107);
  if (mass !== undefined) extra['Mass of active material'] = `${float32Text(mass)} mg`;
  if (isGiven(mass)) metadata.mass_kg = mass * 1e-6;
  const area = float32(bytes, module, 0x211);
  if (area !== undefined) extra['Electrode surface area'] = `${float32Text(area)} cm²`;
  if (isGiven(area)) metadata.area_m2 = area * 1e-4;
  const characteristic = float32(bytes, module, 0x24c);
  if (characteristic !== undefined) extra['Characteristic mass'] = `${float32Text(characteristic)} mg`;
  const capacity = float32(bytes, module, 0x25c);
  if (capacity !== undefined && capacity > 0) extra['Battery capacity'] = `${float32Text(capacity)} mA.h`;
  extra['Settings date'] = module.date.trim();
  const body = new DataView(bytes.buffer, bytes.byteOffset + module.start, module.length);
  const parameters = readTechniqueParameters(body, id, module.newHeader);
  if (parameters) {
    for (const [name, values] of parameters) extra[`param ${name}`] = values.join(' | ');
  } else {
    extra['Technique parameters'] =
      'not decoded: their layout is not known for this technique and EC-Lab version';
  }
  return technique;
}

const OLE_EPOCH_MS = Date.UTC(1899, 11, 30);

/** LOG module: channel, OLE start time and versions at the offsets the community readers documented. */
function readLog(bytes: Uint8Array, module: Module, metadata: MeasurementMetadata): void {
  const extra = metadata.extra;
  const version = pascal(bytes, module, 0x3b7);
  const btLab = version !== undefined && Number.parseFloat(version) < 5;
  if (version) metadata.softwareVersion = `${btLab ? 'BT-Lab' : 'EC-Lab'} ${version}`;
  if (module.length > 9) {
    const index = bytes[module.start + 9]!;
    // BT-Lab cyclers name channels by module letter and position (31 → "D8"); EC-Lab counts from 1.
    metadata.channel = btLab
      ? `${String.fromCharCode(65 + Math.floor(index / 8))}${(index % 8) + 1}`
      : String(index + 1);
  }
  const serial = pascal(bytes, module, 0x3cf);
  if (serial) metadata.serialNumber = serial;
  metadata.instrument = btLab ? 'BioLogic (BT-Lab cycler)' : 'BioLogic (EC-Lab potentiostat)';
  if (module.length >= 0x249 + 8) {
    const days = new DataView(bytes.buffer, bytes.byteOffset + module.start + 0x249, 8).getFloat64(0, true);
    // Only a plausible date (2000–2100) is trusted; otherwise the offset means something else here.
    if (days > 36526 && days < 73051) {
      const ms = Math.round(OLE_EPOCH_MS + days * 86_400_000);
      metadata.startTime = new Date(ms).toISOString().replace('Z', '');
    }
  }
  const fields: [string, number][] = [
    ['File', 0x251],
    ['Host', 0x351],
    ['Address', 0x384],
    ['Server version', 0x3be],
    ['Interpreter version', 0x3c5],
  ];
  for (const [key, offset] of fields) {
    const value = pascal(bytes, module, offset);
    if (value) extra[key] = value;
  }
}

function readLoop(bytes: Uint8Array, module: Module, metadata: MeasurementMetadata): void {
  if (module.length < 4) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset + module.start, module.length);
  const count = view.getUint32(0, true);
  const starts: number[] = [];
  for (let i = 0; i < count && 4 + 4 * i + 4 <= module.length; i++)
    starts.push(view.getUint32(4 + 4 * i, true));
  metadata.extra['Loop start rows'] = starts.join(', ');
}
