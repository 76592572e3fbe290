/**
 * Landt / LANHE (LANDdt, LANHE CT2001/CT3001/CT3002) Excel export. No permissively licensed real file
 * exists yet, so this follows public descriptions of the export: a workbook with a record sheet
 * ("Record", "记录表", or the channel name) whose header row names columns with a slash unit —
 * "Record", "TestTime/Sec" (or h:mm:ss text), "StepTime/Sec", "Cycle-Index", "Step-Index", "Voltage/V",
 * "Current/mA", "Capacity/mAh", "Energy/mWh", "SysTime" — or the same in Chinese ("序号", "测试时间",
 * "循环号", "工步号", "电压/V", "电流/mA", "容量/mAh", "能量/mWh", "系统时间"); cycle and step summary
 * sheets beside it are listed but not read (they are derived from the records).
 * Current is signed in LANDdt exports (negative on discharge). If it is unsigned and a state column
 * marks discharge ("D…" / "放电"), discharge rows are negated, with a warning.
 */
import { ElyteError } from '../../../errors';
import type {
  CanonicalChannel,
  FormatReader,
  Measurement,
  OriginalColumn,
  ParseOptions,
} from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { isoLocal, parseDateTime } from '../../generic/dates';
import { ColumnSetBuilder, findColumn, numericCopy } from '../../generic/table';
import { requireUnitConversion } from '../../generic/units';
import { ParseGuard } from '../../guard';
import { isZip, readXlsxSheets, zipHeadTexts } from '../../xlsx';

const NAMES = {
  time: ['TestTime', 'Test Time', 'Test_Time', '测试时间', '总时间'],
  cycle: ['Cycle-Index', 'Cycle', 'Cycle Index', '循环号', '循环', '循环序号'],
  step: ['Step-Index', 'Step', 'Step Index', '工步号', '工步', '工步序号'],
  voltage: ['Voltage', '电压'],
  current: ['Current', '电流'],
  capacity: ['Capacity', '容量'],
  energy: ['Energy', '能量'],
  temperature: ['Temperature', '温度'],
  systemTime: ['SysTime', 'System Time', '系统时间', 'Realtime'],
  state: ['State', 'Status', '状态'],
};

/** Header text that only Landt exports write: a slash-unit voltage and current with a Landt time name. */
const MARKERS = {
  voltage: /(Voltage|电压)\/m?V\b/,
  current: /(Current|电流)\/[mµu]?A\b/,
  landt: /(TestTime|Cycle-Index|Step-Index|测试时间|循环号|工步号|SpeCap|LAND)/,
};

function looksLandt(text: string): boolean {
  return MARKERS.voltage.test(text) && MARKERS.current.test(text) && MARKERS.landt.test(text);
}

function cellText(cell: string | number | null): string {
  return cell === null ? '' : String(cell).trim();
}

/** Index of the header row in the first rows of a sheet, or -1. */
function headerRowOf(rows: (string | number | null)[][]): number {
  for (let r = 0; r < Math.min(rows.length, 15); r++) {
    const text = rows[r]!.map(cellText).join('\t');
    if (looksLandt(text)) return r;
  }
  return -1;
}

