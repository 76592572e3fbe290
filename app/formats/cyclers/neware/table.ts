/**
 * The record table every Neware binary layout decodes into (the same fields BTSDA shows), and the
 * post-processing BTSDA applies on screen: records ordered by index, step numbers counted from step
 * changes, and the "charge first" cycle statistic. Layout facts follow the public NewareNDA project
 * (d-cogswell/NewareNDA); this is our own implementation.
 *
 * Units in the table are SI-based: time s, voltage V, current A, capacity Ah, energy Wh (the binary
 * files carry no unit strings; NewareNDA shows the same values in mA/mAh/mWh). Current sign as
 * Neware reports it: positive while charging, negative while discharging.
 */
import type { CanonicalChannel, NumericColumn, OriginalColumn } from '../../../measurement';

/** Neware step (state) codes → the names BTSDA shows. */
export const NEWARE_STATES: Readonly<Record<number, string>> = {
  1: 'CC_Chg',
  2: 'CC_DChg',
  3: 'CV_Chg',
  4: 'Rest',
  5: 'Cycle',
  7: 'CCCV_Chg',
  8: 'CP_DChg',
  9: 'CP_Chg',
  10: 'CR_DChg',
  13: 'Pause',
  16: 'Pulse',
  17: 'SIM',
  19: 'CV_DChg',
  20: 'CCCV_DChg',
  21: 'Control',
  22: 'OCV',
  26: 'CPCV_DChg',
  27: 'CPCV_Chg',
};

/**
 * Old-layout records store integers scaled by the channel's current range; this maps the range
 * (in the file) to mA per count. An unknown range cannot be decoded without guessing.
 */
export const RANGE_MULTIPLIER: ReadonlyMap<number, number> = new Map([
  [-100000000, 10],
  [-200000, 1e-2],
  [-100000, 1e-2],
  [-60000, 1e-2],
  [-30000, 1e-2],
  [-50000, 1e-2],
  [-20000, 1e-2],
  [-12000, 1e-2],
  [-10000, 1e-2],
  [-6000, 1e-2],
  [-5000, 1e-2],
  [-3000, 1e-2],
  [-2000, 1e-2],
  [-1000, 1e-2],
  [-500, 1e-3],
  [-100, 1e-3],
  [-50, 1e-4],
  [-25, 1e-4],
  [-20, 1e-4],
  [-10, 1e-4],
  [-5, 1e-5],
  [-2, 1e-5],
  [-1, 1e-5],
  [0, 0],
  [1, 1e-4],
  [2, 1e-4],
  [5, 1e-4],
  [10, 1e-3],
  [20, 1e-3],
  [50, 1e-3],
  [100, 1e-2],
  [200, 1e-2],
  [250, 1e-2],
  [500, 1e-2],
  [1000, 1e-1],
  [6000, 1e-1],
  [10000, 1e-1],
  [12000, 1e-1],
  [20000, 1e-1],
  [30000, 1e-1],
  [40000, 1e-1],
  [50000, 1e-1],
  [60000, 1e-1],
  [100000, 1e-1],
  [200000, 1e-1],
]);

/**
 * Which optional columns a layout has and how wide its ids are. Binary layouts store the record index
 * and step id as unsigned integers: kept in that width (a million-record file then allocates less);
 * 'f64' for layouts whose ids may be missing (NaN).
 */
export interface NewareTableLayout {
  fileCycle?: boolean;
  range?: boolean;
  /** Record index and step id: 'u32' (index) with 'u8' or 'u32' step ids, or both Float64 (default). */
  ids?: 'u8' | 'u32' | 'f64';
  /**
   * The layout stores one signed capacity and one signed energy (negative while discharging, BTS 9.1)
   * rather than charge and discharge counters: kept as the file's float32 values in its units.
   */
  signed?: boolean;
}

