/** `elyte transference | lsv | ccd | symmetric | cycling`: the solid-electrolyte analyses. */
import { parseQuantity } from '../../app/units/index';
import { type AnalysisKind, type AnalysisSubject, runAnalysis } from '../../app/workflows/analyses';
import { readMeasurement } from '../files';
import { EXIT_OK, printJson, printKeyValues, printTable, UsageError } from '../output';
import { optionalString, type ParsedArgs, parseCommandArgs, requireFiles, requireString } from './args';

function subject(path: string, role = ''): AnalysisSubject {
  return { measurement: readMeasurement(path), role, T_K: null };
}

function report(args: ParsedArgs, results: Record<string, unknown>, tableKey?: string): number {
  const { detail: _detail, ...fields } = results;
  if (args.json) {
    printJson(fields);
    return EXIT_OK;
  }
  const scalars = Object.fromEntries(Object.entries(fields).filter(([, v]) => !Array.isArray(v)));
  printKeyValues(scalars);
  const table = tableKey ? fields[tableKey] : undefined;
  if (Array.isArray(table) && table.length > 0) {
    process.stdout.write('\n');
    printTable(table as Record<string, unknown>[]);
  }
  return EXIT_OK;
}

function run(kind: AnalysisKind, subjects: AnalysisSubject[], settings: Record<string, unknown>) {
  return runAnalysis(kind, subjects, settings).results;
}

function optionalQuantity(
  args: ParsedArgs,
  flag: string,
  dimension: Parameters<typeof parseQuantity>[1],
): number | undefined {
  const text = optionalString(args, flag);
  return text === undefined ? undefined : parseQuantity(text, dimension, `--${flag}`);
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** `--steady-drift 2%` (or 0.02): the relative drift over the last 10 % of the run still called steady. */
function steadyDrift(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
  if (!(value > 0 && value < 1)) {
    throw new UsageError(
      `transference: --steady-drift must be a percentage such as 2% (or 0.02), got "${text}"`,
    );
  }
  return value;
}

export async function transferenceCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('transference', argv, {
    chrono: { type: 'string' },
    'eis-before': { type: 'string' },
    'eis-after': { type: 'string' },
    dv: { type: 'string' },
    circuit: { type: 'string' },
    element: { type: 'string' },
    i0: { type: 'string' },
    'steady-drift': { type: 'string' },
  });
  if (args.files.length > 0)
    throw new UsageError(
      `transference: name files with --chrono, --eis-before, --eis-after (got "${args.files[0]}")`,
    );
  const i0 = optionalString(args, 'i0');
  if (i0 !== undefined && !['extrapolate', 'first-point', 'ohmic'].includes(i0)) {
    throw new UsageError(`transference: --i0 must be extrapolate, first-point or ohmic, got "${i0}"`);
  }
  const subjects = [
    subject(requireString(args, 'chrono', 'transference'), 'chrono'),
    subject(requireString(args, 'eis-before', 'transference'), 'eis-before'),
    subject(requireString(args, 'eis-after', 'transference'), 'eis-after'),
  ];
  const settings = defined({
    dV_V: optionalQuantity(args, 'dv', 'voltage'),
    circuit: optionalString(args, 'circuit'),
    interfacialElement: optionalString(args, 'element'),
    i0Method: i0,
    steadyDriftLimit: steadyDrift(optionalString(args, 'steady-drift')),
  });
  return report(args, run('transference', subjects, settings));
}

export async function lsvCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('lsv', argv, { area: { type: 'string' }, threshold: { type: 'string' } });
  const [file] = requireFiles(args, 'lsv');
  const settings = defined({
    area_m2: optionalQuantity(args, 'area', 'area'),
    threshold_A_per_m2: optionalQuantity(args, 'threshold', 'current-density'),
  });
  return report(args, run('lsv', [subject(file!)], settings));
}

export async function ccdCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('ccd', argv, { area: { type: 'string' } });
  const [file] = requireFiles(args, 'ccd');
  return report(
    args,
    run('ccd', [subject(file!)], defined({ area_m2: optionalQuantity(args, 'area', 'area') })),
    'steps',
  );
}

export async function symmetricCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('symmetric', argv, { area: { type: 'string' } });
  const [file] = requireFiles(args, 'symmetric');
  return report(
    args,
    run('symmetric', [subject(file!)], defined({ area_m2: optionalQuantity(args, 'area', 'area') })),
  );
}

export async function cyclingCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('cycling', argv, {
    mass: { type: 'string' },
    nominal: { type: 'string' },
    reference: { type: 'string' },
  });
  const [file] = requireFiles(args, 'cycling');
  const reference = optionalString(args, 'reference');
  const referenceCycle = reference === undefined ? undefined : Number(reference);
  if (referenceCycle !== undefined && (!Number.isInteger(referenceCycle) || referenceCycle < 1)) {
    throw new UsageError(`cycling: --reference must be a cycle number (1, 2, …), got "${reference}"`);
  }
  const settings = defined({
    mass_kg: optionalQuantity(args, 'mass', 'mass'),
    nominalCapacity_C_per_kg: optionalQuantity(args, 'nominal', 'specific-capacity'),
    referenceCycle,
  });
  return report(args, run('cycling', [subject(file!)], settings), 'cycles');
}

/** A dimensionless flag (--c 0.85, --max-m 40, --lambda 0.01): a number, or exit 2 naming the flag. */
function plainNumber(args: ParsedArgs, flag: string, command: string): number | undefined {
  const text = optionalString(args, flag);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`${command}: --${flag} must be a plain number, got "${text}"`);
  }
  return value;
}

export async function kkCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('kk', argv, { c: { type: 'string' }, 'max-m': { type: 'string' } });
  const [file] = requireFiles(args, 'kk');
  const settings = defined({ c: plainNumber(args, 'c', 'kk'), maxM: plainNumber(args, 'max-m', 'kk') });
  const results = run('kk', [subject(file!)], settings);
  const {
    elements: _e,
    frequency_Hz: _f,
    z_fit_real_ohm: _r,
    z_fit_imag_ohm: _i,
    residual_real: _rr,
    residual_imag: _ri,
    ...fields
  } = results;
  if (args.json) printJson(results);
  else report(args, fields);
  // A spectrum that fails the test is still a result (pass: false in the JSON), not a missing number.
  return EXIT_OK;
}

export async function drtCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('drt', argv, { lambda: { type: 'string' } });
  const [file] = requireFiles(args, 'drt');
  const results = run('drt', [subject(file!)], defined({ lambda: plainNumber(args, 'lambda', 'drt') }));
  if (args.json) {
    printJson(results);
    return EXIT_OK;
  }
  const scalars = Object.fromEntries(Object.entries(results).filter(([, v]) => typeof v !== 'object'));
  printKeyValues(scalars);
  if (Array.isArray(results.peaks)) printTable(results.peaks as Record<string, unknown>[]);
  return EXIT_OK;
}
