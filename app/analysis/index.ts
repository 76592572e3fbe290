/**
 * The solid-electrolyte analyses beyond conductivity: Bruce–Vincent transference number, LSV window,
 * critical current density, long Li‖Li cycling, full-cell cycling (with rate table and dQ/dV), and the
 * reference-study demo. Each is a pure function of a Measurement (SI inside) with an options object of
 * documented defaults, returning a plain result that records every protocol choice; `…ToCli` turns a
 * result into the `elyte` JSON fields (cli.md) in edge units.
 */
export { analyseCcd, type CcdOptions, type CcdResult, type CcdStep, ccdToCli } from './ccd';
export {
  analyseCycling,
  type CycleSummary,
  type CyclingOptions,
  type CyclingResult,
  cyclingToCli,
  type EfficiencyDefinition,
  nominalRate,
  type RateStep,
} from './cycling';
export {
  type DemoManifest,
  type DemoManifestEntry,
  type DemoRole,
  type DemoRow,
  type DemoTable,
  runDemo,
} from './demo';
export type { DqdvCurve } from './dqdv';
export { analyseLsv, type LsvOptions, type LsvResult, lsvToCli } from './lsv';
export { describeCriteria, type ShortCriteria, type ShortCriteriaOptions } from './plating';
export { type Direction, type HalfCycle, segmentHalfCycles } from './segments';
export {
  analyseSymmetric,
  type SymmetricHalfCycle,
  type SymmetricOptions,
  type SymmetricResult,
  symmetricToCli,
} from './symmetric';
export {
  analyseTransference,
  brucevincent,
  type FitCircuit,
  type GivenResistance,
  type I0Method,
  type ResistanceFit,
  type TransferenceOptions,
  type TransferenceResult,
  transferenceToCli,
} from './transference';
