/**
 * Segmentation of a galvanostatic record FROM THE CURRENT, never from a cycle column alone (instruments
 * define cycles differently): a row is active when |I| exceeds the rest threshold; a half cycle is a
 * maximal run of active rows of one sign (rests inside it, e.g. between the CC steps of one discharge,
 * do not split it); cycles pair consecutive half cycles. One pass over the rows, typed arrays only,
 * so a million-row record costs milliseconds.
 */

export type Direction = 'charge' | 'discharge';

export interface HalfCycle {
  index: number;
  /** Positive current = charge (the convention of BioLogic, Neware, Arbin, Maccor). */
  direction: Direction;
  /** First and last active row (inclusive). */
  start: number;
  end: number;
  startTime_s: number;
  endTime_s: number;
  /** Time with |I| above the rest threshold. */
  activeTime_s: number;
  /** |∫I dt| over the half cycle, C (rows' current times the interval before them). */
  charge_C: number;
  /** |∫V·I dt|, J. */
  energy_J: number;
  /** Capacity-weighted mean voltage ∫V|I|dt / ∫|I|dt, V. */
  meanVoltage_V: number;
  minVoltage_V: number;
  maxVoltage_V: number;
  /** Mean |I| over the active time, A. */
  meanCurrent_A: number;
  /** The file's cycle number at the first active row, when the file has a cycle column. */
  fileCycle: number | null;
}

export interface SegmentOptions {
  /** |I| at or below this is rest, A. */
  restCurrent_A: number;
  /** Half cycles passing less than this charge are noise (a one-point blip), C. */
  minCharge_C: number;
}

/**
 * The rest threshold used when none is given: 0.5 % of the 99th-percentile |I| (robust to a few
 * spikes); low enough for a 0.1 C step in a record that reaches 5 C (2 % of its maximum), high enough
 * to ignore the µA offsets instruments log at rest.
 */
export function defaultRestCurrent(current: Float64Array): number {
  const n = current.length;
  // A strided sample keeps this O(1e5) on million-row records.
  const stride = Math.max(1, Math.floor(n / 100_000));
  const sample = new Float64Array(Math.ceil(n / stride));
  let k = 0;
  for (let i = 0; i < n; i += stride) sample[k++] = Math.abs(current[i]!);
  const used = sample.subarray(0, k).sort();
  const p99 = used[Math.min(k - 1, Math.floor(0.99 * (k - 1)))] ?? 0;
  return 0.005 * p99;
}

