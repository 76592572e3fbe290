/**
 * Every analysis by kind, for the worker (UI) and the CLI alike: measurements + settings in SI →
 * a JSON-ready result whose top-level fields are the CLI contract's, with the analysis's full
 * detail (points used, fitted lines, detected events) under `detail` for the plots.
 */
import { z } from 'zod';
import { analyseCcd, ccdToCli } from '../analysis/ccd';
import { analyseCycling, cyclingToCli } from '../analysis/cycling';
import { analyseLsv, lsvToCli } from '../analysis/lsv';
import { analyseSymmetric, symmetricToCli } from '../analysis/symmetric';
import { analyseTransference, transferenceToCli } from '../analysis/transference';
import { drt, fitCircuit, linKK } from '../eis/index';
import { ElyteError } from '../errors';
import type { Measurement } from '../measurement';
import { runArrhenius, runConductivity, runFit, spectrumOf } from './eis';
import { toJsonSafe } from './json';

export const ANALYSIS_KINDS = [
  'eis-fit',
  'kk',
  'drt',
  'conductivity',
  'arrhenius',
  'transference',
  'lsv',
  'ccd',
  'symmetric',
  'cycling',
] as const;
export type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

export interface AnalysisSubject {
  measurement: Measurement;
  /** 'chrono', 'eis-before', 'eis-after' for a transference number; '' otherwise. */
  role: string;
  /** Cell temperature when known (Arrhenius series). */
  T_K: number | null;
  /** Cell geometry from the library, used when the settings do not give it. */
  cell?: { area_m2: number | null; thickness_m: number | null; activeMass_kg: number | null };
}

const positive = z.number().finite().positive();
const fitSettings = z
  .object({
    weighting: z.enum(['unit', 'proportional', 'modulus']).optional(),
    frequencyRange_Hz: z.tuple([z.number().nonnegative(), positive]).optional(),
    initial: z.record(z.string(), z.number().finite()).optional(),
    fixed: z.record(z.string(), z.number().finite()).optional(),
  })
  .strict();

/** Settings of each kind, in SI. Unknown keys are refused so a typo never passes silently. */
export const SETTINGS_SCHEMAS = {
  'eis-fit': fitSettings.extend({ circuit: z.string().min(1).max(500) }).strict(),
  kk: z
    .object({
      c: z.number().positive().max(1).nullable().optional(),
      maxM: z.number().int().positive().max(200).optional(),
      fitType: z.enum(['real', 'imag', 'complex']).optional(),
      addCapacitance: z.boolean().optional(),
      mSelection: z.enum(['mu', 'mu-and-residual']).optional(),
      residualLimit: positive.optional(),
    })
    .strict(),
  drt: z
    .object({
      pointsPerDecade: z.number().int().positive().max(50).optional(),
      lambda: positive.optional(),
      order: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
      inductance: z.boolean().optional(),
    })
    .strict(),
  conductivity: z
    .object({
      thickness_m: positive.optional(),
      area_m2: positive.optional(),
      thickness_tolerance_m: z.number().nonnegative().optional(),
      area_tolerance_m2: z.number().nonnegative().optional(),
      circuit: z.string().min(1).max(500).optional(),
      element: z.string().min(1).max(20).optional(),
      fit: fitSettings.optional(),
    })
    .strict(),
  arrhenius: z
    .object({
      thickness_m: positive.optional(),
      area_m2: positive.optional(),
      circuit: z.string().min(1).max(500).optional(),
      element: z.string().min(1).max(20).optional(),
      fit: fitSettings.optional(),
    })
    .strict(),
  transference: z
    .object({
      dV_V: positive.optional(),
      circuit: z.string().min(1).max(500).optional(),
      interfacialElement: z.string().min(1).max(20).optional(),
      bulkElement: z.string().min(1).max(20).optional(),
      i0Method: z.enum(['extrapolate', 'first-point', 'ohmic']).optional(),
      spikeExclusion_s: z.number().nonnegative().optional(),
      decayFraction: z.number().positive().max(1).optional(),
      steadyWindowFraction: z.number().positive().max(1).optional(),
      steadyDriftLimit: z.number().positive().optional(),
    })
    .strict(),
  lsv: z
    .object({
      area_m2: positive.optional(),
      threshold_A_per_m2: positive.optional(),
      sustainedPoints: z.number().int().positive().optional(),
      baseline: z.boolean().optional(),
      baselineWindow_V: z.tuple([z.number().finite(), z.number().finite()]).optional(),
      tangentPoints: z.number().int().positive().optional(),
    })
    .strict(),
  ccd: z.object({ area_m2: positive.optional() }).catchall(z.number().finite()).strict(),
  symmetric: z.object({ area_m2: positive.optional() }).catchall(z.number().finite()).strict(),
  cycling: z
    .object({
      mass_kg: positive.optional(),
      nominalCapacity_C_per_kg: positive.optional(),
      referenceCycle: z.number().int().positive().optional(),
      efficiency: z.enum(['discharge/charge', 'charge/discharge']).optional(),
      cycleSource: z.enum(['current', 'file']).optional(),
      leading: z.enum(['charge', 'discharge', 'auto']).optional(),
      dqdvCycles: z.array(z.number().int().positive()).max(20).optional(),
      dqdvMinStep_V: positive.optional(),
      dqdvSmoothingPoints: z.number().int().positive().optional(),
    })
    .strict(),
} satisfies Record<AnalysisKind, z.ZodType>;

