import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElyteError } from '../../app/errors';
import {
  DIMENSION_NAMES,
  DIMENSIONS,
  type Dimension,
  formatQuantity,
  fromUnit,
  parseQuantity,
  toUnit,
} from '../../app/units';

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}

function expectRefusal(text: string, dimension: Dimension, label: string): ElyteError {
  try {
    parseQuantity(text, dimension, label);
  } catch (error) {
    expect(error).toBeInstanceOf(ElyteError);
    const elyte = error as ElyteError;
    expect(elyte.kind).toBe('invalid-argument');
    expect(elyte.where).toBe(label);
    expect(elyte.message.startsWith(`${label}: `)).toBe(true);
    return elyte;
  }
  throw new Error(`"${text}" was accepted as a ${dimension}`);
}

describe('parseQuantity: the spellings the CLI documents', () => {
  // Expected SI values are the textbook definitions of each unit, written out by hand.
  const cases: [string, Dimension, number][] = [
    ['100um', 'length', 1e-4],
    ['100 µm', 'length', 1e-4],
    ['100 μm', 'length', 1e-4],
    ['0.1mm', 'length', 1e-4],
    ['1.5 cm', 'length', 0.015],
    ['2.01cm2', 'area', 2.01e-4],
    ['0.785 cm^2', 'area', 0.785e-4],
    ['0.785cm²', 'area', 0.785e-4],
    ['10mV', 'voltage', 0.01],
    ['-0.2 V', 'voltage', -0.2],
    ['−5mV', 'voltage', -0.005],
    ['50uA', 'current', 50e-6],
    ['0.01mA/cm2', 'current-density', 0.1],
    ['0.01 mA cm-2', 'current-density', 0.1],
    ['0.01 mA·cm⁻²', 'current-density', 0.1],
    ['0.01 mA/cm^2', 'current-density', 0.1],
    ['1 A m^-2', 'current-density', 1],
    ['2.0mg', 'mass', 2e-6],
    ['1.5 g', 'mass', 1.5e-3],
    ['25C', 'temperature', 298.15],
    ['25°C', 'temperature', 298.15],
    ['25 °C', 'temperature', 298.15],
    ['25 degC', 'temperature', 298.15],
    ['-20C', 'temperature', 253.15],
    ['298.15K', 'temperature', 298.15],
    ['170mAh/g', 'specific-capacity', 170 * 3.6 * 1000],
    ['170 mAh g-1', 'specific-capacity', 170 * 3.6 * 1000],
    ['1h', 'time', 3600],
    ['30min', 'time', 1800],
    ['250 ms', 'time', 0.25],
    ['120ohm', 'resistance', 120],
    ['1.2kΩ', 'resistance', 1200],
    ['3 MOhm', 'resistance', 3e6],
    ['1mS/cm', 'conductivity', 0.1],
    ['1e-4 S cm-1', 'conductivity', 0.01],
    ['1MHz', 'frequency', 1e6],
    ['100mHz', 'frequency', 0.1],
    ['1.2mAh', 'charge', 1.2 * 3.6],
    ['1mV/s', 'scan-rate', 1e-3],
    ['.5mm', 'length', 5e-4],
    ['1e-3 m', 'length', 1e-3],
  ];
  it.each(cases)('%s as a %s', (text, dimension, expected) => {
    expect(relativeError(parseQuantity(text, dimension, '--x'), expected)).toBeLessThan(1e-14);
  });
});

