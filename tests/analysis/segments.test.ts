/**
 * Segmentation from the current, as properties: for any sequence of constant-current blocks with
 * rests between them, the half cycles are the sign changes, rests never split a half cycle, and each
 * half cycle's charge is exactly Σ|I|·duration of its blocks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairByCurrent, segmentHalfCycles } from '../../app/analysis/segments';

interface Block {
  current: number;
  duration: number;
  restAfter: number;
}

function build(blocks: Block[]) {
  const t: number[] = [0];
  const i: number[] = [0];
  const v: number[] = [3];
  let now = 0;
  for (const b of blocks) {
    for (let k = 1; k <= 10; k++) {
      t.push(now + (k * b.duration) / 10);
      i.push(b.current);
      v.push(3 + Math.sign(b.current) * 0.1);
    }
    now += b.duration;
    if (b.restAfter > 0) {
      now += b.restAfter;
      t.push(now);
      i.push(0);
      v.push(3);
    }
  }
  return { time: Float64Array.from(t), current: Float64Array.from(i), voltage: Float64Array.from(v) };
}

const block = fc.record({
  current: fc.oneof(
    fc.double({ min: 1e-4, max: 1e-2, noNaN: true }),
    fc.double({ min: -1e-2, max: -1e-4, noNaN: true }),
  ),
  duration: fc.double({ min: 60, max: 36000, noNaN: true }),
  restAfter: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 3600, noNaN: true })),
});

describe('segmentHalfCycles (property)', () => {
  it('half cycles follow the sign changes and carry exactly their blocks’ charge', () => {
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 12 }), (blocks) => {
        const { time, current, voltage } = build(blocks);
        const halves = segmentHalfCycles(time, current, voltage, { restCurrent_A: 1e-5, minCharge_C: 0 });
        const expected: { sign: number; charge: number }[] = [];
        for (const b of blocks) {
          const sign = Math.sign(b.current);
          const last = expected[expected.length - 1];
          if (last && last.sign === sign) last.charge += Math.abs(b.current) * b.duration;
          else expected.push({ sign, charge: Math.abs(b.current) * b.duration });
        }
        expect(halves).toHaveLength(expected.length);
        halves.forEach((h, k) => {
          expect(h.direction).toBe(expected[k]!.sign > 0 ? 'charge' : 'discharge');
          expect(h.charge_C).toBeCloseTo(expected[k]!.charge, 6);
          expect(h.meanVoltage_V).toBeCloseTo(3 + expected[k]!.sign * 0.1, 9);
        });
        const pairing = pairByCurrent(halves, 'auto');
        const paired = pairing.cycles.flatMap((c) => [c.charge, c.discharge]).filter((x) => x !== null);
        expect(paired.sort((a, b) => a! - b!)).toEqual(halves.map((h) => h.index));
      }),
      { numRuns: 200 },
    );
  });

  it('a sub-threshold blip inside a half cycle neither splits nor shortens it', () => {
    const { time, current, voltage } = build([
      { current: 1e-3, duration: 3600, restAfter: 0 },
      { current: 1e-3, duration: 3600, restAfter: 0 },
    ]);
    current[5] = -1e-7;
    const halves = segmentHalfCycles(time, current, voltage, { restCurrent_A: 1e-5, minCharge_C: 0 });
    expect(halves).toHaveLength(1);
  });
});
