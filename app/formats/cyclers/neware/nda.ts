/**
 * Neware BTS `.nda` binary files. All start with "NEWARE"; byte 14 is the layout version:
 * - 29: BTS 7.x and older. 86-byte records (0x55 = data, 0x65 = aux) holding integers scaled by the
 *   channel's current range (RANGE_MULTIPLIER) and a wall-clock date.
 * - 130: BTS 8/9. Records start at byte 1024. BTS 9.0 writes 88-byte records whose first 6 bytes repeat
 *   (data at +4: float32 values, µs timestamps); BTS 9.1 writes short records starting 0x55
 *   (float32 values, s + ns timestamps; 56-byte records carry one thermocouple).
 * Reads are DataView loads straight into typed arrays: no per-record objects.
 */
import { ElyteError } from '../../../errors';
import type { FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { ParseGuard } from '../../guard';
import { requireBytes } from '../../text';
import { layOutNewareTable, NewareAux, NewareTable, RANGE_MULTIPLIER } from './table';

const MAGIC = [0x4e, 0x45, 0x57, 0x41, 0x52, 0x45]; // "NEWARE"

function startsWithMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

export const newareNdaReader: FormatReader = {
  id: 'neware-nda',
  label: 'Neware BTS binary (.nda)',
  extensions: ['nda'],
  sniff(head) {
    return startsWithMagic(head) ? 0.95 : 0;
  },
  parse: parseNda,
};

export function parseNda(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  requireBytes(bytes, 16, fileName, 'the Neware header');
  if (!startsWithMagic(bytes)) {
    throw new ElyteError('malformed', 'not a Neware .nda file (it does not start with "NEWARE")', {
      file: fileName,
    });
  }
  const guard = new ParseGuard(fileName, options);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[14]!;
  const header = readHeaderText(bytes);
  let decoded: { table: NewareTable; aux: NewareAux; layout: string; mass_mg?: number; remarks?: string };
  if (version === 29) decoded = readVersion29(bytes, view, fileName, guard);
  else if (version === 130) decoded = readVersion130(bytes, view, fileName, guard);
  else {
    throw new ElyteError(
      'unsupported',
      `Neware .nda layout version ${version} is not supported (known: 29 for BTS 7, 130 for BTS 8/9); ` +
        'export the test from BTSDA as .ndax or CSV',
      { file: fileName, where: 'byte 14' },
    );
  }
  const { table, aux } = decoded;
  if (table.length === 0) {
    throw new ElyteError('malformed', 'the .nda file holds no data records (the test may not have started)', {
      file: fileName,
    });
  }
  const laid = layOutNewareTable(table, aux, { dedupe: true, countSteps: true });
  const extra: Record<string, string> = { 'NDA version': String(version), Layout: decoded.layout, ...header };
  if (decoded.remarks) extra.Remarks = decoded.remarks;
  const metadata: Measurement['metadata'] = { instrument: 'Neware BTS', extra };
  if (header['BTS server']) metadata.softwareVersion = header['BTS server'];
  if (decoded.mass_mg !== undefined && decoded.mass_mg > 0) metadata.mass_kg = decoded.mass_mg * 1e-6;
  const t0 = laid.original.find((c) => c.name === 'Timestamp')?.values;
  if (t0 instanceof Float64Array && Number.isFinite(t0[0])) {
    const iso = new Date(Math.round(t0[0]! * 1000)).toISOString();
    // Old layouts store the tester's wall clock with no zone: do not claim UTC for them.
    metadata.startTime = version === 29 ? iso.replace('Z', '') : iso;
  }
  return finishMeasurement({
    format: 'neware-nda',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    channels: laid.channels,
    original: laid.original,
    metadata,
    warnings: laid.warnings,
  });
}

/** Header fields: the file's date stamp and, when present, the BTS server/client versions. */
function readHeaderText(bytes: Uint8Array): Record<string, string> {
  const fields: Record<string, string> = {};
  const stamp = ascii(bytes, 6, 14);
  if (/^\d{8}$/.test(stamp)) fields['Header date'] = stamp;
  const at = indexOfAscii(bytes, 'BTSServer', Math.min(bytes.length, 1 << 20));
  if (at >= 0) {
    fields['BTS server'] = ascii(bytes, at, at + 50);
    const client = ascii(bytes, at + 100, at + 150);
    if (client) fields['BTS client'] = client;
  }
  return fields;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < Math.min(to, bytes.length); i++) {
    const b = bytes[i]!;
    if (b === 0) continue;
    text += b >= 32 && b < 127 ? String.fromCharCode(b) : '';
  }
  return text.trim();
}

