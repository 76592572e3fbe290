/**
 * Column mapping for generic tables: which source column is which canonical channel, and in what unit.
 * `suggestMapping` guesses from header names (the UI pre-fills its dialog with it; the reader uses it
 * when no mapping is given); `headerSignature` names a header layout so the library can remember the
 * mapping a user chose for it; `applyMapping` builds SI channels and says what it did.
 */
import { ElyteError } from '../../errors';
import type { CanonicalChannel, ColumnMapping, OriginalColumn } from '../../measurement';
import { isCanonicalChannel } from '../../measurement';
import { applyConversion, CHANNEL_DIMENSION, parseHeaderUnit, requireUnitConversion } from './units';

/** Unit assumed when a header names the quantity but not its unit. */
const DEFAULT_UNIT: Record<string, string> = {
  time: 's',
  voltage: 'V',
  current: 'A',
  charge: 'C',
  capacity: 'Ah',
  energy: 'Wh',
  power: 'W',
  resistance: 'Ohm',
  frequency: 'Hz',
  temperature: '°C',
  angle: 'deg',
  count: '',
};

/** Header name (lower case, spaces/underscores/angle brackets removed) → channel, most specific first. */
const NAME_RULES: [RegExp, CanonicalChannel][] = [
  [/^(time|t|testtime|totaltime|elapsedtime|runtime|time\(s\)|elapsed|timeelapsed|timestamp)$/, 'time_s'],
  [
    /^(voltage|potential|ewe|e|u|v|volts|cellvoltage|ecell|we\(1\)\.potential|potentialapplied|vf)$/,
    'voltage_V',
  ],
  [/^(current|i|amps|cellcurrent|we\(1\)\.current|im)$/, 'current_A'],
  [/^(frequency|freq|f)$/, 'frequency_Hz'],
  [/^(z'|zreal|z_real|re\(z\)|rez|zre|real|zr|z'\(a\)|realz|zreal\(ohm\))$/, 'z_real_ohm'],
  [/^-?(z''|zimag|z_imag|im\(z\)|imz|zim|imag|zi|z''\(b\)|imagz)$/, 'z_imag_ohm'],
  [/^(\|z\||zmod|modz|mod\(z\)|z-mag|zmag|impedance|\|z\|\(ohm\))$/, 'z_mod_ohm'],
  [/^-?(phase|phase\(z\)|phaseangle|phase_angle|theta|zphz|zphase)$/, 'z_phase_deg'],
  [/^(chargecapacity|chgcap|qcharge|charge_capacity)$/, 'charge_capacity_Ah'],
  [/^(dischargecapacity|dchgcap|disccap|qdischarge|discharge_capacity)$/, 'discharge_capacity_Ah'],
  [/^(capacity|cap|q)$/, 'capacity_Ah'],
  [/^(charge|q\(c\))$/, 'charge_C'],
  [/^(energy)$/, 'energy_Wh'],
  [/^(power|p)$/, 'power_W'],
  [/^(cycle|cyclenumber|cycleindex|cycle#|cyc#|cycleno|cycleid)$/, 'cycle'],
  [/^(step|stepnumber|stepindex|step#|stepno|stepid)$/, 'step'],
  [/^(temperature|temp|celltemperature|t\(°c\))$/, 'temperature_C'],
];

function normaliseName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[<>]/g, '')
    .replace(/[\s_]+/g, '')
    .replace(/[\u2032]/g, "'")
    .replace(/[\u2033]/g, "''")
    .replace(/"/g, "''");
}

/** The canonical channel a header names, and whether its minus sign means the values are negated. */
export function channelForHeader(header: string): { channel: CanonicalChannel; negated: boolean } | null {
  const { name, unit } = parseHeaderUnit(header);
  const normalised = normaliseName(name);
  for (const [pattern, channel] of NAME_RULES) {
    if (!pattern.test(normalised)) continue;
    // "Charge (C)" is an electric charge, "Charge (mAh)" a capacity.
    if (channel === 'charge_C' && /h$/i.test(unit)) return { channel: 'capacity_Ah', negated: false };
    return { channel, negated: normalised.startsWith('-') };
  }
  return null;
}

/** The mapping suggested by header names: the first header for each channel, with its unit or a default. */
export function suggestMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  headers.forEach((header) => {
    const match = channelForHeader(header);
    if (!match || mapping[match.channel]) return;
    const { unit } = parseHeaderUnit(header);
    mapping[match.channel] = {
      column: header,
      unit: unit || DEFAULT_UNIT[CHANNEL_DIMENSION[match.channel]]!,
    };
  });
  return mapping;
}

/**
 * A stable name for a header layout: the headers normalised (trimmed, lower case, single spaces) and
 * hashed (FNV-1a, 32 bit), with the column count: "v1-5-3f2a9c1e". Same headers → same signature.
 */
export function headerSignature(headers: string[]): string {
  const text = headers.map((h) => h.trim().toLowerCase().replace(/\s+/g, ' ')).join('\u001f');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `v1-${headers.length}-${hash.toString(16).padStart(8, '0')}`;
}

export interface AppliedMapping {
  channels: Partial<Record<CanonicalChannel, Float64Array>>;
  /** Channel → the header it came from (for warnings and the UI). */
  used: Partial<Record<CanonicalChannel, string>>;
  warnings: string[];
}

/**
 * Builds SI channels from the original columns (`columns[i]` belongs to `headers[i]`). `headers` are the
 * raw header texts in column order
 * (they may differ from OriginalColumn.name, which has its unit split off). With `mapping` undefined the
 * suggestion from header names is used and unit-less headers get a default unit, with a warning.
 */
export function applyMapping(
  headers: string[],
  columns: (OriginalColumn | undefined)[],
  mapping: ColumnMapping | undefined,
  fileName: string,
): AppliedMapping {
  const explicit = mapping !== undefined;
  const chosen = mapping ?? suggestMapping(headers);
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {};
  const used: Partial<Record<CanonicalChannel, string>> = {};
  const warnings: string[] = [];
  for (const [channelName, spec] of Object.entries(chosen)) {
    if (!isCanonicalChannel(channelName)) {
      throw new ElyteError(
        'invalid-argument',
        `the column mapping names "${channelName}", not a known channel`,
        {
          file: fileName,
          where: 'column mapping',
        },
      );
    }
    if (!spec) continue;
    const index = resolveColumn(headers, spec.column);
    if (index < 0) {
      if (!explicit) continue;
      throw new ElyteError(
        'invalid-argument',
        `the column mapping for ${channelName} names column "${spec.column}", which is not in the file; ` +
          `its columns are: ${headers.map((h) => `"${h}"`).join(', ')}`,
        { file: fileName, where: 'column mapping' },
      );
    }
    const header = headers[index]!;
    const column = columns[index];
    if (!column || !(column.values instanceof Float64Array)) {
      if (!explicit) continue;
      throw new ElyteError(
        'invalid-argument',
        `column "${header}" (for ${channelName}) does not hold numbers`,
        {
          file: fileName,
          where: `column "${header}"`,
        },
      );
    }
    const conversion = requireUnitConversion(channelName, spec.unit, header, fileName);
    const values = applyConversion(Float64Array.from(column.values), conversion);
    if (!explicit && !parseHeaderUnit(header).unit && CHANNEL_DIMENSION[channelName] !== 'count') {
      warnings.push(`column "${header}" names no unit; read as ${spec.unit} for ${channelName}`);
    }
    if (
      channelForHeader(header)?.negated &&
      (channelName === 'z_imag_ohm' || channelName === 'z_phase_deg')
    ) {
      for (let i = 0; i < values.length; i++) values[i] = -values[i]!;
    }
    channels[channelName] = values;
    used[channelName] = header;
  }
  orientImaginary(channels, used, warnings);
  return { channels, used, warnings };
}

/**
 * Im(Z) (and phase) must be negative for capacitive behaviour. When most values are positive after
 * honouring a minus sign in the header, the file wrote -Im(Z) under a plain name (common for "Z''"):
 * negate, and say so. Only an impedance spectrum that is mostly inductive would be misread this way.
 */
function orientImaginary(
  channels: Partial<Record<CanonicalChannel, Float64Array>>,
  used: Partial<Record<CanonicalChannel, string>>,
  warnings: string[],
): void {
  for (const channel of ['z_imag_ohm', 'z_phase_deg'] as const) {
    const values = channels[channel];
    if (!values || !mostlyPositive(values)) continue;
    for (let i = 0; i < values.length; i++) values[i] = -values[i]!;
    warnings.push(
      `column "${used[channel]}" is mostly positive, so it was read as the negative of ${channel} and negated ` +
        '(Elyte keeps capacitive Im(Z) and phase negative)',
    );
  }
}

function mostlyPositive(values: Float64Array): boolean {
  let positive = 0;
  let negative = 0;
  for (const v of values) {
    if (v > 0) positive++;
    else if (v < 0) negative++;
  }
  return positive > negative;
}

/** Index of a mapped column: a 0-based number, the exact header, or the header ignoring case/space/unit. */
function resolveColumn(headers: string[], column: string | number): number {
  if (typeof column === 'number')
    return Number.isInteger(column) && column >= 0 && column < headers.length ? column : -1;
  const exact = headers.indexOf(column);
  if (exact >= 0) return exact;
  const wanted = column.trim().toLowerCase();
  const byTrim = headers.findIndex((h) => h.trim().toLowerCase() === wanted);
  if (byTrim >= 0) return byTrim;
  return headers.findIndex((h) => parseHeaderUnit(h).name.toLowerCase() === wanted);
}
