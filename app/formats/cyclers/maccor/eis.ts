/**
 * Maccor FRA impedance export (*.EDA0001.041 beside the raw file): a ten-line preamble ("MACCOR, INC.
 * AC Impedance Test", the sweep mode, procedure, file, "Start Date: … Start Time: …", a line of numeric
 * settings) and a tab-separated table "Freq(Hz)  Polar(V)  time(sec)  Z'(a)  Z''(b)  Phase_Angle  Z-Mag …".
 * Z'' is written with capacitive values negative (its sign follows Phase_Angle); if a file's Z'' disagrees
 * in sign with its phase angle on most rows, Z'' is negated so capacitive Im(Z) is negative.
 */
import { ElyteError } from '../../../errors';
import type { CanonicalChannel, FormatReader, Measurement, ParseOptions } from '../../../measurement';
import { finishMeasurement } from '../../finish';
import { isoLocal, parseCalendarDate, parseTimeOfDay } from '../../generic/dates';
import { findColumn, numericCopy, readDelimitedTable } from '../../generic/table';
import { ParseGuard } from '../../guard';
import { headText, looksLikeText, splitLines } from '../../text';

function headerLineOf(lines: string[]): number {
  for (let i = 0; i < Math.min(lines.length, 40); i++) if (/^Freq\(Hz\)\t/i.test(lines[i]!)) return i;
  return -1;
}

export function parseMaccorEis(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  const headerLine = headerLineOf(splitLines(headText(bytes, 65536)));
  if (headerLine < 0) {
    throw new ElyteError('malformed', 'no "Freq(Hz)" column header in the Maccor impedance file', {
      file: fileName,
    });
  }
  const table = readDelimitedTable(bytes, {
    headerLine,
    delimiter: '\t',
    decimalComma: false,
    guard,
    fileName,
  });
  const { columns, preamble } = table;
  const warnings = [...table.warnings];
  const extra: Record<string, string> = {};
  preamble.forEach((line, i) => {
    if (line.trim()) extra[`preamble line ${i + 1}`] = line.trim();
  });
  const sweep = preamble.find((line) => /^Frequency Sweep:/i.test(line));
  if (sweep) extra['Frequency Sweep'] = sweep.replace(/^Frequency Sweep:\s*/i, '').trim();
  if (preamble[2]?.trim()) extra.Procedure = preamble[2].trim();
  let startTime: string | undefined;
  const startLine = preamble.find((line) => /Start Date:/i.test(line));
  if (startLine) {
    const [datePart, timePart] = startLine.split(/Start Time:/i);
    const date = parseCalendarDate(datePart ?? '');
    const seconds = parseTimeOfDay(timePart ?? '');
    if (date) startTime = isoLocal(date, seconds ?? 0);
    extra['Start Date'] = (datePart ?? '').replace(/Start Date:/i, '').trim();
    if (timePart) extra['Start Time'] = timePart.trim();
  }

  const frequency = numericCopy(findColumn(columns, 'Freq (Hz)', 'Freq'));
  const real = numericCopy(findColumn(columns, "Z'(a)"));
  const imag = numericCopy(findColumn(columns, "Z''(b)"));
  if (!frequency || !real || !imag) {
    throw new ElyteError('malformed', "the impedance table lacks numeric Freq(Hz), Z'(a) or Z''(b) columns", {
      file: fileName,
    });
  }
  const phase = numericCopy(findColumn(columns, 'Phase_Angle'));
  if (phase) {
    let disagree = 0;
    let compared = 0;
    for (let i = 0; i < imag.length; i++) {
      if (imag[i] === 0 || phase[i] === 0 || Number.isNaN(imag[i]!) || Number.isNaN(phase[i]!)) continue;
      compared++;
      if (Math.sign(imag[i]!) !== Math.sign(phase[i]!)) disagree++;
    }
    if (compared > 0 && disagree > compared / 2) {
      for (let i = 0; i < imag.length; i++) imag[i] = -imag[i]!;
      warnings.push("Z''(b) was written as -Im(Z) (opposite sign to the phase angle); negated");
    }
  }
  const channels: Partial<Record<CanonicalChannel, Float64Array>> = {
    frequency_Hz: frequency,
    z_real_ohm: real,
    z_imag_ohm: imag,
  };
  if (phase) channels.z_phase_deg = phase;
  const modulus = numericCopy(findColumn(columns, 'Z-Mag'));
  if (modulus) channels.z_mod_ohm = modulus;
  const time = numericCopy(findColumn(columns, 'time (sec)', 'time'));
  if (time?.every(Number.isFinite)) channels.time_s = time;
  const dc = numericCopy(findColumn(columns, 'V-DC'));
  if (dc?.every(Number.isFinite)) channels.voltage_V = dc;

  return finishMeasurement({
    format: 'maccor-eis',
    fileName,
    technique: 'EIS',
    kind: 'eis',
    channels,
    original: columns,
    metadata: { instrument: 'Maccor FRA', ...(startTime ? { startTime } : {}), extra },
    warnings,
  });
}

export const maccorEisReader: FormatReader = {
  id: 'maccor-eis',
  label: 'Maccor FRA impedance export (.EDA*)',
  extensions: [],
  sniff(head) {
    if (!looksLikeText(head)) return 0;
    const lines = splitLines(headText(head, 8192));
    const first = lines[0] ?? '';
    const header = headerLineOf(lines);
    if (/^MACCOR/i.test(first) && /Impedance/i.test(first)) return header >= 0 ? 0.95 : 0.6;
    return header >= 0 && /Z''\(b\)/.test(lines[header]!) ? 0.7 : 0;
  },
  parse: parseMaccorEis,
};