/** Column-oriented record table, filled by index `n` up to `capacity` rows, then trimmed. */
export class NewareTable {
  length = 0;
  readonly index: Float64Array | Uint32Array;
  /** Cycle as stored in the file (old layouts only); empty unless the layout has one. */
  readonly fileCycle: Float64Array;
  /** Step id as stored (the schedule's step number). */
  readonly stepId: Float64Array | Uint32Array | Uint8Array;
  readonly status: Uint8Array;
  readonly time: Float64Array;
  readonly voltage: Float64Array;
  readonly current_A: Float64Array;
  readonly chargeCapacity_Ah: Float64Array;
  readonly dischargeCapacity_Ah: Float64Array;
  readonly chargeEnergy_Wh: Float64Array;
  readonly dischargeEnergy_Wh: Float64Array;
  /** Signed layouts: capacity in mA·s and energy in mW·s as stored (float32); empty otherwise. */
  readonly signedCapacity_mAs: Float32Array;
  readonly signedEnergy_mWs: Float32Array;
  readonly signed: boolean;
  /** Seconds since 1970-01-01 (UTC for BTS 9 layouts; the tester's wall clock for old ones). */
  readonly timestamp: Float64Array;
  /** Current-range setting per record (old layouts); empty unless the layout has one. */
  readonly range: Float64Array;
  /** Thermocouple stored inside each record (BTS 9.1, 56-byte records), or null. */
  inlineTemperature: Float64Array | null = null;
  hasFileCycle = false;
  hasRange = false;

  constructor(
    readonly capacity: number,
    layout: NewareTableLayout = {},
  ) {
    const ids = layout.ids ?? 'f64';
    this.index = ids === 'f64' ? new Float64Array(capacity) : new Uint32Array(capacity);
    this.stepId =
      ids === 'u8'
        ? new Uint8Array(capacity)
        : ids === 'u32'
          ? new Uint32Array(capacity)
          : new Float64Array(capacity);
    // Columns a layout does not have are not allocated: a million rows of them cost 8 MB each.
    this.fileCycle = new Float64Array(layout.fileCycle ? capacity : 0);
    this.range = new Float64Array(layout.range ? capacity : 0);
    this.status = new Uint8Array(capacity);
    this.time = new Float64Array(capacity);
    this.voltage = new Float64Array(capacity);
    this.current_A = new Float64Array(capacity);
    this.signed = layout.signed === true;
    const split = this.signed ? 0 : capacity;
    this.chargeCapacity_Ah = new Float64Array(split);
    this.dischargeCapacity_Ah = new Float64Array(split);
    this.chargeEnergy_Wh = new Float64Array(split);
    this.dischargeEnergy_Wh = new Float64Array(split);
    this.signedCapacity_mAs = new Float32Array(capacity - split);
    this.signedEnergy_mWs = new Float32Array(capacity - split);
    this.timestamp = new Float64Array(capacity);
  }
}

/** Auxiliary readings (thermocouples, aux voltages) keyed by record index, one map per aux channel. */
export class NewareAux {
  readonly temperature = new Map<number, Map<number, number>>();
  readonly voltage = new Map<number, Map<number, number>>();

  add(kind: 'T' | 'V', channel: number, index: number, value: number): void {
    const maps = kind === 'T' ? this.temperature : this.voltage;
    let byIndex = maps.get(channel);
    if (!byIndex) {
      byIndex = new Map();
      maps.set(channel, byIndex);
    }
    // pandas drop_duplicates + pivot keeps one value per (index, channel): the first.
    if (!byIndex.has(index)) byIndex.set(index, value);
  }
}

export type CycleMode = 'chg' | 'dchg' | 'auto';

/**
 * BTSDA's "charge first" cycle statistic: a new cycle starts at the first charge step after a
 * discharge ('chg'), or the reverse ('dchg'); 'auto' picks by the first non-rest state.
 */
export function cycleNumbers(statusNames: readonly string[], mode: CycleMode = 'chg'): Float64Array {
  const codes = new Uint8Array(statusNames.length);
  const byName = new Map<string, number>();
  const names: string[] = [];
  statusNames.forEach((name, i) => {
    let code = byName.get(name);
    if (code === undefined) {
      code = names.length;
      names.push(name);
      byName.set(name, code);
    }
    codes[i] = code;
  });
  return cycleNumbersFromCodes(codes, names, mode);
}

