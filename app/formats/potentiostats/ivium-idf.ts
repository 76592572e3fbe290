/**
 * IviumSoft .idf data files, as described by the Galv project's Ivium reader (BSD-2): a first line with a
 * short binary prefix and "Version=…", then `Key=value` / `Group.Key=value` lines (Method, Mconfig,
 * starttime=DD/MM/YYYY HH:MM:SS, Tasks, Data Options…), then a line without "=" (`primary_data`), a few
 * count lines, and one row per point of three numbers: time (s), current (A), potential (V).
 * No permissively licensed real .idf was available, so this reader is tested on files generated in that
 * layout; impedance (.idf from an EIS method) stores other columns and is refused as unsupported.
 */
import type { FormatReader, Measurement, ParseOptions } from '../../measurement';
import { Float64Builder } from '../columns';
import { finishMeasurement } from '../finish';
import { ParseGuard } from '../guard';
import { type Channels, fail, isoLocal, parseClock, requireFinite } from './shared';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes);
}

function isDataRow(line: string): number[] | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 3 || !fields.every((f) => NUMBER.test(f))) return undefined;
  return fields.map(Number);
}

function parseIdf(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Measurement {
  const guard = new ParseGuard(fileName, options);
  // Lines end in \n only: the binary prefix of the first line contains a lone \r.
  const lines = latin1(bytes)
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (!/Version=/.test(lines[0] ?? '')) {
    fail(
      'malformed',
      'an Ivium .idf file starts with a "Version=" line; this one does not',
      fileName,
      'line 1',
    );
  }
  const extra: Record<string, string> = {};
  const version = /Version=(.*)$/.exec(lines[0]!)?.[1]?.trim();
  if (version) extra.Version = version;
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const eq = line.indexOf('=');
    if (eq <= 0) break;
    extra[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (i >= lines.length) fail('truncated', 'the file ends inside its header: no data block', fileName);
  const method = `${extra.Method ?? ''} ${extra.Technique ?? ''} ${extra['Mconfig.Mode'] ?? ''}`;
  if (/impedance|\bEIS\b/i.test(method)) {
    fail(
      'unsupported',
      'Ivium impedance files (.idf from an EIS method) are not supported yet; export the spectrum as text',
      fileName,
    );
  }
  const marker = lines[i]!.trim();
  extra.dataBlock = marker;
  i++;
  // Count lines between the marker and the first row (column count, point count).
  const counts: number[] = [];
  while (i < lines.length && counts.length < 4 && !isDataRow(lines[i]!)) {
    const value = Number(lines[i]!.trim());
    if (!Number.isInteger(value)) {
      fail(
        'malformed',
        `unexpected line after "${marker}": "${lines[i]!.slice(0, 40)}"`,
        fileName,
        `line ${i + 1}`,
      );
    }
    counts.push(value);
    i++;
  }
  const time = new Float64Builder();
  const current = new Float64Builder();
  const voltage = new Float64Builder();
  for (; i < lines.length; i++) {
    guard.tick(i / lines.length);
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const row = isDataRow(line);
    if (!row) break; // end of the primary data block (later blocks hold method graphics)
    time.push(row[0]!);
    current.push(row[1]!);
    voltage.push(row[2]!);
  }
  const rows = time.length;
  const warnings: string[] = [];
  const declared = counts.find((c) => c > 3);
  if (declared !== undefined && declared !== rows) {
    if (rows < declared) {
      fail(
        'truncated',
        `the data block announces ${declared} points but holds ${rows}; the file looks cut short`,
        fileName,
      );
    }
    warnings.push(`the data block announces ${declared} points but holds ${rows}`);
  }
  const t = time.finish();
  const iA = current.finish();
  const eV = voltage.finish();
  const channels: Channels = {
    time_s: Float64Array.from(t),
    current_A: Float64Array.from(iA),
    voltage_V: Float64Array.from(eV),
  };
  requireFinite(channels, fileName);
  const metadata: Measurement['metadata'] = { extra, instrument: 'Ivium' };
  if (extra.Mconfig) metadata.instrument = `Ivium ${extra.Mconfig}`;
  if (extra.Version) metadata.softwareVersion = `IviumSoft file version ${extra.Version}`;
  const start = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(.*)$/.exec(extra.starttime ?? '');
  if (start) {
    const iso = isoLocal(
      Number(start[3]),
      Number(start[2]),
      Number(start[1]),
      ...(parseClock(start[4]!) ?? [0, 0, 0]),
    );
    if (iso) metadata.startTime = iso;
  }
  const technique = extra.Method || extra.Technique;
  const draft = {
    format: 'ivium-idf',
    fileName,
    channels,
    original: [
      { name: 'time', unit: 's', values: t },
      { name: 'current', unit: 'A', values: iA },
      { name: 'potential', unit: 'V', values: eV },
    ],
    metadata,
    warnings,
  };
  return finishMeasurement(technique ? { ...draft, technique } : draft);
}

export const iviumIdfReader: FormatReader = {
  id: 'ivium-idf',
  label: 'IviumSoft data file (.idf)',
  extensions: ['idf'],
  sniff(head) {
    const text = latin1(head.subarray(0, 8192));
    const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
    if (!/Version=\d+/.test(firstLine)) return 0;
    if (/\n(Method|Mconfig|starttime|Tasks)=/i.test(text)) return 0.9;
    return 0.4;
  },
  parse: parseIdf,
};
