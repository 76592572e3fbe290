/**
 * Neware BTS 8+ `.ndax`: a zip of XML (VersionInfo, Step, TestInfo) and `.ndc` binary streams.
 * Newer archives split a record over three streams — data.ndc (voltage, current), data_runInfo.ndc
 * (time, capacities, clock; only at logging points) and data_step.ndc (cycle, step type) — which are
 * joined on record index and step. Where runInfo has no row, BTSDA itself fills time, clock,
 * capacity and energy from the neighbouring rows; we do the same and say so in a warning.
 */
import { ElyteError } from '../../../errors';
import type { FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { ParseGuard } from '../../guard';
import { isZip, unzipFile } from '../../xlsx';
import { decodeNdc, emptyRecords, type NdcAux, type NdcRecords, type NdcStepTable } from './ndc';
import { layOutNewareTable, NewareAux, NewareTable } from './table';

export const newareNdaxReader: FormatReader = {
  id: 'neware-ndax',
  label: 'Neware BTS archive (.ndax)',
  extensions: ['ndax'],
  sniff(head) {
    if (!isZip(head)) return 0;
    // The first member names are in the head: an ndax lists its XML and .ndc streams.
    const text = new TextDecoder('latin1').decode(head.subarray(0, 4096));
    if (text.includes('.ndc')) return 0.9;
    return text.includes('VersionInfo.xml') || text.includes('TestInfo.xml') ? 0.6 : 0;
  },
  parse: parseNdax,
};

export function parseNdax(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const files = unzipFile(bytes, fileName, 'a Neware .ndax archive');
  guard.check(0.3);
  const dataBytes = files['data.ndc'];
  if (!dataBytes) {
    throw new ElyteError(
      'malformed',
      'this zip archive is not a Neware .ndax (it has no data.ndc stream); export it again from BTSDA',
      { file: fileName },
    );
  }
  const xml = readXmlFields(files, fileName);
  const data = decodeNdc(dataBytes, 'data.ndc', fileName);
  if (data.type !== 'data')
    throw new ElyteError('malformed', 'data.ndc is not a data stream', { file: fileName });
  const warnings: string[] = [];
  let merged: NdcRecords;
  let stepsAreCounted = false;
  if (data.complete) {
    merged = data.records;
  } else {
    const runInfo = files['data_runInfo.ndc']
      ? decodeNdc(files['data_runInfo.ndc'], 'data_runInfo.ndc', fileName)
      : null;
    const step = files['data_step.ndc'] ? decodeNdc(files['data_step.ndc'], 'data_step.ndc', fileName) : null;
    if (runInfo?.type !== 'runInfo' || step?.type !== 'step') {
      throw new ElyteError(
        'unsupported',
        'this .ndax stores voltage and current only, without data_runInfo.ndc/data_step.ndc; ' +
          'export the test from BTSDA as CSV',
        { file: fileName },
      );
    }
    merged = joinStreams(data.records, runInfo.records, step.steps);
    if (fillGaps(merged)) {
      warnings.push(
        'time, clock, capacity and energy of rows between logging points were filled in from neighbouring ' +
          'rows, as BTSDA does (the .ndax stores them only at logging points)',
      );
    }
    stepsAreCounted = true;
  }
  guard.check(0.7);
  const table = toTable(merged);
  if (table.length === 0) {
    throw new ElyteError('malformed', 'the .ndax holds no data records (the test may not have started)', {
      file: fileName,
    });
  }
  const aux = new NewareAux();
  for (const [name, member] of Object.entries(files)) {
    const channel = auxChannel(name, xml.auxIds);
    if (channel === null) continue;
    const stream = decodeNdc(member, name, fileName);
    if (stream.type === 'aux') addAux(aux, stream.aux, channel);
  }
  const laid = layOutNewareTable(table, aux, { dedupe: false, countSteps: !stepsAreCounted });
  const metadata: Measurement['metadata'] = { instrument: 'Neware BTS', extra: xml.extra };
  if (xml.software) metadata.softwareVersion = xml.software;
  if (xml.serial) metadata.serialNumber = xml.serial;
  if (xml.channel) metadata.channel = xml.channel;
  if (xml.mass_mg !== undefined && xml.mass_mg > 0) metadata.mass_kg = xml.mass_mg * 1e-6;
  const first = merged.timestamp.find((t) => Number.isFinite(t));
  if (first !== undefined) metadata.startTime = new Date(Math.round(first * 1000)).toISOString();
  return finishMeasurement({
    format: 'neware-ndax',
    fileName,
    technique: 'Cycling',
    kind: 'galvanostatic',
    channels: laid.channels,
    original: laid.original,
    metadata,
    warnings: [...warnings, ...laid.warnings],
  });
}

/**
 * Left join data ⋈ runInfo on index (a runInfo index may appear twice: both rows are kept), step
 * carried forward, then ⋈ step table on step number.
 */
function joinStreams(data: NdcRecords, runInfo: NdcRecords, steps: NdcStepTable): NdcRecords {
  const byIndex = new Map<number, number[]>();
  runInfo.index.forEach((index, row) => {
    const rows = byIndex.get(index);
    if (rows) rows.push(row);
    else byIndex.set(index, [row]);
  });
  const runSteps = countRunSteps(runInfo.step);
  const out = emptyRecords();
  let step = Number.NaN;
  const push = (i: number, r: number | undefined): void => {
    out.index.push(data.index[i]!);
    out.voltage.push(data.voltage[i]!);
    out.current_mA.push(data.current_mA[i]!);
    const get = (values: number[]): number => (r === undefined ? Number.NaN : values[r]!);
    out.time.push(get(runInfo.time));
    out.chargeCapacity.push(get(runInfo.chargeCapacity));
    out.dischargeCapacity.push(get(runInfo.dischargeCapacity));
    out.chargeEnergy.push(get(runInfo.chargeEnergy));
    out.dischargeEnergy.push(get(runInfo.dischargeEnergy));
    out.timestamp.push(get(runInfo.timestamp));
    if (r !== undefined) step = runSteps[r]!;
    out.step.push(step);
    const s = Number.isFinite(step) ? step - 1 : -1;
    out.cycle.push(steps.cycle[s] ?? Number.NaN);
    out.status.push(steps.status[s] ?? 0);
    out.range.push(Number.NaN);
  };
  for (let i = 0; i < data.index.length; i++) {
    const rows = byIndex.get(data.index[i]!);
    if (!rows) push(i, undefined);
    else for (const r of rows) push(i, r);
  }
  return out;
}

function countRunSteps(raw: number[]): number[] {
  const counted: number[] = [];
  let count = 0;
  raw.forEach((value, i) => {
    if (i === 0 || (i < raw.length - 1 && value !== raw[i - 1])) count++;
    counted.push(count);
  });
  return counted;
}

/**
 * Fills rows that runInfo did not log, the way NewareNDA reproduces BTSDA: time interpolated inside
 * a step and extrapolated with the last increment at its ends; clock = last logged clock + elapsed
 * time; capacity and energy = last logged value + ∫|I|dt (and ∫|I|V dt) since it, on the side of the
 * current's sign. Returns whether anything was filled.
 */
function fillGaps(r: NdcRecords): boolean {
  const n = r.time.length;
  const valid = r.time.map((t) => !Number.isNaN(t));
  if (valid.every(Boolean)) return false;
  const time = interpolateInsideSteps(r.time, r.step);
  // Extrapolate the remaining gaps with the last known increment.
  let lastDiff = Number.NaN;
  let anchor = Number.NaN;
  let sinceAnchor = 0;
  const filledTime = time.slice();
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(time[i]!)) {
      if (i > 0 && !Number.isNaN(time[i - 1]!)) lastDiff = time[i]! - time[i - 1]!;
      anchor = time[i]!;
      sinceAnchor = 0;
    } else {
      sinceAnchor += Number.isNaN(lastDiff) ? 0 : lastDiff;
      filledTime[i] = anchor + sinceAnchor;
    }
  }
  let lastValid = -1;
  const capacityInc = new Array<number>(n).fill(0);
  const energyInc = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const dt = i > 0 ? filledTime[i]! - filledTime[i - 1]! : Number.NaN;
    const capacity = Number.isNaN(dt) ? 0 : (dt * Math.abs(r.current_mA[i]!)) / 3600;
    const energy = capacity * r.voltage[i]!;
    // Running sums restart at every logged row (and include that row's own increment).
    capacityInc[i] = (valid[i] ? 0 : (capacityInc[i - 1] ?? 0)) + capacity;
    energyInc[i] = (valid[i] ? 0 : (energyInc[i - 1] ?? 0)) + energy;
    if (valid[i]) {
      lastValid = i;
      continue;
    }
    if (lastValid < 0) continue;
    r.timestamp[i] = r.timestamp[lastValid]! + (filledTime[i]! - filledTime[lastValid]!);
    const previousCurrent = r.current_mA[i - 1]!;
    const previousCapacity = capacityInc[i - 1]!;
    const previousEnergy = energyInc[i - 1]!;
    r.chargeCapacity[i] = r.chargeCapacity[lastValid]! + (previousCurrent > 0 ? previousCapacity : 0);
    r.dischargeCapacity[i] = r.dischargeCapacity[lastValid]! + (previousCurrent < 0 ? previousCapacity : 0);
    r.chargeEnergy[i] = r.chargeEnergy[lastValid]! + (previousCurrent > 0 ? previousEnergy : 0);
    r.dischargeEnergy[i] = r.dischargeEnergy[lastValid]! + (previousCurrent < 0 ? previousEnergy : 0);
  }
  for (let i = 0; i < n; i++) r.time[i] = filledTime[i]!;
  return true;
}