export function parseSettings(kind: AnalysisKind, settings: unknown): Record<string, unknown> {
  const parsed = SETTINGS_SCHEMAS[kind].safeParse(settings ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(settings)';
    throw new ElyteError('invalid-argument', `${kind} settings: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as Record<string, unknown>;
}

export interface AnalysisOutput {
  /** CLI-contract fields at the top level (numbers become the library's headline numbers). */
  results: Record<string, unknown>;
  /** Settings as used, including defaults filled from the cell. */
  settings: Record<string, unknown>;
}

export interface AnalysisHooks {
  /** Called as a long analysis (a temperature series) advances; may throw to cancel. */
  onProgress?: (fraction: number, message: string) => void;
}

export function runAnalysis(
  kind: AnalysisKind,
  subjects: AnalysisSubject[],
  rawSettings: unknown,
  hooks: AnalysisHooks = {},
): AnalysisOutput {
  const settings = parseSettings(kind, rawSettings);
  const one = () => {
    if (subjects.length !== 1)
      throw new ElyteError(
        'invalid-argument',
        `${kind} takes exactly one measurement, got ${subjects.length}`,
      );
    return subjects[0]!;
  };
  const withCell = (subject: AnalysisSubject) => {
    const filled = { ...settings };
    const cell = subject.cell;
    if (filled.area_m2 === undefined && cell?.area_m2) filled.area_m2 = cell.area_m2;
    if (filled.thickness_m === undefined && cell?.thickness_m) filled.thickness_m = cell.thickness_m;
    if (filled.mass_kg === undefined && cell?.activeMass_kg) filled.mass_kg = cell.activeMass_kg;
    return filled;
  };
  switch (kind) {
    case 'eis-fit': {
      const s = settings as z.output<(typeof SETTINGS_SCHEMAS)['eis-fit']>;
      return { results: toJsonSafe(runFit(one().measurement, s)) as Record<string, unknown>, settings };
    }
    case 'kk': {
      const result = linKK(spectrumOf(one().measurement), settings);
      const { elements: _elements, ...rest } = result;
      return {
        results: toJsonSafe({ ...rest, elements: result.elements }) as Record<string, unknown>,
        settings,
      };
    }
    case 'drt':
      return {
        results: toJsonSafe(drt(spectrumOf(one().measurement), settings)) as Record<string, unknown>,
        settings,
      };
    case 'conductivity': {
      const subject = one();
      const s = requireGeometry(withCell(subject), subject.measurement.fileName);
      return {
        results: toJsonSafe(runConductivity(subject.measurement, s)) as Record<string, unknown>,
        settings: s,
      };
    }
    case 'arrhenius': {
      const s = requireGeometry(withCell(subjects[0]!), subjects[0]!.measurement.fileName);
      const series = subjects.map((subject) => {
        if (subject.T_K === null) {
          throw new ElyteError('invalid-argument', 'has no temperature: set it in the library first', {
            file: subject.measurement.fileName,
          });
        }
        return { measurement: subject.measurement, T_K: subject.T_K };
      });
      return {
        results: toJsonSafe(runArrhenius(series, s, hooks.onProgress)) as Record<string, unknown>,
        settings: s,
      };
    }
    case 'transference': {
      const byRole = (role: string) => {
        const found = subjects.find((s) => s.role === role);
        if (!found)
          throw new ElyteError(
            'invalid-argument',
            `transference needs a measurement with the role "${role}"`,
          );
        return found.measurement;
      };
      const result = analyseTransference(
        byRole('chrono'),
        byRole('eis-before'),
        byRole('eis-after'),
        fitCircuit,
        settings,
      );
      return { results: withDetail(transferenceToCli(result), result), settings };
    }
    case 'lsv': {
      const subject = one();
      const s = withCell(subject);
      const result = analyseLsv(subject.measurement, s);
      return { results: withDetail(lsvToCli(result), result), settings: s };
    }
    case 'ccd': {
      const subject = one();
      const s = withCell(subject);
      const result = analyseCcd(subject.measurement, s);
      return { results: withDetail(ccdToCli(result), result), settings: s };
    }
    case 'symmetric': {
      const subject = one();
      const s = withCell(subject);
      const result = analyseSymmetric(subject.measurement, s);
      return { results: withDetail(symmetricToCli(result), result), settings: s };
    }
    case 'cycling': {
      const subject = one();
      const s = withCell(subject);
      const result = analyseCycling(subject.measurement, s);
      return { results: withDetail(cyclingToCli(result), result), settings: s };
    }
  }
}

function requireGeometry<T extends Record<string, unknown>>(
  settings: T,
  file: string,
): T & { thickness_m: number; area_m2: number } {
  if (typeof settings.thickness_m !== 'number') {
    throw new ElyteError(
      'invalid-argument',
      'σ needs the electrolyte thickness: set it on the cell or in the settings',
      { file },
    );
  }
  if (typeof settings.area_m2 !== 'number') {
    throw new ElyteError(
      'invalid-argument',
      'σ needs the electrode area: set it on the cell or in the settings',
      { file },
    );
  }
  return settings as T & { thickness_m: number; area_m2: number };
}

function withDetail(cli: Record<string, unknown>, detail: unknown): Record<string, unknown> {
  return { ...(toJsonSafe(cli) as Record<string, unknown>), detail: toJsonSafe(detail) };
}
