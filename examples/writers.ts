/**
 * Instrument file writers for the generated demo data, in the layouts real instruments write:
 * BioLogic EC-Lab ASCII (.mpt: "EC-Lab ASCII FILE", "Nb header lines : N", settings, CRLF, Windows-1252,
 * tab-separated columns with units) and Neware BTSDA CSV (the 26-column English export).
 */

/** EC-Lab's number format: 7 mantissa digits, capital E, signed 3-digit exponent ("6.5470886E+001"). */
export function ecLab(value: number, digits = 7): string {
  const [mantissa, exponent] = value.toExponential(digits).toUpperCase().split('E') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
}

/** Windows-1252 bytes (EC-Lab writes "cm²" as 0xB2); every character used here is below U+0100. */
export function windows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`character ${text[i]} has no Windows-1252 byte`);
    bytes[i] = code;
  }
  return bytes;
}

export interface MptColumn {
  /** Header cell as EC-Lab writes it, e.g. 'time/s', 'Ewe/V', '<I>/mA', 'freq/Hz'. */
  name: string;
  values: ArrayLike<number>;
  /** 'int' for flags and counters; 'e' for EC-Lab's 7-digit E format (default); 'e15' for time. */
  format?: 'int' | 'e' | 'e15';
}

export interface MptFile {
  /** The long technique name EC-Lab writes on line 4 ('Potentio Electrochemical Impedance Spectroscopy'). */
  technique: string;
  /** Technique settings lines (the parameter table), already padded as EC-Lab pads them. */
  settings: string[];
  area_cm2: number;
  /** Active material mass, mg (0.001 = EC-Lab's "not given"). */
  mass_mg?: number;
  comments: string[];
  /** mm/dd/yyyy hh:mm:ss */
  started: string;
  fileName: string;
  columns: MptColumn[];
}

const pad = (label: string, value: string): string => `${label.padEnd(20)}${value}`;

export function settingsRow(label: string, ...values: string[]): string {
  return pad(label, values.map((v) => v.padEnd(20)).join(''));
}

export function writeMpt(f: MptFile): Uint8Array {
  const header = [
    'EC-Lab ASCII FILE',
    'Nb header lines : %N%',
    '',
    f.technique,
    '',
    'Run on channel : 3 (SN 30924)',
    'User : ',
    'CE vs. WE compliance from -10 V to 10 V',
    'Electrode connection : standard',
    'Potential control : Ewe',
    'Ewe ctrl range : min = -10.00 V, max = 10.00 V',
    'Safety Limits :',
    '\tDo not start on E overload',
    `Acquisition started on : ${f.started}`,
    `Technique started on : ${f.started}`,
    'Saved on :',
    `\tFile : ${f.fileName.replace(/\.mpt$/, '.mpr')}`,
    '\tDirectory : C:\\Users\\lab\\Documents\\EC-Lab\\Data\\reference-study\\',
    '\tHost : 192.168.0.10',
    'Device : VMP3 (SN 0658)',
    'Address : 192.168.0.20',
    'EC-Lab for windows v11.50 (software)',
    'Internet server v11.50 (firmware)',
    'Command interpretor v11.50 (firmware)',
    'Electrode material : Li / SS',
    'Initial state : ',
    'Electrolyte : composite solid electrolyte',
    ...f.comments.map((c) => `Comments : ${c}`),
    'Cable : standard',
    `Mass of active material : ${(f.mass_mg ?? 0.001).toFixed(3)} mg`,
    ' at x = 0.000',
    'Molecular weight of active material (at x = 0) : 0.001 g/mol',
    'Atomic weight of intercalated ion : 0.001 g/mol',
    'Acquisition started at : xo = 0.000',
    'Number of e- transfered per intercalated ion : 1',
    'for DX = 1, DQ = 26.802 mA.h',
    'Battery capacity : 0.000 mA.h',
    `Electrode surface area : ${f.area_cm2.toFixed(3)} cm²`,
    `Characteristic mass : ${(f.mass_mg ?? 0.001).toFixed(3)} mg`,
    'Volume (V) : 0.001 cm³',
    'Cycle Definition : Charge/Discharge alternance',
    ...f.settings,
    '',
    `${f.columns.map((c) => c.name).join('\t')}\t`,
  ];
  header[1] = `Nb header lines : ${header.length}`.padEnd(46);
  const rows = f.columns[0]!.values.length;
  const lines: string[] = header;
  for (let i = 0; i < rows; i++) {
    const cells = f.columns.map((c) => {
      const v = c.values[i]!;
      if (c.format === 'int') return String(Math.round(v));
      if (c.format === 'e15') return ecLab(v, 15);
      return ecLab(v);
    });
    lines.push(`${cells.join('\t')}\t`);
  }
  return windows1252(`${lines.join('\r\n')}\r\n`);
}