/** The same on state codes: per-code lookup tables, so a million records cost one pass. */
export function cycleNumbersFromCodes(
  codes: Uint8Array,
  names: readonly string[],
  mode: CycleMode,
): Float64Array {
  let resolved = mode;
  if (resolved === 'auto') {
    const first = codes.find((c) => names[c] !== 'Rest');
    const state = first === undefined ? undefined : names[first]?.split('_')[1]?.toLowerCase();
    resolved = state === 'dchg' ? 'dchg' : 'chg';
  }
  const incKey = resolved === 'chg' ? 'Chg' : 'DChg';
  const offKey = resolved === 'chg' ? 'DChg' : 'Chg';
  const incStates = new Set([`CCCV_${incKey}`, `CC_${incKey}`, `CP_${incKey}`]);
  // Per code: 1 = starts a cycle when flagged, 2 = sets the flag (off state or SIM), 0 = neither.
  const isInc = new Uint8Array(256);
  const setsFlag = new Uint8Array(256);
  const plain = new Uint8Array(256); // no "_" in the name: only SIM matters
  names.forEach((name, code) => {
    if (code > 255) return;
    const underscore = name.indexOf('_');
    isInc[code] = incStates.has(name) ? 1 : 0;
    plain[code] = underscore < 0 ? 1 : 0;
    setsFlag[code] =
      underscore < 0 ? (name === 'SIM' ? 1 : 0) : name.slice(underscore + 1) === offKey ? 1 : 0;
  });
  const n = codes.length;
  const cycles = new Float64Array(n);
  let cycle = 1;
  let flag = false;
  let previousInc = 0;
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    const inc = isInc[code]!;
    const startsInc = i === 0 || (inc === 1 && previousInc === 0);
    previousInc = inc;
    if (plain[code] === 1) {
      if (setsFlag[code] === 1) flag = true;
    } else if (startsInc && flag) {
      cycle++;
      flag = false;
    } else if (setsFlag[code] === 1) {
      flag = true;
    }
    cycles[i] = cycle;
  }
  return cycles;
}

/** Numbers steps 1, 2, 3… at every change of the stored step id, as BTSDA does. */
export function countChanges(values: NumericColumn): Float64Array {
  const out = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    // NewareNDA never counts a change on the last row (its diff's last element is zeroed).
    if (i === 0 || (i < values.length - 1 && values[i] !== values[i - 1])) count++;
    out[i] = count;
  }
  return out;
}

export function stateName(code: number): string {
  return NEWARE_STATES[code] ?? `State${code}`;
}

export interface NewareColumns {
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  original: OriginalColumn[];
  warnings: string[];
}

/**
 * Trims, orders and numbers the decoded table, joins the aux readings and lays out the canonical
 * channels (SI) and the original columns (Neware units).
 * - `dedupe`: drop repeated record indices (keep the first) and sort by index, as the .nda files
 *   sometimes store a record twice around page boundaries.
 * - `countSteps`: step = running count of step-id changes (the .nda convention); otherwise the
 *   table's stepId is already a running step number.
 */