export function segmentHalfCycles(
  time: Float64Array,
  current: Float64Array,
  voltage: Float64Array,
  options: SegmentOptions,
  cycleColumn?: Float64Array,
): HalfCycle[] {
  const n = time.length;
  const threshold = options.restCurrent_A;
  const halves: HalfCycle[] = [];
  let sign = 0;
  let start = -1;
  let lastActive = -1;
  let q = 0;
  let e = 0;
  let qv = 0;
  let qAbs = 0;
  let active = 0;
  let vmin = Number.POSITIVE_INFINITY;
  let vmax = Number.NEGATIVE_INFINITY;
  // Running sums up to the last active row, so trailing rest rows are not counted in the half cycle.
  let qAtLast = 0;
  let eAtLast = 0;
  let qvAtLast = 0;
  let qAbsAtLast = 0;

  const close = (): void => {
    if (sign === 0 || start < 0) return;
    const charge = Math.abs(qAtLast);
    if (charge < options.minCharge_C) return;
    const direction: Direction = sign > 0 ? 'charge' : 'discharge';
    const previous = halves[halves.length - 1];
    if (previous && previous.direction === direction) {
      // A dropped blip of the other sign separated two parts of one half cycle: join them.
      const total = previous.charge_C + charge;
      previous.meanVoltage_V =
        (previous.meanVoltage_V * previous.charge_C + (qvAtLast / Math.max(qAbsAtLast, 1e-300)) * charge) /
        total;
      previous.charge_C = total;
      previous.energy_J += Math.abs(eAtLast);
      previous.end = lastActive;
      previous.endTime_s = time[lastActive]!;
      previous.activeTime_s += active;
      previous.minVoltage_V = Math.min(previous.minVoltage_V, vmin);
      previous.maxVoltage_V = Math.max(previous.maxVoltage_V, vmax);
      previous.meanCurrent_A = previous.activeTime_s > 0 ? total / previous.activeTime_s : 0;
      return;
    }
    halves.push({
      index: halves.length,
      direction,
      start,
      end: lastActive,
      startTime_s: time[start]!,
      endTime_s: time[lastActive]!,
      activeTime_s: active,
      charge_C: charge,
      energy_J: Math.abs(eAtLast),
      meanVoltage_V: qAbsAtLast > 0 ? qvAtLast / qAbsAtLast : voltage[start]!,
      minVoltage_V: vmin,
      maxVoltage_V: vmax,
      meanCurrent_A: active > 0 ? charge / active : 0,
      fileCycle: cycleColumn ? cycleColumn[start]! : null,
    });
  };

  for (let i = 0; i < n; i++) {
    const I = current[i]!;
    const dt = i > 0 ? time[i]! - time[i - 1]! : 0;
    const s = I > threshold ? 1 : I < -threshold ? -1 : 0;
    if (s !== 0 && s !== sign) {
      close();
      sign = s;
      start = i;
      q = 0;
      e = 0;
      qv = 0;
      qAbs = 0;
      active = 0;
      vmin = Number.POSITIVE_INFINITY;
      vmax = Number.NEGATIVE_INFINITY;
    }
    if (sign === 0) continue;
    // Trapezoid in V over the interval (the current is the instrument's average over it); a row after a
    // rest or a reversal uses its own V, since the previous row sits across the step's IR jump.
    const previousActive = i > start && Math.abs(current[i - 1]!) > threshold;
    const V = previousActive ? 0.5 * (voltage[i]! + voltage[i - 1]!) : voltage[i]!;
    const dq = I * dt;
    q += dq;
    e += V * dq;
    const adq = Math.abs(dq);
    qv += V * adq;
    qAbs += adq;
    if (s !== 0) {
      active += dt;
      lastActive = i;
      const Vi = voltage[i]!;
      if (Vi < vmin) vmin = Vi;
      if (Vi > vmax) vmax = Vi;
      qAtLast = q;
      eAtLast = e;
      qvAtLast = qv;
      qAbsAtLast = qAbs;
    }
  }
  close();
  return halves;
}

export interface CyclePairing {
  /** Half-cycle indices of each cycle's charge and discharge (null when the cycle lacks one). */
  cycles: { cycle: number; charge: number | null; discharge: number | null }[];
  leading: Direction;
}

/**
 * Pairs half cycles into cycles: a cycle starts with a half cycle of the leading direction and takes
 * the next one of the other direction. A half cycle of the other direction before the first leading
 * one (e.g. the partial discharge from OCV before the first charge) becomes cycle 0.
 */
export function pairByCurrent(halves: readonly HalfCycle[], leading: Direction | 'auto'): CyclePairing {
  const lead: Direction = leading === 'auto' ? (halves[0]?.direction ?? 'charge') : leading;
  const cycles: CyclePairing['cycles'] = [];
  let current: CyclePairing['cycles'][number] | null = null;
  let number = 0;
  for (const h of halves) {
    if (h.direction === lead) {
      number++;
      current = { cycle: number, charge: null, discharge: null };
      cycles.push(current);
    } else if (!current || current[h.direction] !== null) {
      // A trailing half cycle with no leading partner (only possible before the first leading one).
      current = { cycle: number, charge: null, discharge: null };
      cycles.push(current);
    }
    if (current[h.direction] === null) current[h.direction] = h.index;
  }
  return { cycles, leading: lead };
}

/**
 * Groups half cycles by the file's cycle number (for comparison with tools that trust it). Several
 * half cycles of one direction in one file cycle are summed by the caller.
 */
export function groupByFileCycle(halves: readonly HalfCycle[]): Map<number, HalfCycle[]> {
  const groups = new Map<number, HalfCycle[]>();
  for (const h of halves) {
    const key = h.fileCycle ?? 0;
    const list = groups.get(key);
    if (list) list.push(h);
    else groups.set(key, [h]);
  }
  return groups;
}
