/**
 * Arbin MITS Pro `.res` result files: a Microsoft Access (Jet 4) database, read with mdb-reader.
 * - Channel_Normal_Table: one row per data point (Test_Time s, DateTime as an OLE date on the
 *   tester's clock, Current A — positive = charge, Voltage V, cumulative capacities Ah/energies Wh…).
 * - Global_Table: test name, channel, start time, schedule, creator, mass (g), software version.
 * - Auxiliary_Table (+ Aux_Global_Data_Table for units): aux readings per data point, by aux index
 *   and data type (0 voltage, 1 temperature, …), each with its value X and, in newer files, dX/dt.
 */
import MDBReader from 'mdb-reader';
import { ElyteError } from '../../../errors';
import type {
  CanonicalChannel,
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
} from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { ParseGuard } from '../../guard';

/** Jet 4 database files start with 00 01 00 00 "Standard Jet DB" (Access 2007+: "Standard ACE DB"). */
function isAccessDatabase(head: Uint8Array): boolean {
  if (head.length < 19 || head[0] !== 0 || head[1] !== 1 || head[2] !== 0 || head[3] !== 0) return false;
  const text = String.fromCharCode(...head.subarray(4, 19));
  return text === 'Standard Jet DB' || text === 'Standard ACE DB';
}

export const arbinResReader: FormatReader = {
  id: 'arbin-res',
  label: 'Arbin result database (.res)',
  extensions: ['res'],
  sniff(head, fileName) {
    if (!isAccessDatabase(head)) return 0;
    // Arbin's table names sit in the system catalogue near the start of the file.
    const text = new TextDecoder('latin1').decode(head);
    if (
      text.includes('Channel_Normal_Table') ||
      text.includes('C\u0000h\u0000a\u0000n\u0000n\u0000e\u0000l\u0000_')
    ) {
      return 0.95;
    }
    return fileName.toLowerCase().endsWith('.res') ? 0.6 : 0.3;
  },
  parse: parseArbinRes,
};

/**
 * mdb-reader takes a Node Buffer (its browser build also expects a global Buffer). The app layer holds
 * a Uint8Array; this wraps the same memory without copying. mdb-reader only reads it (the header page
 * it decrypts is its own copy).
 */
function asReaderInput(bytes: Uint8Array, fileName: string): ConstructorParameters<typeof MDBReader>[0] {
  const NodeBuffer = (
    globalThis as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): unknown } }
  ).Buffer;
  if (!NodeBuffer) {
    throw new ElyteError(
      'unsupported',
      'reading Arbin .res databases needs the Node runtime (the import worker); it is not available here',
      { file: fileName },
    );
  }
  return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as ConstructorParameters<
    typeof MDBReader
  >[0];
}

type Row = Record<string, unknown>;

const CHANNELS: Record<string, { channel: CanonicalChannel; unit: string }> = {
  Test_Time: { channel: 'time_s', unit: 's' },
  Step_Index: { channel: 'step', unit: '' },
  Cycle_Index: { channel: 'cycle', unit: '' },
  Current: { channel: 'current_A', unit: 'A' },
  Voltage: { channel: 'voltage_V', unit: 'V' },
  Charge_Capacity: { channel: 'charge_capacity_Ah', unit: 'Ah' },
  Discharge_Capacity: { channel: 'discharge_capacity_Ah', unit: 'Ah' },
};

const UNITS: Record<string, string> = {
  Step_Time: 's',
  DateTime: 's since 1970',
  Charge_Energy: 'Wh',
  Discharge_Energy: 'Wh',
  'dV/dt': 'V/s',
  Internal_Resistance: 'Ω',
  AC_Impedance: 'Ω',
  ACI_Phase_Angle: '°',
};

const AUX_TYPES: Record<number, { name: string; unit: string }> = {
  0: { name: 'voltage', unit: 'V' },
  1: { name: 'temperature', unit: '°C' },
  2: { name: 'pressure', unit: '' },
  3: { name: 'pH', unit: '' },
  4: { name: 'flow rate', unit: '' },
  5: { name: 'concentration', unit: '' },
};

