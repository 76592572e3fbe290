import { describe, expect, it } from 'vitest';
import { circuitToString, compileCircuit, ELEMENTS, parseCircuit, simulate } from '../../app/eis/index';
import { ElyteError } from '../../app/errors';

const F = Float64Array.from([1e5, 1e3, 10, 0.1]);

function expectCircuitError(text: string, fragment: RegExp) {
  try {
    parseCircuit(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ElyteError);
    expect((error as ElyteError).kind).toBe('invalid-argument');
    expect((error as ElyteError).message).toMatch(fragment);
    return;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('circuit language', () => {
  it('parses impedance.py syntax with nesting', () => {
    const tree = parseCircuit('R0-p(R1,CPE1)-p(R2-Wo1,C2)');
    expect(tree.kind).toBe('series');
    expect(circuitToString(tree)).toBe('R0-p(R1,CPE1)-p(R2-Wo1,C2)');
    expect(circuitToString(parseCircuit('R0 - p(R1, p(R2, C2)-L1, CPE1)'))).toBe('R0-p(R1,p(R2,C2)-L1,CPE1)');
    const names = compileCircuit('R0-p(R1,CPE1)-Wo1-La1-TLM1').parameters.map((p) => p.name);
    expect(names).toEqual([
      'R0',
      'R1',
      'CPE1_Q',
      'CPE1_alpha',
      'Wo1_R',
      'Wo1_tau',
      'La1_L',
      'La1_alpha',
      'TLM1_R',
      'TLM1_Q',
      'TLM1_alpha',
    ]);
  });

  it('parses Boukamp CDC into the same tree as the impedance.py form', () => {
    expect(circuitToString(parseCircuit('R(RQ)(RQ)Q'))).toBe('R0-p(R1,CPE0)-p(R2,CPE1)-CPE2');
    expect(circuitToString(parseCircuit('R(C(RW))'))).toBe('R0-p(C0,R1-W0)');
    expect(circuitToString(parseCircuit('R[RQ]'))).toBe('R0-R1-CPE0');
    expect(circuitToString(parseCircuit('R(RO)(RT)GK'))).toBe('R0-p(R1,Wo0)-p(R2,Ws0)-G0-K0');
    // Same impedance from both notations (Randles cell, known values).
    const values = { R0: 10, R1: 100, C0: 1e-6, W0: 50 };
    const cdc = simulate('R(C(RW))', values, F);
    const py = simulate('R0-p(C0,R1-W0)', values, F);
    expect(Array.from(cdc.real)).toEqual(Array.from(py.real));
  });

  it('refuses malformed circuits with position and cause', () => {
    expectCircuitError('', /empty/);
    expectCircuitError('R0-p(R1,C1', /never closed/);
    expectCircuitError('R0-X1', /position 4: unknown element "X1"/);
    expectCircuitError('R0-p(R1)', /at least two branches/);
    expectCircuitError('R0--R1', /expected an element/);
    expectCircuitError('R0-R', /needs an index/);
    expectCircuitError('R0-R0', /appears twice/);
    expectCircuitError('R(RQ', /never closed/);
    expectCircuitError('R(RQ))', /closes nothing|unexpected/);
    expectCircuitError('R0-p(R1,C1)x', /unexpected/);
  });
});

describe('element formulas (known values)', () => {
  const w = 2 * Math.PI * 1e3;
  const at1k = (circuit: string, values: Record<string, number>) => {
    const z = simulate(circuit, values, Float64Array.of(1e3));
    return [z.real[0]!, z.imag[0]!] as const;
  };

  it('R, C, L, W', () => {
    expect(at1k('R1', { R1: 42 })).toEqual([42, 0]);
    expect(at1k('C1', { C1: 1e-6 })[1]).toBeCloseTo(-1 / (w * 1e-6), 9);
    expect(at1k('L1', { L1: 1e-3 })[1]).toBeCloseTo(w * 1e-3, 9);
    const [re, im] = at1k('W1', { W1: 100 });
    expect(re).toBeCloseTo(100 / Math.sqrt(w), 9);
    expect(im).toBeCloseTo(-100 / Math.sqrt(w), 9);
  });

  it('CPE with α = 1 is a capacitor; La with α = 1 an inductor; K is an RC', () => {
    const cpe = at1k('CPE1', { CPE1_Q: 1e-6, CPE1_alpha: 1 });
    expect(cpe[0]).toBeCloseTo(0, 9);
    expect(cpe[1]).toBeCloseTo(-1 / (w * 1e-6), 9);
    expect(at1k('La1', { La1_L: 1e-3, La1_alpha: 1 })[1]).toBeCloseTo(w * 1e-3, 9);
    const k = at1k('K1', { K1_R: 100, K1_tau: 1e-4 });
    const rc = at1k('p(R1,C1)', { R1: 100, C1: 1e-6 });
    expect(k[0]).toBeCloseTo(rc[0], 9);
    expect(k[1]).toBeCloseTo(rc[1], 9);
  });

  it('finite Warburgs and the transmission line reach their documented limits', () => {
    const low = Float64Array.of(1e-6);
    // Ws (short): Z → R at low frequency. Wo (open): Re Z → R/3, capacitive Im.
    expect(simulate('Ws1', { Ws1_R: 100, Ws1_tau: 1 }, low).real[0]).toBeCloseTo(100, 3);
    const wo = simulate('Wo1', { Wo1_R: 100, Wo1_tau: 1 }, low);
    expect(wo.real[0]).toBeCloseTo(100 / 3, 3);
    expect(wo.imag[0]).toBeLessThan(-1e5);
    // High frequency: both become the semi-infinite Warburg R/√(jωτ).
    const high = Float64Array.of(1e6);
    const ws = simulate('Ws1', { Ws1_R: 100, Ws1_tau: 1 }, high);
    const expected = 100 / Math.sqrt(2 * Math.PI * 1e6) / Math.SQRT2;
    expect(ws.real[0]).toBeCloseTo(expected, 9);
    expect(ws.imag[0]).toBeCloseTo(-expected, 9);
    // Gerischer: R at low frequency.
    expect(simulate('G1', { G1_R: 50, G1_tau: 1e-3 }, low).real[0]).toBeCloseTo(50, 6);
    // de Levie line, blocking: Re Z → R/3 at low frequency.
    const tlm = simulate('TLM1', { TLM1_R: 30, TLM1_Q: 1e-3, TLM1_alpha: 1 }, low);
    expect(tlm.real[0]).toBeCloseTo(10, 3);
  });

  it('simulate refuses missing and unknown parameter names', () => {
    expect(() => simulate('R0-p(R1,C1)', { R0: 1, R1: 2 }, F)).toThrow(/no value for C1/);
    expect(() => simulate('R0', { R0: 1, R5: 2 }, F)).toThrow(/"R5" is not a parameter/);
    // impedance.py positional names are accepted as aliases.
    const z = simulate('CPE1', { CPE1_0: 1e-6, CPE1_1: 1 }, Float64Array.of(1e3));
    expect(z.imag[0]).toBeCloseTo(-1 / (2 * Math.PI * 1e3 * 1e-6), 9);
  });

  it('documents a formula and units for every element', () => {
    for (const spec of Object.values(ELEMENTS)) {
      expect(spec.formula).toMatch(/^Z = /);
      for (const p of spec.parameters) expect(typeof p.unit).toBe('string');
    }
  });
});

describe('analytic Jacobian', () => {
  const cases: [string, Record<string, number>][] = [
    ['R1', { R1: 12 }],
    ['C1', { C1: 2e-6 }],
    ['L1', { L1: 3e-6 }],
    ['CPE1', { CPE1_Q: 1e-6, CPE1_alpha: 0.8 }],
    ['W1', { W1: 30 }],
    ['Wo1', { Wo1_R: 100, Wo1_tau: 0.5 }],
    ['Ws1', { Ws1_R: 100, Ws1_tau: 0.5 }],
    ['G1', { G1_R: 40, G1_tau: 1e-3 }],
    ['La1', { La1_L: 1e-5, La1_alpha: 0.7 }],
    ['K1', { K1_R: 70, K1_tau: 1e-4 }],
    ['TLM1', { TLM1_R: 80, TLM1_Q: 1e-4, TLM1_alpha: 0.85 }],
    [
      'R0-p(R1,CPE1)-p(R2-Wo1,C2)-L0',
      { R0: 5, R1: 100, CPE1_Q: 1e-8, CPE1_alpha: 0.9, R2: 300, Wo1_R: 200, Wo1_tau: 3, C2: 1e-5, L0: 1e-7 },
    ],
    [
      'p(R1,p(R2-K1,CPE1)-G1,TLM1)',
      {
        R1: 1e3,
        R2: 50,
        K1_R: 30,
        K1_tau: 1e-3,
        CPE1_Q: 1e-5,
        CPE1_alpha: 0.75,
        G1_R: 20,
        G1_tau: 0.01,
        TLM1_R: 90,
        TLM1_Q: 1e-3,
        TLM1_alpha: 0.9,
      },
    ],
  ];
  const freqs = [3e5, 2e3, 7, 0.05, 3e-4];

  it.each(cases)('%s matches central finite differences', (circuit, values) => {
    const compiled = compileCircuit(circuit);
    const p = Float64Array.from(compiled.parameters, (q) => values[q.name]!);
    const dRe = new Float64Array(p.length);
    const dIm = new Float64Array(p.length);
    const scratchRe = new Float64Array(p.length);
    const scratchIm = new Float64Array(p.length);
    for (const f of freqs) {
      const omega = 2 * Math.PI * f;
      const z = compiled.evaluate(p, omega, dRe, dIm);
      const mod = Math.hypot(z[0], z[1]);
      for (let k = 0; k < p.length; k++) {
        const h = 1e-6 * p[k]!;
        const plus = Float64Array.from(p);
        const minus = Float64Array.from(p);
        plus[k]! += h;
        minus[k]! -= h;
        const zp = compiled.evaluate(plus, omega, scratchRe, scratchIm);
        const zm = compiled.evaluate(minus, omega, scratchRe, scratchIm);
        // Compare dZ/dln p relative to |Z| so that every parameter is judged on the same scale.
        const fdRe = ((zp[0] - zm[0]) / (2 * h)) * p[k]!;
        const fdIm = ((zp[1] - zm[1]) / (2 * h)) * p[k]!;
        expect(Math.abs(fdRe - dRe[k]! * p[k]!) / mod).toBeLessThan(1e-6);
        expect(Math.abs(fdIm - dIm[k]! * p[k]!) / mod).toBeLessThan(1e-6);
      }
    }
  });
});