function indexOfAscii(bytes: Uint8Array, needle: string, limit: number): number {
  const first = needle.charCodeAt(0);
  outer: for (let i = 0; i + needle.length <= limit; i++) {
    if (bytes[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

const V29_RECORD = 86;

function readVersion29(bytes: Uint8Array, view: DataView, fileName: string, guard: ParseGuard) {
  requireBytes(bytes, 2417, fileName, 'the Neware version-29 header');
  const mass_mg = view.getUint32(152, true) / 1000;
  const remarks = ascii(bytes, 2317, 2417);
  // Data begin after 00 00 00 00 55 00, at the first record whose status is set and which is
  // followed by another data record (the header contains the same byte pattern by chance).
  let start = -1;
  for (let at = 0; at + 6 <= bytes.length; at++) {
    if (bytes[at] !== 0 || bytes[at + 1] !== 0 || bytes[at + 2] !== 0 || bytes[at + 3] !== 0) continue;
    if (bytes[at + 4] !== 0x55 || bytes[at + 5] !== 0) continue;
    const record = at + 4;
    if (
      record + V29_RECORD >= bytes.length ||
      (bytes[record + V29_RECORD] === 85 && bytes[record + 12] !== 0)
    ) {
      start = record;
      break;
    }
  }
  if (start < 0) {
    throw new ElyteError('malformed', 'no data records found after the header', { file: fileName });
  }
  const capacity = Math.floor((bytes.length - start) / V29_RECORD);
  const table = new NewareTable(capacity, { fileCycle: true, range: true, ids: 'u32' });
  table.hasFileCycle = true;
  table.hasRange = true;
  const aux = new NewareAux();
  let n = 0;
  for (let at = start; at + V29_RECORD <= bytes.length; at += V29_RECORD) {
    guard.tick((at - start) / (bytes.length - start));
    if (view.getUint32(at + 82, true) !== 0) continue;
    const kind = bytes[at]!;
    if (kind === 0x55 && bytes[at + 1] === 0) {
      const index = view.getUint32(at + 2, true);
      const status = bytes[at + 12]!;
      if (index === 0 || status === 0) continue;
      const range = view.getInt32(at + 78, true);
      const multiplier = RANGE_MULTIPLIER.get(range);
      if (multiplier === undefined) {
        throw new ElyteError(
          'unsupported',
          `record ${index} uses current range ${range}, whose scale is not known; ` +
            'export the test from BTSDA as CSV instead',
          { file: fileName, where: `byte ${at + 78}` },
        );
      }
      table.index[n] = index;
      table.fileCycle[n] = view.getUint32(at + 6, true) + 1;
      table.stepId[n] = view.getUint32(at + 10, true);
      table.status[n] = status;
      table.time[n] = u64(view, at + 14) / 1000;
      table.voltage[n] = view.getInt32(at + 22, true) / 10000;
      table.current_A[n] = (view.getInt32(at + 26, true) * multiplier) / 1000;
      table.chargeCapacity_Ah[n] = (i64(view, at + 38) * multiplier) / 3.6e6;
      table.dischargeCapacity_Ah[n] = (i64(view, at + 46) * multiplier) / 3.6e6;
      table.chargeEnergy_Wh[n] = (i64(view, at + 54) * multiplier) / 3.6e6;
      table.dischargeEnergy_Wh[n] = (i64(view, at + 62) * multiplier) / 3.6e6;
      table.timestamp[n] = wallClockSeconds(view, at + 70);
      table.range[n] = range;
      n++;
    } else if (kind === 0x65) {
      readAux65(view, at, aux);
    }
  }
  table.length = n;
  return { table, aux, layout: 'BTS 7 (version 29)', mass_mg, remarks };
}

/** Y(u16) M D h m s as written by the tester, as seconds since 1970 on that clock. */
function wallClockSeconds(view: DataView, at: number): number {
  const year = view.getUint16(at, true);
  const month = view.getUint8(at + 2);
  const day = view.getUint8(at + 3);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  return (
    Date.UTC(year, month - 1, day, view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6)) / 1000
  );
}

/** Aux record (0x65): channel, index, voltage (0.1 mV counts), temperature (0.1 °C counts). */
function readAux65(view: DataView, at: number, aux: NewareAux): void {
  const channel = view.getUint8(at + 1);
  const index = view.getUint32(at + 2, true);
  aux.add('V', channel, index, view.getInt32(at + 22, true) / 10000);
  aux.add('T', channel, index, view.getInt16(at + 34, true) / 10);
}

/** 64-bit integers without BigInt (values stay far below 2^53 in these files). */
function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 4294967296;
}

function i64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getInt32(at + 4, true) * 4294967296;
}

const FOOTER = [
  0x06, 0x00, 0xf0, 0x1d, 0x81, 0x00, 0x03, 0x00, 0x61, 0x90, 0x71, 0x90, 0x02, 0x7f, 0xff, 0x00,
];

function readVersion130(bytes: Uint8Array, view: DataView, fileName: string, guard: ParseGuard) {
  requireBytes(bytes, 1030, fileName, 'the first Neware BTS 9 record');
  let recordLength = 88;
  const bts91 = bytes[1024] === 0x55;
  if (bts91) {
    // Record length = distance to the next record starting with the same two bytes.
    const a = bytes[1024]!;
    const b = bytes[1025]!;
    recordLength = -1;
    for (let at = 1026; at + 1 < bytes.length; at++) {
      if (bytes[at] === a && bytes[at + 1] === b) {
        recordLength = at - 1024;
        break;
      }
    }
    if (recordLength < 52) {
      throw new ElyteError('malformed', 'cannot find the BTS 9.1 record length (fewer than two records?)', {
        file: fileName,
        where: 'byte 1024',
      });
    }
  }
  const capacity = Math.floor((bytes.length - 1024) / recordLength);
  // BTS 8/9 records store the step id in one byte and the index in four; BTS 9.1 signed amounts.
  const table = new NewareTable(capacity, { ids: 'u8', signed: bts91 });
  const aux = new NewareAux();
  const id = bytes.subarray(1024, 1030);
  // 56-byte BTS 9.1 records end with the channel's thermocouple (aux T1).
  const inlineTemperature = bts91 && recordLength === 56 ? new Float64Array(capacity) : null;
  table.inlineTemperature = inlineTemperature;
  let n = 0;
  const end = bytes.length - recordLength;
  let at = 1024;
  for (; at <= end; at += recordLength) {
    guard.tick((at - 1024) / (bytes.length - 1024));
    const kind = bytes[at]!;
    if (bts91 && kind === 0x55) {
      // A run of data records, up to 65536 at a time between guard checks.
      const stop = Math.min(end, at + recordLength * 65535);
      const run = readBts91Run(bytes.subarray(0, stop + recordLength), view, at, recordLength, table, n);
      n += run.rows;
      at = run.next - recordLength; // the for loop adds it back
      guard.check((at - 1024) / (bytes.length - 1024));
    } else if (
      bytes[at + 1] === id[1] &&
      kind === id[0] &&
      bytes[at + 2] === id[2] &&
      bytes[at + 3] === id[3] &&
      bytes[at + 4] === id[4] &&
      bytes[at + 5] === id[5]
    ) {
      readBts9Record(view, at + 4, table, n);
      n++;
    } else if (kind === 0 && view.getUint32(at, true) === 0 && bytes[at + 4] === 0x65) {
      readAux65(view, at + 4, aux);
    } else if (kind === 0x81) {
      break;
    }
  }
  table.length = n;
  // The footer (mass, remarks) follows the records: search only the bytes after them.
  const footer = findFooter(bytes, Math.max(1024, at));
  let mass_mg: number | undefined;
  let remarks: string | undefined;
  if (footer >= 0 && footer + 16 + 499 <= bytes.length) {
    mass_mg = view.getFloat64(footer + 16 + 491, true);
    remarks = ascii(bytes, footer + 16 + 363, footer + 16 + 491);
    if (!Number.isFinite(mass_mg)) mass_mg = undefined;
  }
  const layout = bts91 ? `BTS 9.1 (version 130, ${recordLength}-byte records)` : 'BTS 9.0 (version 130)';
  return { table, aux, layout, mass_mg, remarks };
}

function findFooter(bytes: Uint8Array, from: number): number {
  const first = FOOTER[0]!;
  for (let at = bytes.length - FOOTER.length; at >= from; at--) {
    if (bytes[at] !== first) continue;
    let j = 1;
    while (j < FOOTER.length && bytes[at + j] === FOOTER[j]) j++;
    if (j === FOOTER.length) return at;
  }
  return -1;
}

/** BTS 9.0 record body: float32 values in V/mA/mAs, time and date in µs. */
function readBts9Record(view: DataView, at: number, table: NewareTable, n: number): void {
  table.stepId[n] = view.getUint8(at + 5);
  table.status[n] = view.getUint8(at + 6);
  table.index[n] = view.getUint32(at + 12, true);
  table.time[n] = u64(view, at + 24) / 1e6;
  table.voltage[n] = view.getFloat32(at + 32, true);
  table.current_A[n] = view.getFloat32(at + 36, true) / 1000;
  table.chargeCapacity_Ah[n] = view.getFloat32(at + 48, true) / 3.6e6;
  table.chargeEnergy_Wh[n] = view.getFloat32(at + 52, true) / 3.6e6;
  table.dischargeCapacity_Ah[n] = view.getFloat32(at + 56, true) / 3.6e6;
  table.dischargeEnergy_Wh[n] = view.getFloat32(at + 60, true) / 3.6e6;
  table.timestamp[n] = u64(view, at + 64) / 1e6;
}

/**
 * BTS 9.1 records from `from` to `end` (step `recordLength`): one signed capacity and energy (negative
 * while discharging, kept as stored), s + ns clocks. The arrays are hoisted into locals so the loop compiles to plain
 * loads and stores. Returns the number of records written starting at row `n`.
 */
function readBts91Run(
  bytes: Uint8Array,
  view: DataView,
  from: number,
  recordLength: number,
  table: NewareTable,
  n: number,
): { rows: number; next: number } {
  const { stepId, status, index, time, current_A, voltage, timestamp } = table;
  const capacity = table.signedCapacity_mAs;
  const energy = table.signedEnergy_mWs;
  const temperature = table.inlineTemperature;
  const last = bytes.length - recordLength;
  let row = n;
  let at = from;
  for (; at <= last && bytes[at] === 0x55; at += recordLength) {
    stepId[row] = bytes[at + 2]!;
    status[row] = bytes[at + 3]!;
    index[row] = view.getUint32(at + 8, true);
    time[row] = view.getUint32(at + 12, true) + 1e-9 * view.getUint32(at + 16, true);
    current_A[row] = view.getFloat32(at + 20, true) / 1000; // file: mA
    voltage[row] = view.getFloat32(at + 24, true);
    capacity[row] = view.getFloat32(at + 28, true); // mA·s, as stored
    energy[row] = view.getFloat32(at + 32, true); // mW·s
    timestamp[row] = view.getUint32(at + 44, true) + 1e-9 * view.getUint32(at + 48, true);
    if (temperature) temperature[row] = view.getFloat32(at + 52, true);
    row++;
  }
  return { rows: row - n, next: at };
}