/** OLE automation date (days since 1899-12-30, tester's clock) → seconds since 1970 on that clock. */
function oleToSeconds(days: number): number {
  return (days - 25569) * 86400;
}

export function parseArbinRes(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  if (!isAccessDatabase(bytes)) {
    throw new ElyteError('malformed', 'not an Arbin .res file (it is not a Microsoft Access database)', {
      file: fileName,
    });
  }
  const guard = new ParseGuard(fileName, options);
  let reader: MDBReader;
  let names: string[];
  try {
    reader = new MDBReader(asReaderInput(bytes, fileName));
    names = reader.getTableNames();
  } catch (error) {
    if (error instanceof ElyteError) throw error;
    throw new ElyteError('malformed', `the Access database cannot be opened (${errorText(error)})`, {
      file: fileName,
    });
  }
  if (!names.includes('Channel_Normal_Table')) {
    throw new ElyteError(
      'malformed',
      `this Access database has no Channel_Normal_Table, so it is not an Arbin result file (tables: ${names.join(', ')})`,
      { file: fileName },
    );
  }
  const rows = readTable(reader, 'Channel_Normal_Table', fileName);
  guard.check(0.6);
  if (rows.length === 0) {
    throw new ElyteError(
      'malformed',
      'Channel_Normal_Table has no data points (the test may not have started)',
      {
        file: fileName,
      },
    );
  }
  const columnNames = reader.getTable('Channel_Normal_Table').getColumnNames();
  const warnings: string[] = [];
  const original: OriginalColumn[] = [];
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {};
  for (const name of columnNames) {
    const values = numericColumn(rows, name, fileName);
    // OLE dates carry float noise: round to the microsecond.
    if (name === 'DateTime')
      for (let i = 0; i < values.length; i++) values[i] = Math.round(oleToSeconds(values[i]!) * 1e6) / 1e6;
    const mapped = CHANNELS[name];
    original.push({ name, unit: mapped?.unit ?? UNITS[name] ?? '', values });
    if (mapped) channels[mapped.channel] = Float64Array.from(values);
  }
  for (const required of ['Test_Time', 'Voltage', 'Current']) {
    if (!columnNames.includes(required)) {
      throw new ElyteError('malformed', `Channel_Normal_Table has no ${required} column`, { file: fileName });
    }
  }
  const testIds = new Set(rows.map((r) => r.Test_ID));
  if (testIds.size > 1)
    warnings.push(`the file holds ${testIds.size} tests (Test_ID); their rows are read in file order`);
  if (names.includes('Auxiliary_Table')) addAux(reader, rows, original, channels, fileName);
  const metadata = globalMetadata(reader, names, fileName);
  return finishMeasurement({
    format: 'arbin-res',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    channels,
    original,
    metadata,
    warnings,
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readTable(reader: MDBReader, name: string, fileName: string): Row[] {
  try {
    return reader.getTable(name).getData() as Row[];
  } catch (error) {
    throw new ElyteError(
      'malformed',
      `table ${name} cannot be read (${errorText(error)}); the file looks damaged`,
      {
        file: fileName,
      },
    );
  }
}

function numericColumn(rows: readonly Row[], name: string, fileName: string): Float64Array {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![name];
    if (typeof v === 'number') values[i] = v;
    else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
    else if (typeof v === 'bigint') values[i] = Number(v);
    else if (v === null || v === undefined) values[i] = Number.NaN;
    else {
      throw new ElyteError('malformed', `column ${name} holds a non-numeric value`, {
        file: fileName,
        where: `Channel_Normal_Table row ${i + 1}`,
      });
    }
  }
  return values;
}

/** Aux readings joined to the data points: one column per (data type, aux index), plus dX/dt when stored. */
function addAux(
  reader: MDBReader,
  rows: readonly Row[],
  original: OriginalColumn[],
  channels: Partial<Record<CanonicalChannel, Float64Array>>,
  fileName: string,
): void {
  const aux = readTable(reader, 'Auxiliary_Table', fileName);
  if (aux.length === 0) return;
  const rowOf = new Map<number, number>();
  rows.forEach((row, i) => {
    rowOf.set(Number(row.Data_Point), i);
  });
  const units = new Map<string, string>();
  try {
    for (const g of reader.getTable('Aux_Global_Data_Table').getData() as Row[]) {
      units.set(`${g.Data_Type}/${g.Auxiliary_Index}`, String(g.Unit ?? ''));
    }
  } catch {
    // Older files have no aux unit table: the data type's usual unit is used.
  }
  const columns = new Map<
    string,
    { x: Float64Array; dxdt: Float64Array | null; type: number; index: number }
  >();
  for (const a of aux) {
    const type = Number(a.Data_Type);
    const index = Number(a.Auxiliary_Index);
    const key = `${type}/${index}`;
    let column = columns.get(key);
    if (!column) {
      column = {
        x: new Float64Array(rows.length).fill(Number.NaN),
        dxdt: 'dX_dt' in a ? new Float64Array(rows.length).fill(Number.NaN) : null,
        type,
        index,
      };
      columns.set(key, column);
    }
    const row = rowOf.get(Number(a.Data_Point));
    if (row === undefined) continue;
    column.x[row] = Number(a.X);
    if (column.dxdt) column.dxdt[row] = Number(a.dX_dt);
  }
  for (const [key, column] of [...columns.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const kind = AUX_TYPES[column.type] ?? { name: `type ${column.type}`, unit: '' };
    const unit = units.get(key) || kind.unit;
    const shownUnit = unit === 'C' ? '°C' : unit;
    const name = `Aux ${kind.name} ${column.index}`;
    original.push({ name, unit: shownUnit, values: column.x });
    if (column.dxdt)
      original.push({ name: `${name} dX/dt`, unit: shownUnit ? `${shownUnit}/s` : '', values: column.dxdt });
    if (column.type === 1 && !channels.temperature_C && (shownUnit === '°C' || shownUnit === '')) {
      channels.temperature_C = column.x;
    }
  }
}

function globalMetadata(
  reader: MDBReader,
  names: string[],
  fileName: string,
): Partial<Measurement['metadata']> {
  const metadata: Partial<Measurement['metadata']> & { extra: Record<string, string> } = {
    instrument: 'Arbin',
    extra: {},
  };
  if (!names.includes('Global_Table')) return metadata;
  const global = readTable(reader, 'Global_Table', fileName)[0];
  if (!global) return metadata;
  for (const [key, value] of Object.entries(global)) {
    if (value === null || value === undefined || value === '') continue;
    metadata.extra[key] = value instanceof Date ? value.toISOString() : String(value);
  }
  const start = global.Start_DateTime;
  if (typeof start === 'number' && Number.isFinite(start)) {
    // The tester's clock, no zone: an ISO string without "Z".
    metadata.startTime = new Date(Math.round(oleToSeconds(start) * 1000)).toISOString().replace('Z', '');
  }
  if (global.Channel_Index !== undefined) metadata.channel = String(global.Channel_Index);
  if (typeof global.Software_Version === 'string') metadata.softwareVersion = global.Software_Version;
  if (typeof global.Serial_Number === 'string' && global.Serial_Number)
    metadata.serialNumber = global.Serial_Number;
  // Arbin stores the active mass in grams; 0 means "not entered".
  if (typeof global.MASS === 'number' && global.MASS > 0) metadata.mass_kg = global.MASS / 1000;
  if (names.includes('Version_Table')) {
    const version = readTable(reader, 'Version_Table', fileName)[0];
    if (version?.Version_Schema_Field) metadata.extra.Version_Schema = String(version.Version_Schema_Field);
  }
  return metadata;
}