export function layOutNewareTable(
  table: NewareTable,
  aux: NewareAux,
  options: { dedupe: boolean; countSteps: boolean; cycleMode?: CycleMode },
): NewareColumns {
  const warnings: string[] = [];
  const order = rowOrder(table, options.dedupe);
  const n = order ? order.length : table.length;
  // In file order (the usual case) the decoded arrays are used as they are, trimmed, not copied.
  const pick = <T extends NumericColumn>(source: T): T => {
    if (!order) return n === source.length ? source : (source.slice(0, n) as T);
    // A copy of the same type and length, then overwritten in the new order.
    const out = source.slice(0, n) as T;
    for (let i = 0; i < n; i++) out[i] = source[order[i]!]!;
    return out;
  };
  let codes: Uint8Array;
  if (order) {
    codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) codes[i] = table.status[order[i]!]!;
  } else codes = table.status.subarray(0, n);
  const present = new Uint8Array(256);
  for (let i = 0; i < n; i++) present[codes[i]!] = 1;
  const names: string[] = [];
  const unknownStates: number[] = [];
  for (let code = 0; code < 256; code++) {
    names.push(stateName(code));
    if (present[code] && NEWARE_STATES[code] === undefined) unknownStates.push(code);
  }
  if (unknownStates.length > 0) {
    warnings.push(
      `unknown Neware step type code(s) ${unknownStates.join(', ')}; kept as State<code> in Status`,
    );
  }
  const index = pick(table.index);
  const stepId = pick(table.stepId);
  // The canonical step channel is Float64; stored ids that already are running numbers are widened.
  const step = options.countSteps
    ? countChanges(stepId)
    : stepId instanceof Float64Array
      ? stepId
      : Float64Array.from(stepId);
  const cycle = cycleNumbersFromCodes(codes, names, options.cycleMode ?? 'chg');
  const time = pick(table.time);
  const voltage = pick(table.voltage);
  const current_A = pick(table.current_A);
  const timestamp = pick(table.timestamp);

  const original: OriginalColumn[] = [{ name: 'Index', unit: '', values: index }];
  if (table.hasFileCycle) original.push({ name: 'Cycle (file)', unit: '', values: pick(table.fileCycle) });
  original.push({ name: 'Cycle', unit: '', values: cycle }, { name: 'Step', unit: '', values: step });
  if (options.countSteps) original.push({ name: 'Step ID', unit: '', values: stepId });
  // The file stores the step type as a byte: kept as that byte, with the names BTSDA shows.
  original.push(
    { name: 'Status', unit: '', values: codes, labels: names },
    { name: 'Time', unit: 's', values: time },
    { name: 'Voltage', unit: 'V', values: voltage },
    { name: 'Current', unit: 'A', values: current_A },
  );
  const amounts = table.signed
    ? signedAmounts(pick(table.signedCapacity_mAs), pick(table.signedEnergy_mWs), original)
    : splitAmounts(table, pick, original);
  original.push({ name: 'Timestamp', unit: 's since 1970', values: timestamp });
  if (table.hasRange) original.push({ name: 'Current range', unit: '', values: pick(table.range) });

  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {
    time_s: testTime(time, timestamp),
    voltage_V: voltage,
    current_A,
    ...amounts,
    cycle,
    step,
  };
  if (table.inlineTemperature) {
    const t1 = pick(table.inlineTemperature);
    original.push({ name: 'T1', unit: '°C', values: t1 });
    channels.temperature_C = t1;
  } else {
    addAuxColumns(aux, index, original, channels);
  }
  return { channels, original, warnings };
}

type Amounts = Pick<
  Partial<Record<CanonicalChannel, Float64Array>>,
  'capacity_Ah' | 'charge_capacity_Ah' | 'discharge_capacity_Ah' | 'energy_Wh'
>;

/**
 * Charge and discharge counters (Ah, Wh) as the file stores them, and the canonical step capacity and
 * energy: within a Neware step only one counter counts up, so their sum is the step's amount.
 */
function splitAmounts(
  table: NewareTable,
  pick: <T extends NumericColumn>(source: T) => T,
  original: OriginalColumn[],
): Amounts {
  const chgCap = pick(table.chargeCapacity_Ah);
  const dchgCap = pick(table.dischargeCapacity_Ah);
  const chgEn = pick(table.chargeEnergy_Wh);
  const dchgEn = pick(table.dischargeEnergy_Wh);
  original.push(
    { name: 'Charge_Capacity', unit: 'Ah', values: chgCap },
    { name: 'Discharge_Capacity', unit: 'Ah', values: dchgCap },
    { name: 'Charge_Energy', unit: 'Wh', values: chgEn },
    { name: 'Discharge_Energy', unit: 'Wh', values: dchgEn },
  );
  // Some layouts store discharge capacity as a negative number: canonical values are magnitudes.
  const chargeAh = magnitudes(chgCap);
  const dischargeAh = magnitudes(dchgCap);
  const n = chgCap.length;
  const capacityAh = new Float64Array(n);
  const energyWh = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    capacityAh[i] = chargeAh[i]! + dischargeAh[i]!;
    energyWh[i] = Math.abs(chgEn[i]!) + Math.abs(dchgEn[i]!);
  }
  return {
    capacity_Ah: capacityAh,
    charge_capacity_Ah: chargeAh,
    discharge_capacity_Ah: dischargeAh,
    energy_Wh: energyWh,
  };
}

