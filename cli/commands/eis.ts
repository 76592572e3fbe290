/** `elyte fit`, `elyte conductivity`, `elyte arrhenius`: impedance fits from the command line. */

import { WEIGHTINGS, type Weighting } from '../../app/eis/index';
import { ElyteError } from '../../app/errors';
import { parseQuantity } from '../../app/units/index';
import { runArrhenius, runConductivity, runFit } from '../../app/workflows/eis';
import { temperatureFromFileName } from '../../db/temperature';
import { readMeasurement } from '../files';
import { EXIT_OK, printJson, printKeyValues, printTable, UsageError } from '../output';
import { optionalString, parseCommandArgs, requireFiles, requireString } from './args';

const FIT_FLAGS = {
  circuit: { type: 'string' },
  weighting: { type: 'string' },
  fmin: { type: 'string' },
  fmax: { type: 'string' },
} as const;

function fitOptions(args: ReturnType<typeof parseCommandArgs>, command: string) {
  const weighting = optionalString(args, 'weighting');
  if (weighting !== undefined && !(WEIGHTINGS as readonly string[]).includes(weighting)) {
    throw new UsageError(
      `${command}: --weighting must be one of ${WEIGHTINGS.join(', ')}, got "${weighting}"`,
    );
  }
  const fmin = optionalString(args, 'fmin');
  const fmax = optionalString(args, 'fmax');
  const range: [number, number] | undefined =
    fmin || fmax
      ? [
          fmin ? parseQuantity(fmin, 'frequency', '--fmin') : 0,
          fmax ? parseQuantity(fmax, 'frequency', '--fmax') : Number.POSITIVE_INFINITY,
        ]
      : undefined;
  return {
    ...(weighting ? { weighting: weighting as Weighting } : {}),
    ...(range ? { frequencyRange_Hz: range } : {}),
  };
}

export async function fitCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('fit', argv, FIT_FLAGS);
  const [file] = requireFiles(args, 'fit');
  const circuit = requireString(args, 'circuit', 'fit');
  const result = runFit(readMeasurement(file!), { circuit, ...fitOptions(args, 'fit') });
  if (args.json) {
    printJson({ file, ...result });
  } else {
    printKeyValues({
      file,
      circuit: result.circuit,
      converged: result.converged,
      iterations: result.iterations,
      chi2: result.chi2,
      weighting: result.weighting,
    });
    printTable(
      result.parameters.map((p) => ({ parameter: p.name, value: p.value, stderr: p.stderr, unit: p.unit })),
    );
    for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
  }
  return EXIT_OK;
}

const GEOMETRY_FLAGS = {
  ...FIT_FLAGS,
  thickness: { type: 'string' },
  area: { type: 'string' },
  element: { type: 'string' },
  'thickness-tol': { type: 'string' },
  'area-tol': { type: 'string' },
} as const;

function geometry(args: ReturnType<typeof parseCommandArgs>, command: string) {
  const thicknessTol = optionalString(args, 'thickness-tol');
  const areaTol = optionalString(args, 'area-tol');
  const element = optionalString(args, 'element');
  return {
    thickness_m: parseQuantity(requireString(args, 'thickness', command), 'length', '--thickness'),
    area_m2: parseQuantity(requireString(args, 'area', command), 'area', '--area'),
    ...(thicknessTol
      ? { thickness_tolerance_m: parseQuantity(thicknessTol, 'length', '--thickness-tol') }
      : {}),
    ...(areaTol ? { area_tolerance_m2: parseQuantity(areaTol, 'area', '--area-tol') } : {}),
    ...(optionalString(args, 'circuit') ? { circuit: optionalString(args, 'circuit')! } : {}),
    ...(element ? { element } : {}),
    fit: fitOptions(args, command),
  };
}

export async function conductivityCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('conductivity', argv, GEOMETRY_FLAGS);
  const [file] = requireFiles(args, 'conductivity');
  const settings = geometry(args, 'conductivity');
  const result = runConductivity(readMeasurement(file!), settings);
  const { fit, ...fields } = result;
  if (args.json) printJson({ file, ...fields, circuit: fit.circuit, fit });
  else printKeyValues({ file, ...fields, circuit: fit.circuit, converged: fit.converged });
  return EXIT_OK;
}

export async function arrheniusCommand(argv: string[]): Promise<number> {
  const args = parseCommandArgs('arrhenius', argv, { ...GEOMETRY_FLAGS, temps: { type: 'string' } });
  const files = requireFiles(args, 'arrhenius', 3);
  const temps = optionalString(args, 'temps');
  const listed = temps?.split(',').map((t, i) => {
    const value = Number(t.trim().replace(/°?C$/i, ''));
    if (t.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`arrhenius: --temps entry ${i + 1} "${t}" is not a temperature in °C`);
    return value;
  });
  if (listed && listed.length !== files.length) {
    throw new UsageError(`arrhenius: --temps has ${listed.length} temperatures for ${files.length} files`);
  }
  const series = files.map((file, i) => {
    const measurement = readMeasurement(file);
    const celsius =
      listed?.[i] ?? measurement.metadata.temperature_C ?? temperatureFromFileName(measurement.fileName);
    if (celsius === null || celsius === undefined) {
      throw new ElyteError(
        'invalid-argument',
        'has no temperature in its metadata or name (like _30C); give --temps 30,40,…',
        {
          file: measurement.fileName,
        },
      );
    }
    return { measurement, T_K: celsius + 273.15 };
  });
  const result = runArrhenius(series, geometry(args, 'arrhenius'));
  if (args.json) {
    printJson(result);
  } else {
    printTable(
      result.points.map((p) => ({
        file: p.file,
        T_C: p.T_C,
        sigma_S_per_cm: p.sigma_S_per_cm,
        R_bulk_ohm: p.R_bulk_ohm,
      })),
    );
    printKeyValues({
      Ea_eV: result.Ea_eV,
      Ea_eV_stderr: result.Ea_eV_stderr,
      sigma_25C_S_per_cm: result.sigma_25C_S_per_cm,
      r2: result.r2,
    });
  }
  return EXIT_OK;
}
