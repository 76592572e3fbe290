/**
 * Decoders for the `.ndc` streams inside a Neware `.ndax` archive. Byte 0 is the stream type
 * (1 = main data, 5 = aux, 7 = step table, 18 = run info: time, capacities, clock), byte 2 the layout
 * version (2, 5, 11, 14). Versions 11/14 store 4096-byte pages after a 4096-byte header, each page a
 * 132-byte page header then fixed-size records; versions 2/5 store the old 87/94-byte records.
 */
import { ElyteError } from '../../../errors';
import { RANGE_MULTIPLIER } from './table';

const PAGE = 4096;

/** Main-record fields in instrument units (mA, mAh, mWh, s); NaN where a stream lacks a field. */
export interface NdcRecords {
  index: number[];
  cycle: number[];
  step: number[];
  status: number[];
  time: number[];
  voltage: number[];
  current_mA: number[];
  chargeCapacity: number[];
  dischargeCapacity: number[];
  chargeEnergy: number[];
  dischargeEnergy: number[];
  timestamp: number[];
  range: number[];
}

export function emptyRecords(): NdcRecords {
  return {
    index: [],
    cycle: [],
    step: [],
    status: [],
    time: [],
    voltage: [],
    current_mA: [],
    chargeCapacity: [],
    dischargeCapacity: [],
    chargeEnergy: [],
    dischargeEnergy: [],
    timestamp: [],
    range: [],
  };
}

export interface NdcStepTable {
  cycle: number[];
  stepIndex: number[];
  status: number[];
}

export interface NdcAux {
  index: number[];
  channel: number[];
  temperature: number[];
  voltage: number[];
}

export type NdcStream =
  | { type: 'data'; records: NdcRecords; complete: boolean }
  | { type: 'aux'; aux: NdcAux }
  | { type: 'step'; steps: NdcStepTable }
  | { type: 'runInfo'; records: NdcRecords }
  | { type: 'other' };

export function decodeNdc(bytes: Uint8Array, member: string, fileName: string): NdcStream {
  if (bytes.length < 8) throw malformed(fileName, member, 'is shorter than its 8-byte header');
  const type = bytes[0]!;
  const version = bytes[2]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type !== 1 && type !== 5 && type !== 7 && type !== 18) return { type: 'other' };
  if (version === 2 || version === 5) {
    if (type === 1)
      return {
        type: 'data',
        records: oldMainRecords(bytes, view, version, member, fileName),
        complete: true,
      };
    if (type === 5) return { type: 'aux', aux: oldAuxRecords(bytes, view, version) };
    return { type: 'other' };
  }
  if (version !== 11 && version !== 14) {
    throw new ElyteError(
      'unsupported',
      `${member} uses .ndc layout version ${version}, which is not supported (known: 2, 5, 11, 14)`,
      { file: fileName },
    );
  }
  if (bytes.length % PAGE !== 0) {
    throw new ElyteError(
      'truncated',
      `${member} is not a whole number of 4096-byte pages; it looks truncated`,
      {
        file: fileName,
      },
    );
  }
  if (type === 1) return { type: 'data', records: pagedMainRecords(bytes, view, version), complete: false };
  if (type === 5) return { type: 'aux', aux: pagedAuxRecords(bytes, view, version) };
  if (type === 7) return { type: 'step', steps: pagedStepRecords(bytes, view) };
  return { type: 'runInfo', records: pagedRunInfo(bytes, view, version) };
}

function malformed(fileName: string, member: string, what: string): ElyteError {
  return new ElyteError('malformed', `${member} ${what}`, { file: fileName });
}

/** Offsets of each fixed-size record in every page: [132, 4096 - tail) stepping by `size`. */
function* pagedRecords(length: number, size: number, tail: number): Generator<number> {
  for (let page = PAGE; page + PAGE <= length; page += PAGE) {
    for (let at = page + 132; at + size <= page + PAGE - tail; at += size) yield at;
  }
}

function pagedMainRecords(bytes: Uint8Array, view: DataView, version: number): NdcRecords {
  const records = emptyRecords();
  // Only voltage and current live here (pairs of float32); the rest comes from runInfo.
  const currentScale = version === 14 ? 1000 : 1;
  const voltageScale = version === 14 ? 1 : 1e-4;
  let index = 0;
  for (const at of pagedRecords(bytes.length, 8, 4)) {
    const voltage = view.getFloat32(at, true);
    if (voltage === 0) continue;
    index++;
    records.index.push(index);
    records.voltage.push(voltage * voltageScale);
    records.current_mA.push(view.getFloat32(at + 4, true) * currentScale);
  }
  return records;
}

function pagedRunInfo(bytes: Uint8Array, view: DataView, version: number): NdcRecords {
  const records = emptyRecords();
  // Version 14 stores capacities in Ah and energies in Wh; version 11 in mAs and mWs.
  const scale = version === 14 ? 1000 : 1 / 3600;
  const size = version === 14 ? 55 : 47;
  const tail = version === 14 ? 59 : 63;
  for (const at of pagedRecords(bytes.length, size, tail)) {
    const index = view.getInt32(at + 41, true);
    if (index === 0) continue;
    records.index.push(index);
    records.time.push(view.getInt32(at, true) / 1000);
    records.chargeCapacity.push(view.getFloat32(at + 5, true) * scale);
    records.dischargeCapacity.push(view.getFloat32(at + 9, true) * scale);
    records.chargeEnergy.push(view.getFloat32(at + 13, true) * scale);
    records.dischargeEnergy.push(view.getFloat32(at + 17, true) * scale);
    records.timestamp.push(view.getInt32(at + 33, true) + view.getInt16(at + 45, true) / 1000);
    records.step.push(view.getInt32(at + 37, true));
  }
  return records;
}