/**
 * One signed capacity and energy per record (negative while discharging), kept as stored; the
 * canonical step capacity and energy are their magnitudes in Ah and Wh. Charge and discharge
 * capacity are the same numbers split by sign, so they are not stored a second time.
 */
function signedAmounts(
  capacity_mAs: Float32Array,
  energy_mWs: Float32Array,
  original: OriginalColumn[],
): Amounts {
  original.push(
    { name: 'Capacity', unit: 'mA·s', values: capacity_mAs },
    { name: 'Energy', unit: 'mW·s', values: energy_mWs },
  );
  const n = capacity_mAs.length;
  const capacityAh = new Float64Array(n);
  const energyWh = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    capacityAh[i] = Math.abs(capacity_mAs[i]!) / 3.6e6;
    energyWh[i] = Math.abs(energy_mWs[i]!) / 3.6e6;
  }
  return { capacity_Ah: capacityAh, energy_Wh: energyWh };
}

/**
 * Neware's Time restarts at every step. Test time continues across a restart by the clock gap between
 * the two records (timestamps), or by nothing when the clock is missing.
 */
function testTime(stepTime: Float64Array, timestamp: Float64Array): Float64Array {
  const out = new Float64Array(stepTime.length);
  let offset = 0;
  for (let i = 0; i < stepTime.length; i++) {
    if (i > 0 && stepTime[i]! < stepTime[i - 1]!) {
      const gap = timestamp[i]! - timestamp[i - 1]!;
      offset = out[i - 1]! + (Number.isFinite(gap) && gap >= 0 ? gap : 0) - stepTime[i]!;
    }
    out[i] = stepTime[i]! + offset;
  }
  return out;
}

/** The same array when no value is negative (no copy), else a copy of the absolute values. */
function magnitudes(values: Float64Array): Float64Array {
  let negative = false;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < 0) {
      negative = true;
      break;
    }
  }
  return negative ? values.map(Math.abs) : values;
}

/** Row order after dropping repeated indices and sorting; null when that is the file order. */
function rowOrder(table: NewareTable, dedupe: boolean): Uint32Array | null {
  const n = table.length;
  if (!dedupe) return null;
  let increasing = true;
  for (let i = 1; i < n; i++) {
    if (table.index[i]! <= table.index[i - 1]!) {
      increasing = false;
      break;
    }
  }
  if (increasing) return null;
  const seen = new Set<number>();
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = table.index[i]!;
    if (seen.has(key)) continue; // pandas drop_duplicates keeps the first
    seen.add(key);
    kept.push(i);
  }
  const order = Uint32Array.from(kept);
  order.sort((a, b) => table.index[a]! - table.index[b]! || a - b);
  return order;
}

function addAuxColumns(
  aux: NewareAux,
  index: NumericColumn,
  original: OriginalColumn[],
  channels: Partial<Record<CanonicalChannel, Float64Array>>,
): void {
  const add = (kind: 'T' | 'V', unit: string): void => {
    const maps = kind === 'T' ? aux.temperature : aux.voltage;
    for (const channel of [...maps.keys()].sort((a, b) => a - b)) {
      const byIndex = maps.get(channel)!;
      const values = new Float64Array(index.length);
      let finite = 0;
      for (let i = 0; i < index.length; i++) {
        const v = byIndex.get(index[i]!);
        values[i] = v ?? Number.NaN;
        if (v !== undefined && Number.isFinite(v)) finite++;
      }
      if (finite === 0) continue; // an aux channel the file declares but never recorded
      original.push({ name: `${kind}${channel}`, unit, values });
      if (kind === 'T' && !channels.temperature_C) channels.temperature_C = values;
    }
  };
  add('T', '°C');
  add('V', 'V');
}
