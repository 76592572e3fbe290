/**
 * Quantities with units at the edges: every CLI flag and UI field goes through parseQuantity, which
 * returns an SI number or throws an ElyteError('invalid-argument') naming the flag and what to write.
 * A missing unit is refused, never guessed. A C-rate is not a quantity: it is a bare number (0.5 for C/2)
 * and is parsed as a plain number by its caller.
 */
import { ElyteError } from '../errors';
import { type ParsedUnit, parseUnitExpression } from './unit-expression';
import {
  DIMENSIONS,
  type Dimension,
  type DimensionVector,
  dimensionOfVector,
  KELVIN_OFFSET,
  sameVector,
  scaleBy,
  unscaleBy,
} from './unit-table';

export interface QuantityOptions {
  /** Overrides the dimension's sign policy (DIMENSIONS[d].sign), e.g. 'any' for a signed offset. */
  sign?: 'positive' | 'non-negative' | 'any';
}

const NUMBER_PREFIX = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/**
 * "100um" → 1e-4 (m). Temperature returns kelvin; current density A/m²; specific capacity C/kg;
 * conductivity S/m. `label` is the flag or field name used in the message ('--thickness').
 */
export function parseQuantity(
  text: string,
  dimension: Dimension,
  label: string,
  options: QuantityOptions = {},
): number {
  const info = DIMENSIONS[dimension];
  const hint = `write e.g. ${info.examples[0]} or ${info.examples[1]}`;
  const fail = (message: string): never => {
    throw new ElyteError('invalid-argument', message, { where: label });
  };
  if (typeof text !== 'string') return fail(`expected text such as ${info.examples[0]}; ${hint}`);
  const trimmed = text.replace(/\u2212/g, '-').trim();
  if (trimmed === '') return fail(`no value given; ${hint}`);
  if (/^[+-]?\d+,\d/.test(trimmed)) {
    return fail(`"${text}" uses a decimal comma; write a decimal point (${trimmed.replace(',', '.')})`);
  }
  const numberMatch = NUMBER_PREFIX.exec(trimmed);
  if (!numberMatch) return fail(`"${text}" does not start with a number; ${hint}`);
  const magnitude = Number(numberMatch[0]);
  const unitText = trimmed.slice(numberMatch[0].length).trim();
  if (unitText === '') return fail(`"${text}" has no unit; ${hint}`);
  if (!Number.isFinite(magnitude)) return fail(`"${text}" is not a finite number; ${hint}`);

  const parsed = parseUnitExpression(unitText, dimension === 'temperature');
  if (!parsed.ok) {
    const problem = parsed.problem;
    const why = problem.kind === 'unknown' ? `unknown unit "${problem.token}"` : problem.detail;
    return fail(`${why} in "${text}"; a ${dimension} takes ${info.units.slice(0, 6).join(', ')}; ${hint}`);
  }
  const value = applyUnit(magnitude, parsed.unit, info.vector, (found) =>
    fail(`"${text}" is ${describeVector(found)}, not a ${dimension}; ${hint}`),
  );
  if (!Number.isFinite(value)) return fail(`"${text}" is out of range; ${hint}`);
  checkSign(value, dimension, options.sign ?? info.sign, text, fail);
  return value;
}

function applyUnit(
  magnitude: number,
  unit: ParsedUnit,
  expected: DimensionVector,
  wrongDimension: (found: DimensionVector) => never,
): number {
  const temperature = DIMENSIONS.temperature.vector;
  if (unit.kind === 'celsius') {
    if (!sameVector(expected, temperature)) return wrongDimension(temperature);
    return magnitude + KELVIN_OFFSET;
  }
  if (!sameVector(unit.vector, expected)) return wrongDimension(unit.vector);
  return scaleBy(magnitude, unit.factor);
}

function checkSign(
  value: number,
  dimension: Dimension,
  sign: 'positive' | 'non-negative' | 'any',
  text: string,
  fail: (message: string) => never,
): void {
  if (dimension === 'temperature' && value <= 0) fail(`"${text}" is at or below absolute zero`);
  if (sign === 'positive' && !(value > 0)) fail(`"${text}" must be greater than zero (a ${dimension})`);
  if (sign === 'non-negative' && value < 0) fail(`"${text}" must not be negative (a ${dimension})`);
}

function describeVector(vector: DimensionVector): string {
  const name = dimensionOfVector(vector);
  if (name === 'charge') return 'a charge in coulombs (or a Celsius temperature)';
  if (name) return `a ${name}`;
  const symbols = ['m', 'kg', 's', 'A', 'K'];
  const parts = vector.flatMap((exponent, i) =>
    exponent === 0 ? [] : [exponent === 1 ? symbols[i]! : `${symbols[i]!}^${exponent}`],
  );
  return `in ${parts.join('·') || 'no dimension'}`;
}

/**
 * SI value → the number in `unit` ("um", "mAh/g", "°C", "mA/cm2"). A bare "C" is coulomb here; write
 * "°C" or "degC" for Celsius (or pass dimension 'temperature').
 */
export function toUnit(valueSI: number, unit: string, dimension?: Dimension): number {
  const parsed = resolveUnit(unit, dimension);
  return parsed.kind === 'celsius' ? valueSI - KELVIN_OFFSET : unscaleBy(valueSI, parsed.factor);
}

/** The inverse of toUnit: a number in `unit` → SI. */
export function fromUnit(value: number, unit: string, dimension?: Dimension): number {
  const parsed = resolveUnit(unit, dimension);
  return parsed.kind === 'celsius' ? value + KELVIN_OFFSET : scaleBy(value, parsed.factor);
}

export interface FormatOptions {
  /** Significant digits; default: the shortest text that reads back to the same number. */
  digits?: number;
  /** Put a space between number and unit (default false, so the result is also valid CLI input). */
  space?: boolean;
}

/** 1e-4 m as 'um' → "100um". The unit is checked against the dimension; the text parses back exactly. */
export function formatQuantity(
  valueSI: number,
  dimension: Dimension,
  unit: string,
  options: FormatOptions = {},
): string {
  if (!Number.isFinite(valueSI)) {
    throw new ElyteError('invalid-argument', `cannot format ${valueSI} as a ${dimension}`, { where: unit });
  }
  const parsed = resolveUnit(unit, dimension);
  const expected = DIMENSIONS[dimension].vector;
  const matches =
    parsed.kind === 'celsius' ? dimension === 'temperature' : sameVector(parsed.vector, expected);
  if (!matches) {
    throw new ElyteError('invalid-argument', `"${unit}" is not a unit of ${dimension}`, { where: unit });
  }
  const value = toUnit(valueSI, unit, dimension);
  const digits = options.digits;
  const number =
    digits === undefined
      ? String(value)
      : String(Number(value.toPrecision(Math.max(1, Math.min(21, digits)))));
  return `${number}${options.space ? ' ' : ''}${unit}`;
}

function resolveUnit(unit: string, dimension: Dimension | undefined): ParsedUnit {
  const parsed = parseUnitExpression(unit, dimension === 'temperature');
  if (!parsed.ok) {
    const why =
      parsed.problem.kind === 'unknown' ? `unknown unit "${parsed.problem.token}"` : parsed.problem.detail;
    throw new ElyteError('invalid-argument', why, { where: unit });
  }
  return parsed.unit;
}
