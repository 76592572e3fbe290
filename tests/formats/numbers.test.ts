/**
 * scanDecimal, the byte-level number scanner shared by the EC-Lab, Gamry, NOVA, CHI, PAR and Pine table
 * readers: whatever it writes is exactly what Number() gives for the same text (bit for bit, -0
 * included), it leaves NaN only where it cannot round exactly (the reader then asks Number()), and it
 * stops at the first byte that does not continue the number, whatever the delimiter.
 * (scanNumber, built on it for EC-Lab, is checked in biologic-numbers.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanDecimal } from '../../app/formats/numbers';

const encoder = new TextEncoder();

/** Scans `text` followed by `after`; returns the value written and where the scan stopped. */
function scan(text: string, comma: boolean, after = '\t'): { value: number; stop: number } {
  const bytes = encoder.encode(text + after);
  const out = new Float64Array([12345]);
  const stop = scanDecimal(bytes, 0, bytes.length, comma, out, 0);
  return { value: out[0]!, stop };
}

const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '0', '1', '5', '9'), maxLength: max });

describe('scanDecimal', () => {
  it('writes exactly Number() of the text, or NaN only past the exact range, for any plain decimal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '-', '+'),
        digits(22),
        fc.option(digits(22)),
        fc.option(
          fc.tuple(
            fc.constantFrom('e', 'E'),
            fc.constantFrom('', '-', '+'),
            fc.integer({ min: 0, max: 400 }),
          ),
        ),
        fc.constantFrom('\t', ';', ',', '\r\n', '', ' x'),
        (sign, whole, fraction, exponent, after) => {
          const text = `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent ? exponent.join('') : ''}`;
          const expected = Number(text);
          const { value, stop } = scan(text, false, after);
          if (Number.isNaN(expected) || (whole === '' && (fraction ?? '') === '')) {
            expect(stop, text).toBe(-1);
            return;
          }
          expect(stop, text).toBe(text.length);
          if (Number.isNaN(value)) {
            // Outside the fast path: a mantissa of 2^53 or more, or an exponent past ±22.
            const significant = `${whole}${fraction ?? ''}`.length;
            const power = (exponent ? Number(`${exponent[1]}${exponent[2]}`) : 0) - (fraction ?? '').length;
            expect(significant >= 16 || Math.abs(power) > 22, text).toBe(true);
          } else {
            expect(Object.is(value, expected), `${text}: ${value} vs ${expected}`).toBe(true);
          }
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('reads numbers as instruments print them (1e-9…1e9, up to 11 digits) in the fast path', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 1, max: 10 }),
        (magnitude, negative, precision) => {
          const v = negative ? -magnitude : magnitude;
          for (const text of [
            v.toExponential(precision),
            v.toPrecision(precision),
            v.toFixed(Math.min(precision, 6)),
          ]) {
            const { value, stop } = scan(text, false);
            expect(stop).toBe(text.length);
            expect(Object.is(value, Number(text)), `${text}: ${value}`).toBe(true);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('takes a decimal comma only when told to, and stops at the comma otherwise', () => {
    expect(scan('1,5E-003', true)).toEqual({ value: 1.5e-3, stop: 8 });
    expect(scan('-0,25', true)).toEqual({ value: -0.25, stop: 5 });
    expect(scan('1.5', true)).toEqual({ value: 1.5, stop: 3 });
    expect(scan('1,5', false)).toEqual({ value: 1, stop: 1 });
    expect(scan('1,5,3', true)).toEqual({ value: 1.5, stop: 3 });
  });

  it('keeps the sign of zero and reads signs on the mantissa and the exponent', () => {
    expect(Object.is(scan('-0', false).value, -0)).toBe(true);
    expect(Object.is(scan('-0.000E+000', false).value, -0)).toBe(true);
    expect(Object.is(scan('+0', false).value, 0)).toBe(true);
    expect(scan('+1.5e+2', false).value).toBe(150);
    expect(scan('-1.5E-2', false).value).toBe(-0.015);
    expect(scan('.5', false).value).toBe(0.5);
    expect(scan('5.', false).value).toBe(5);
  });

  it('refuses what is not a plain decimal number, writing nothing', () => {
    for (const text of ['', '-', '+', '.', 'E5', '1E', '1E+', '1e123456', 'Infinity', 'NaN', 'x1']) {
      const { value, stop } = scan(text, true);
      expect(stop, JSON.stringify(text)).toBe(-1);
      expect(value).toBe(12345);
    }
    // "0x10" is a plain "0" followed by "x": the caller sees the scan stop at the "x".
    expect(scan('0x10', false)).toEqual({ value: 0, stop: 1 });
  });
});
