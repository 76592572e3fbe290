/**
 * A long galvanostatic record in EC-Lab's .mpt text layout (the header block, tab-separated columns
 * with units, numbers in EC-Lab's E format), written row by row so a 1,000,000-point file never sits
 * in memory as one string. Truth by construction: `rows` data rows, one per second, voltage a
 * triangle between 3.0 and 4.0 V per half cycle with a +1.5 V single-row spike every `spikeEvery` rows
 * (so every spike tops the 4.0 V of the triangle, and a decimation that drops extremes would show).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface LongCyclingFile {
  path: string;
  rows: number;
  /** Time of the last row, s (rows are 1 s apart from t = 0). */
  lastTime_s: number;
  /** Highest voltage written (the top of the highest spike), V. */
  maxVoltage_V: number;
}

const COLUMNS = ['mode', 'ox/red', 'error', 'Ns', 'time/s', 'Ewe/V', 'I/mA', 'half cycle', 'cycle number'];

/** EC-Lab's number format: mantissa digits, capital E, sign and three exponent digits. */
function ecLab(value: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits).toUpperCase().split('E') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
}

function header(fileName: string): string {
  const lines = [
    'EC-Lab ASCII FILE',
    'Nb header lines : %N%',
    '',
    'Galvanostatic Cycling with Potential Limitation',
    '',
    'Run on channel : 1 (SN 12345)',
    'Acquisition started on : 05/07/2025 14:58:34.000',
    'Saved on :',
    `\tFile : ${fileName.replace(/\.mpt$/, '.mpr')}`,
    'Device : VMP3 (SN 0001)',
    'EC-Lab for windows v11.50 (software)',
    'Electrode surface area : 2.010 cm²',
    'Mass of active material : 0.001 mg',
    'Ns                  0                   1                   ',
    'Set I/C             I                   I                   ',
    'Is                  0.100               -0.100              ',
    '',
  ];
  lines[1] = `Nb header lines : ${lines.length + 1}`.padEnd(46);
  return `${lines.join('\r\n')}\r\n${COLUMNS.join('\t')}\t\r\n`;
}

export function writeLongCyclingMpt(
  path: string,
  rows = 1_000_000,
  halfCycleRows = 5000,
  spikeEvery = 9973,
): LongCyclingFile {
  const name = path.split(/[\\/]/).pop() ?? 'long.mpt';
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.from(header(name), 'latin1'));
    let chunk: string[] = [];
    let maxVoltage_V = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const half = Math.floor(r / halfCycleRows);
      const sign = half % 2 === 0 ? 1 : -1;
      const within = (r % halfCycleRows) / halfCycleRows;
      const ewe = (sign > 0 ? 3 + within : 4 - within) + (r % spikeEvery === spikeEvery - 1 ? 1.5 : 0);
      const written = ecLab(ewe, 7);
      maxVoltage_V = Math.max(maxVoltage_V, Number(written));
      chunk.push(
        [
          '1',
          sign > 0 ? '1' : '0',
          '0',
          String(half % 2),
          ecLab(r, 7),
          written,
          ecLab(sign * 0.1, 7),
          String(half),
          String(Math.floor(half / 2)),
        ].join('\t'),
      );
      if (chunk.length === 20_000) {
        writeSync(fd, `${chunk.join('\t\r\n')}\t\r\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\t\r\n')}\t\r\n`);
    return { path, rows, lastTime_s: rows - 1, maxVoltage_V };
  } finally {
    closeSync(fd);
  }
}