/** Linear interpolation by position between logged times of the same step (gaps at a step's ends stay). */
function interpolateInsideSteps(time: number[], step: number[]): number[] {
  const out = time.slice();
  let previous = -1;
  for (let i = 0; i < time.length; i++) {
    if (Number.isNaN(time[i]!)) continue;
    if (previous >= 0 && i - previous > 1) {
      let sameStep = true;
      for (let k = previous; k <= i; k++) if (step[k] !== step[i]) sameStep = false;
      if (sameStep) {
        for (let k = previous + 1; k < i; k++) {
          out[k] = time[previous]! + ((time[i]! - time[previous]!) * (k - previous)) / (i - previous);
        }
      }
    }
    previous = i;
  }
  return out;
}

function toTable(r: NdcRecords): NewareTable {
  const n = r.index.length;
  const table = new NewareTable(n, { fileCycle: true, range: true });
  const at = (values: number[], i: number): number => values[i] ?? Number.NaN;
  for (let i = 0; i < n; i++) {
    table.index[i] = r.index[i]!;
    table.fileCycle[i] = at(r.cycle, i);
    table.stepId[i] = at(r.step, i);
    table.status[i] = r.status[i] ?? 0;
    table.time[i] = at(r.time, i);
    table.voltage[i] = at(r.voltage, i);
    // The streams are in mA, mAh and mWh.
    table.current_A[i] = at(r.current_mA, i) / 1000;
    table.chargeCapacity_Ah[i] = at(r.chargeCapacity, i) / 1000;
    table.dischargeCapacity_Ah[i] = at(r.dischargeCapacity, i) / 1000;
    table.chargeEnergy_Wh[i] = at(r.chargeEnergy, i) / 1000;
    table.dischargeEnergy_Wh[i] = at(r.dischargeEnergy, i) / 1000;
    table.timestamp[i] = at(r.timestamp, i);
    table.range[i] = at(r.range, i);
  }
  table.length = n;
  table.hasFileCycle = r.cycle.some((v) => !Number.isNaN(v));
  table.hasRange = r.range.some((v) => !Number.isNaN(v));
  return table;
}