describe('parseQuantity refuses with the label and what to write', () => {
  it('a missing unit', () => {
    const error = expectRefusal('100', 'length', '--thickness');
    expect(error.message).toBe('--thickness: "100" has no unit; write e.g. 100um or 0.1mm');
  });
  it('a wrong dimension', () => {
    expect(expectRefusal('10mV', 'length', '--thickness').message).toContain('is a voltage, not a length');
    expect(expectRefusal('25C', 'length', '--thickness').message).toContain('not a length');
    expect(expectRefusal('1cm', 'area', '--area').message).toContain('is a length, not a area');
    expect(expectRefusal('25°C', 'voltage', '--dv').message).toContain('temperature');
  });
  it('an unknown unit', () => {
    expect(expectRefusal('3 furlong', 'length', '--thickness').message).toContain('unknown unit "furlong"');
    expect(expectRefusal('1 mmm', 'length', '--thickness').message).toContain('unknown unit');
    expect(expectRefusal('25 °F', 'temperature', '--temp').message).toContain('unknown unit');
  });
  it('NaN, Infinity and non-numbers', () => {
    for (const text of ['NaN mm', 'Infinity mm', 'mm', '', '   ', '1e999mm', 'ten mm', '0x10mm']) {
      expectRefusal(text, 'length', '--thickness');
    }
  });
  it('a decimal comma, naming the fix', () => {
    expect(expectRefusal('0,1mm', 'length', '--thickness').message).toContain('0.1mm');
  });
  it('signs that make no sense for the dimension', () => {
    expectRefusal('-100um', 'length', '--thickness');
    expectRefusal('0cm2', 'area', '--area');
    expectRefusal('-1mg', 'mass', '--mass');
    expectRefusal('-300C', 'temperature', '--temp');
    expectRefusal('0K', 'temperature', '--temp');
    expectRefusal('-1h', 'time', '--rest');
    expect(parseQuantity('-1h', 'time', '--offset', { sign: 'any' })).toBe(-3600);
  });
  it('a C-rate is not a quantity (documented: a bare number)', () => {
    expectRefusal('0.5C', 'time', '--rate');
  });
});

describe('property: value → formatQuantity → parseQuantity round trip', () => {
  for (const dimension of DIMENSION_NAMES) {
    const info = DIMENSIONS[dimension];
    it(`${dimension}: every documented unit (${info.units.join(', ')})`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...info.units),
          fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
          fc.boolean(),
          (unit, magnitude, negative) => {
            const signed = info.sign === 'any' && negative ? -magnitude : magnitude;
            const valueSI = fromUnit(signed, unit, dimension);
            if (dimension === 'temperature' && valueSI <= 0) return;
            const text = formatQuantity(valueSI, dimension, unit, { space: negative });
            expect(relativeError(parseQuantity(text, dimension, '--x'), valueSI)).toBeLessThan(1e-12);
            // Celsius is an offset unit: its round trip is exact relative to the kelvin value, not to °C.
            const scale = dimension === 'temperature' ? Math.max(Math.abs(signed), 300) : Math.abs(signed);
            expect(Math.abs(toUnit(valueSI, unit, dimension) - signed) / scale).toBeLessThan(1e-12);
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('formatQuantity with digits rounds, and refuses a unit of another dimension', () => {
    expect(formatQuantity(1.234567e-4, 'length', 'um', { digits: 3 })).toBe('123um');
    expect(formatQuantity(298.15, 'temperature', '°C')).toBe('25°C');
    expect(() => formatQuantity(1, 'length', 'mV')).toThrow(ElyteError);
    expect(() => formatQuantity(Number.NaN, 'length', 'mm')).toThrow(ElyteError);
  });

  it('toUnit converts SI to the units of the JSON field names', () => {
    expect(toUnit(612000, 'mAh/g')).toBeCloseTo(170, 12);
    expect(toUnit(0.1, 'mA/cm2')).toBeCloseTo(0.01, 15);
    expect(toUnit(0.1, 'S/cm')).toBeCloseTo(1e-3, 15);
    expect(toUnit(3600, 'h')).toBe(1);
    expect(toUnit(300, 'degC')).toBeCloseTo(26.85, 12);
  });
});

describe('property: garbage is refused with the label in the message', () => {
  it('arbitrary strings either parse to a finite number or throw invalid-argument naming the label', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.constantFrom(...DIMENSION_NAMES), (text, dimension) => {
        try {
          const value = parseQuantity(text, dimension, '--garbage');
          expect(Number.isFinite(value)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ElyteError);
          expect((error as ElyteError).kind).toBe('invalid-argument');
          expect((error as ElyteError).message).toContain('--garbage');
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('a number without a unit is always refused', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...DIMENSION_NAMES),
        (x, d) => {
          expect(() => parseQuantity(String(x), d, '--n')).toThrow(/--n: .*has no unit/);
        },
      ),
    );
  });
});
