/**
 * The impedance engine: circuits (impedance.py syntax and Boukamp CDC), CNLS fitting with automatic
 * initial values, conductivity, and temperature series (Arrhenius, VTF). Pure functions, SI units.
 * Lin-KK validation lives in ./linkk and DRT in ./drt.
 */

export {
  type ArrheniusPoint,
  type ArrheniusResult,
  arrhenius,
  BOLTZMANN_eV_PER_K,
  splitByDirection,
  type TemperatureDirection,
  type VtfResult,
  vtf,
} from './arrhenius';
export {
  type CircuitParameter,
  type CompiledCircuit,
  circuitToString,
  compileCircuit,
  elementsOf,
  parseCircuit,
  simulate,
} from './circuit';
export {
  type BulkResistance,
  bulkResistance,
  type ConductivityInput,
  type ConductivityResult,
  conductivity,
} from './conductivity';
export { DRT_MIN_POINTS, type DrtOptions, type DrtPeak, type DrtResult, drt } from './drt';
export { ELEMENTS, type ElementSpec, type ParameterSpec } from './elements';
export { fitCircuit } from './fit';
export { initialGuess, initialGuesses, scaledStart } from './initial';
export {
  calcMu,
  LINKK_MIN_POINTS,
  type LinKKElement,
  type LinKKFitType,
  type LinKKOptions,
  type LinKKResult,
  linKK,
} from './linkk';
export { spectrumFromMeasurement } from './measurement';
export { fitSeries, type SeriesFitResult, type SeriesSpectrum } from './series';
export { validateSpectrum } from './spectrum';
export { gaussian, logFrequencies, seededRandom, syntheticSpectrum } from './synthetic';
export type {
  CircuitNode,
  ElementType,
  FitOptions,
  FitParameter,
  FitResult,
  Spectrum,
  Weighting,
} from './types';
export { WEIGHTINGS } from './types';