/** Aux channel number of an aux stream ("data_AUX_9_3_1.ndc" → the AuxID TestInfo maps 9 to). */
function auxChannel(name: string, auxIds: Map<number, number>): number | null {
  const real = /^data_AUX_(\d+)_\d+_\d+\.ndc$/.exec(name);
  if (real) return auxIds.get(Number(real[1])) ?? Number(real[1]);
  const plain = /_(\d+)\.ndc$/.exec(name);
  return plain ? Number(plain[1]) : null;
}

function addAux(target: NewareAux, aux: NdcAux, channel: number): void {
  for (let i = 0; i < aux.index.length; i++) {
    const ch = Number.isNaN(aux.channel[i]!) ? channel : aux.channel[i]!;
    if (!Number.isNaN(aux.temperature[i]!)) target.add('T', ch, aux.index[i]!, aux.temperature[i]!);
    if (!Number.isNaN(aux.voltage[i]!)) target.add('V', ch, aux.index[i]!, aux.voltage[i]!);
  }
}

interface NdaxXml {
  extra: Record<string, string>;
  auxIds: Map<number, number>;
  software?: string;
  serial?: string;
  channel?: string;
  mass_mg?: number;
}

/** Header facts from the XML members (GB2312 text; attributes only, no nesting needed). */
function readXmlFields(files: Record<string, Uint8Array>, fileName: string): NdaxXml {
  const result: NdaxXml = { extra: {}, auxIds: new Map() };
  const text = (name: string): string => {
    const bytes = files[name];
    if (!bytes) return '';
    try {
      return new TextDecoder('gb18030').decode(bytes);
    } catch {
      return new TextDecoder('latin1').decode(bytes);
    }
  };
  const version = text('VersionInfo.xml');
  const versionTag = element(version, 'ZwjVersion');
  for (const [key, value] of versionTag) result.extra[`VersionInfo.${key}`] = value;
  result.software = versionTag.get('CurrClientVer') ?? versionTag.get('SvrVer');
  result.serial = versionTag.get('ZwjSn');
  const step = text('Step.xml');
  const mass = element(step, 'SCQ').get('Value');
  if (mass !== undefined && Number.isFinite(Number(mass))) {
    // Step.xml stores the active mass in µg.
    result.mass_mg = Number(mass) / 1000;
    result.extra['Step.SCQ (active mass, µg)'] = mass;
  }
  const remark = element(step, 'Remark').get('Value');
  if (remark) result.extra['Step.Remark'] = remark;
  const info = text('TestInfo.xml');
  const testInfo = element(info, 'TestInfo');
  for (const [key, value] of testInfo) result.extra[`TestInfo.${key}`] = value;
  const unit = testInfo.get('UnitID');
  const chl = testInfo.get('ChlID');
  const dev = testInfo.get('DevID');
  if (chl !== undefined) result.channel = [dev, unit, chl].filter((v) => v !== undefined).join('-');
  for (const match of info.matchAll(/<Aux\d+\s([^>]*)>/g)) {
    const attrs = attributes(match[1] ?? '');
    const real = Number(attrs.get('RealChlID'));
    const id = Number(attrs.get('AuxID'));
    if (Number.isInteger(real) && Number.isInteger(id)) result.auxIds.set(real, id);
  }
  if (!version && !step && !info) result.extra.Note = `${fileName} has no VersionInfo/Step/TestInfo XML`;
  return result;
}

function element(xml: string, name: string): Map<string, string> {
  const match = new RegExp(`<${name}\\s([^>]*)>`).exec(xml);
  return match ? attributes(match[1] ?? '') : new Map();
}

function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/([\w:.-]+)="([^"]*)"/g)) map.set(m[1]!, m[2]!);
  return map;
}