/** "1-02:03:04", "1 02:03:04", "26:03:04.5" or "02:03:04" → seconds. */
export function parseLandtDuration(text: string): number | undefined {
  const m = /^\s*(?:(\d+)[-\sd]+)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

function timeSeconds(column: OriginalColumn, fileName: string): Float64Array {
  const label = column.unit ? `${column.name}/${column.unit}` : column.name;
  if (!Array.isArray(column.values)) {
    const conversion = requireUnitConversion('time_s', column.unit || 's', label, fileName);
    const time = numericCopy(column, conversion.scale)!;
    const bad = time.findIndex((t) => !Number.isFinite(t));
    if (bad >= 0) throw new ElyteError('malformed', `record ${bad + 1} has no test time`, { file: fileName });
    return time;
  }
  const time = new Float64Array(column.values.length);
  column.values.forEach((text, i) => {
    const seconds = parseLandtDuration(text);
    if (seconds === undefined) {
      throw new ElyteError('malformed', `record ${i + 1}: test time "${text}" is not seconds or h:mm:ss`, {
        file: fileName,
      });
    }
    time[i] = seconds;
  });
  return time;
}

function siColumn(
  columns: OriginalColumn[],
  channel: CanonicalChannel,
  names: string[],
  defaultUnit: string,
  fileName: string,
): Float64Array | undefined {
  const column = findColumn(columns, ...names);
  if (!column || Array.isArray(column.values)) return undefined;
  const conversion = requireUnitConversion(
    channel,
    column.unit || defaultUnit,
    `${column.name}/${column.unit}`,
    fileName,
  );
  return numericCopy(column, conversion.scale, conversion.offset);
}

/** Excel serial date (days since 1899-12-30) or a date string → ISO local time. */
function startTimeOf(column: OriginalColumn | undefined): string | undefined {
  if (!column) return undefined;
  if (!Array.isArray(column.values)) {
    const serial = column.values[0];
    if (serial === undefined || !(serial > 20000 && serial < 80000)) return undefined;
    const ms = Math.round((serial - 25569) * 86400000);
    const date = new Date(ms);
    return isoLocal(
      [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()],
      date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds(),
    );
  }
  const first = column.values[0];
  return first ? parseDateTime(first, 'mdy') : undefined;
}

function signDischarge(current: Float64Array, state: OriginalColumn | undefined, warnings: string[]): void {
  if (!state || !Array.isArray(state.values)) return;
  if (current.some((v) => v < 0)) return;
  const discharge = (s: string): boolean => /^D/i.test(s) || s.includes('放电');
  let negated = 0;
  state.values.forEach((s, i) => {
    if (discharge(s) && current[i]! > 0) {
      current[i] = -current[i]!;
      negated++;
    }
  });
  if (negated > 0)
    warnings.push(`current is unsigned in this file: ${negated} discharge row(s) made negative`);
}

export function parseLandtXlsx(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const sheets = readXlsxSheets(bytes, fileName);
  guard.check();
  const candidates = sheets
    .map((sheet) => ({ sheet, header: headerRowOf(sheet.rows) }))
    .filter((c) => c.header >= 0)
    .sort((a, b) => Number(/record|记录/i.test(b.sheet.name)) - Number(/record|记录/i.test(a.sheet.name)));
  const chosen = candidates[0];
  if (!chosen) {
    throw new ElyteError(
      'malformed',
      'no sheet with a Landt record header ("Voltage/V", "Current/mA", "TestTime" …) was found',
      { file: fileName },
    );
  }
  const { sheet, header } = chosen;
  const headers = sheet.rows[header]!.map(cellText);
  const builder = new ColumnSetBuilder(headers, false);
  for (let r = header + 1; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!.map(cellText);
    if (row.every((c) => c.length === 0)) continue;
    builder.addRow(row, r + 1);
    guard.tick(r / sheet.rows.length);
  }
  const built = builder.finish();
  const columns = built.columns;
  const warnings = [...built.warnings];
  const timeColumn = findColumn(columns, ...NAMES.time);
  if (!timeColumn) {
    throw new ElyteError('malformed', `sheet "${sheet.name}" has no test-time column ("TestTime/Sec")`, {
      file: fileName,
    });
  }
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {
    time_s: timeSeconds(timeColumn, fileName),
  };
  const add = (channel: CanonicalChannel, names: string[], unit: string): void => {
    const values = siColumn(columns, channel, names, unit, fileName);
    if (values) channels[channel] = values;
  };
  add('voltage_V', NAMES.voltage, 'V');
  add('current_A', NAMES.current, 'mA');
  add('capacity_Ah', NAMES.capacity, 'mAh');
  add('energy_Wh', NAMES.energy, 'mWh');
  add('temperature_C', NAMES.temperature, '°C');
  const cycle = numericCopy(findColumn(columns, ...NAMES.cycle));
  if (cycle) channels.cycle = cycle;
  const step = numericCopy(findColumn(columns, ...NAMES.step));
  if (step) channels.step = step;
  if (channels.current_A) signDischarge(channels.current_A, findColumn(columns, ...NAMES.state), warnings);

  const extra: Record<string, string> = { 'record sheet': sheet.name };
  sheet.rows.slice(0, header).forEach((row, i) => {
    const text = row.map(cellText).filter(Boolean);
    if (text.length >= 2) extra[text[0]!.replace(/[:：]$/, '')] = text.slice(1).join(' ');
    else if (text.length === 1) extra[`row ${i + 1}`] = text[0]!;
  });
  const others = sheets.filter((s) => s !== sheet).map((s) => s.name);
  if (others.length > 0) {
    extra['other sheets'] = others.join(', ');
    warnings.push(`read the record sheet "${sheet.name}"; summary sheets not read: ${others.join(', ')}`);
  }
  const start = startTimeOf(findColumn(columns, ...NAMES.systemTime));
  return finishMeasurement({
    format: 'landt-xlsx',
    fileName,
    technique: 'Landt cycling',
    channels,
    original: columns,
    metadata: { instrument: 'Landt/LANHE', ...(start ? { startTime: start } : {}), extra },
    warnings,
  });
}

export const landtXlsxReader: FormatReader = {
  id: 'landt-xlsx',
  label: 'Landt / LANHE Excel export (.xlsx)',
  extensions: ['xlsx'],
  // 0.9: column headers are more specific than sheet names ("Record", "Cycle"), which Neware shares.
  sniff(head) {
    if (!isZip(head)) return 0;
    for (const [name, text] of zipHeadTexts(head)) {
      if (/^xl\/(sharedStrings\.xml|worksheets\/sheet\d+\.xml)$/.test(name) && looksLandt(text)) return 0.9;
    }
    return 0;
  },
  parse: parseLandtXlsx,
};