const NEWARE_HEADER =
  'DataPoint,Cycle Index,Step Index,Step Type,Time,Cumulative Time,Current(A),Voltage(V),Capacity(Ah),Spec. Cap.(mAh/g),Chg. Cap.(Ah),Chg. Spec. Cap.(mAh/g),DChg. Cap.(Ah),DChg. Spec. Cap.(mAh/g),Energy(Wh),Spec. Energy(mWh/g),Chg. Energy(Wh),Chg. Spec. Energy(mWh/g),DChg. Energy(Wh),DChg. Spec. Energy(mWh/g),Date,Power(W),dQ/dV(mAh/V),dQm/dV(mAh/V.g),Contact resistance(mO),Module start-stop switch';

function hms(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function dateTime(start: Date, seconds: number): string {
  const d = new Date(start.getTime() + Math.round(seconds) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * BTSDA CSV: one row per record; steps from the sign of the current (Rest, CC Chg, CC DChg), step
 * time and capacities reset at each step as BTSDA does; times whole seconds ("HH:MM:SS").
 */
export function writeNewareCsv(p: {
  time_s: Float64Array;
  current_A: Float64Array;
  voltage_V: Float64Array;
  cycle: Float64Array;
  mass_g: number;
  start: Date;
}): Uint8Array {
  const lines = [NEWARE_HEADER];
  let step = 0;
  let lastType = '';
  let stepStart = 0;
  let q = 0;
  let e = 0;
  for (let i = 0; i < p.time_s.length; i++) {
    const I = p.current_A[i]!;
    const type = I > 0 ? 'CC Chg' : I < 0 ? 'CC DChg' : 'Rest';
    const t = Math.round(p.time_s[i]!);
    if (type !== lastType) {
      step++;
      lastType = type;
      stepStart = t;
      q = 0;
      e = 0;
    } else {
      const dt = t - Math.round(p.time_s[i - 1]!);
      q += (Math.abs(I) * dt) / 3600;
      e += (Math.abs(I) * p.voltage_V[i]! * dt) / 3600;
    }
    const spec = (x: number): string => ((x * 1000) / p.mass_g).toFixed(2);
    const chg = type === 'CC Chg';
    const dchg = type === 'CC DChg';
    lines.push(
      [
        i + 1,
        p.cycle[i]!,
        step,
        type,
        hms(t - stepStart),
        hms(t),
        I.toFixed(8),
        p.voltage_V[i]!.toFixed(4),
        q === 0 ? '0' : q.toFixed(8),
        spec(q),
        (chg ? q : 0).toFixed(8),
        spec(chg ? q : 0),
        (dchg ? q : 0).toFixed(8),
        spec(dchg ? q : 0),
        e.toFixed(8),
        spec(e),
        (chg ? e : 0).toFixed(8),
        spec(chg ? e : 0),
        (dchg ? e : 0).toFixed(8),
        spec(dchg ? e : 0),
        dateTime(p.start, t),
        (I * p.voltage_V[i]!).toFixed(8),
        '0.0000',
        '0.0000',
        '0',
        'Close',
      ].join(','),
    );
  }
  // BTSDA writes LF line ends and no newline after the last row.
  return new TextEncoder().encode(lines.join('\n'));
}