function pagedStepRecords(bytes: Uint8Array, view: DataView): NdcStepTable {
  const steps: NdcStepTable = { cycle: [], stepIndex: [], status: [] };
  for (const at of pagedRecords(bytes.length, 37, 5)) {
    const stepIndex = view.getInt32(at + 4, true);
    if (stepIndex === 0) continue;
    steps.cycle.push(view.getInt32(at, true) + 1);
    steps.stepIndex.push(stepIndex);
    steps.status.push(view.getInt8(at + 24));
  }
  return steps;
}

function pagedAuxRecords(bytes: Uint8Array, view: DataView, version: number): NdcAux {
  const aux: NdcAux = { index: [], channel: [], temperature: [], voltage: [] };
  if (version === 14) {
    // One float32 temperature per record, numbered by position (padding included, as BTSDA does).
    let index = 0;
    for (const at of pagedRecords(bytes.length, 4, 4)) {
      index++;
      aux.index.push(index);
      aux.channel.push(Number.NaN);
      aux.temperature.push(view.getFloat32(at, true));
      aux.voltage.push(Number.NaN);
    }
    return aux;
  }
  const first = bytes[PAGE + 132];
  if (first === 0x65) {
    let index = 0;
    for (const at of pagedRecords(bytes.length, 7, 2)) {
      if (bytes[at] !== 0x65) continue;
      index++;
      aux.index.push(index);
      aux.channel.push(Number.NaN);
      aux.voltage.push(view.getFloat32(at + 1, true) / 10000);
      aux.temperature.push(view.getInt16(at + 5, true) / 10);
    }
  } else if (first === 0x74) {
    for (const at of pagedRecords(bytes.length, 88, 4)) {
      if (bytes[at] !== 0x74) continue;
      aux.index.push(view.getInt32(at + 1, true));
      aux.channel.push(view.getInt8(at + 5));
      aux.temperature.push(view.getInt16(at + 35, true) / 10);
      aux.voltage.push(Number.NaN);
    }
  }
  return aux;
}

/** Byte offsets of each old-layout (87-byte, version 5; 94-byte, version 2) record. */
function* oldRecordOffsets(bytes: Uint8Array, version: number): Generator<number> {
  if (version === 5) {
    for (let page = PAGE; page + PAGE <= bytes.length; page += PAGE) {
      for (let at = page + 125; at + 87 <= page + PAGE - 56; at += 87) yield at;
    }
    return;
  }
  // Version 2: records start wherever the 8-byte identifier at 517 recurs.
  if (bytes.length < 525) return;
  const id = bytes.slice(517, 525);
  let at = find(bytes, id, 0);
  while (at >= 0 && at + 94 <= bytes.length) {
    yield at;
    at = find(bytes, id, at + 94);
  }
}

function find(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function oldMainRecords(
  bytes: Uint8Array,
  view: DataView,
  version: number,
  member: string,
  fileName: string,
): NdcRecords {
  const records = emptyRecords();
  const kindOffset = version === 5 ? 7 : 0;
  for (const at of oldRecordOffsets(bytes, version)) {
    if (bytes[at + kindOffset] !== 0x55) continue;
    const range = view.getInt32(at + 82, true);
    const multiplier = RANGE_MULTIPLIER.get(range);
    if (multiplier === undefined) {
      throw new ElyteError(
        'unsupported',
        `${member}: a record uses current range ${range}, whose scale is not known`,
        { file: fileName, where: `${member} byte ${at + 82}` },
      );
    }
    records.index.push(view.getUint32(at + 8, true));
    records.cycle.push(view.getUint32(at + 12, true) + 1);
    records.step.push(view.getUint8(at + 16));
    records.status.push(view.getUint8(at + 17));
    records.time.push((view.getUint32(at + 23, true) + view.getUint32(at + 27, true) * 4294967296) / 1000);
    records.voltage.push(view.getInt32(at + 31, true) / 10000);
    records.current_mA.push(view.getInt32(at + 35, true) * multiplier);
    const i64 = (o: number): number =>
      view.getUint32(at + o, true) + view.getInt32(at + o + 4, true) * 4294967296;
    records.chargeCapacity.push((i64(43) * multiplier) / 3600);
    records.dischargeCapacity.push((i64(51) * multiplier) / 3600);
    records.chargeEnergy.push((i64(59) * multiplier) / 3600);
    records.dischargeEnergy.push((i64(67) * multiplier) / 3600);
    const year = view.getUint16(at + 75, true);
    const month = bytes[at + 77]!;
    records.timestamp.push(
      year > 0 && month >= 1 && month <= 12
        ? Date.UTC(year, month - 1, bytes[at + 78]!, bytes[at + 79]!, bytes[at + 80]!, bytes[at + 81]!) / 1000
        : Number.NaN,
    );
    records.range.push(range);
  }
  return records;
}

function oldAuxRecords(bytes: Uint8Array, view: DataView, version: number): NdcAux {
  const aux: NdcAux = { index: [], channel: [], temperature: [], voltage: [] };
  const kindOffset = version === 5 ? 7 : 0;
  for (const at of oldRecordOffsets(bytes, version)) {
    const kind = bytes[at + kindOffset];
    if (kind !== 0x65 && kind !== 0x74) continue;
    aux.channel.push(bytes[at + 3]!);
    aux.index.push(view.getUint32(at + 8, true));
    aux.voltage.push(view.getInt32(at + 31, true) / 10000);
    aux.temperature.push(view.getInt16(at + 41, true) / 10);
  }
  return aux;
}
