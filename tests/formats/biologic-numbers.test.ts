/**
 * The byte-level number scanner behind the .mpt reader must give exactly what Number() gives for the
 * same text — bit for bit, including -0 — for numbers printed the way EC-Lab prints them (7 or 15
 * mantissa digits, three-digit exponent, point or comma), and NaN for anything that is not a number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, scanNumber } from '../../app/formats/numbers';

/** EC-Lab's format: "1.2345678E-003". */
function ecLab(value: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits).toUpperCase().split('E') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[-+]/, '').padStart(3, '0')}`;
}

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Doubles in the range instruments write (1e-15 … 1e9), where the fast path does its work. */
const instrumentDouble = fc
  .tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -15, max: 9 }), fc.boolean())
  .map(([m, e, negative]) => (negative ? -1 : 1) * m * 10 ** e);

function same(actual: number, expected: number): void {
  expect(Object.is(actual, expected), `${actual} vs ${expected}`).toBe(true);
}

describe('scanNumber against Number()', () => {
  it('matches for EC-Lab printed doubles (7 and 15 digits), decimal point and comma', () => {
    fc.assert(
      fc.property(
        fc.oneof(finiteDouble, instrumentDouble),
        fc.constantFrom(7, 15, 16),
        fc.boolean(),
        (value, digits, comma) => {
          const text = ecLab(value, digits);
          const written = comma ? text.replace('.', ',') : text;
          same(parseDecimal(written), Number(text));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('matches for shortest round-trip strings (String(x))', () => {
    fc.assert(
      fc.property(fc.oneof(finiteDouble, instrumentDouble), (value) => {
        const text = String(value);
        same(parseDecimal(text), Number(text));
        // String(-0) is "0", so the round trip is checked on non-zero values.
        if (value !== 0) same(parseDecimal(text), value);
      }),
      { numRuns: 20000 },
    );
  });

  it('matches for fixed-point and integer fields', () => {
    fc.assert(
      fc.property(instrumentDouble, fc.integer({ min: 0, max: 20 }), (value, digits) => {
        const text = value.toFixed(digits);
        same(parseDecimal(text), Number(text));
      }),
      { numRuns: 10000 },
    );
    fc.assert(
      fc.property(fc.integer(), (value) => same(parseDecimal(String(value)), value)),
      { numRuns: 2000 },
    );
  });

  it('matches for random digit strings (long mantissas, zeros, big exponents)', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(
        fc.constantFrom('', '-', '+'),
        digits,
        fc.option(digits),
        fc.option(fc.integer({ min: -400, max: 400 })),
        (sign, whole, fraction, exponent) => {
          const text = `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `E${exponent}`}`;
          same(parseDecimal(text), Number(text));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('gives NaN for text that is not a plain decimal number', () => {
    for (const text of [
      '',
      ' ',
      '-',
      '.',
      'E5',
      '1E',
      '1E+',
      '0x10',
      'Infinity',
      '-Infinity',
      'NaN',
      '1.2.3',
      '1,2,3',
      'abc',
      '1e5x',
    ]) {
      expect(parseDecimal(text), JSON.stringify(text)).toBeNaN();
    }
  });

  it('stops at tab, CR and LF and reports where', () => {
    const bytes = new TextEncoder().encode('1.5E+000\t-2,25E-001\r\n7');
    const end = { at: 0 };
    expect(scanNumber(bytes, 0, bytes.length, end)).toBe(1.5);
    expect(end.at).toBe(8);
    expect(scanNumber(bytes, 9, bytes.length, end)).toBe(-0.225);
    expect(end.at).toBe(19);
    expect(scanNumber(bytes, 21, bytes.length, end)).toBe(7);
    expect(end.at).toBe(22);
  });
});
