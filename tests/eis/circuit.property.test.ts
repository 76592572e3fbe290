/** Property tests for the circuit language: any well-formed tree survives print → parse, in both notations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { circuitToString, parseCircuit, simulate } from '../../app/eis/index';
import { ElyteError } from '../../app/errors';

type Tree = { kind: 'element'; letter: string } | { kind: 'series' | 'parallel'; children: Tree[] };

const LETTERS = ['R', 'C', 'Q', 'W', 'L', 'K'];
const PREFIX: Record<string, string> = { R: 'R', C: 'C', Q: 'CPE', W: 'W', L: 'L', K: 'K' };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('element' as const), letter: fc.constantFrom(...LETTERS) }),
    fc.record({
      kind: fc.constantFrom('series' as const, 'parallel' as const),
      children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
    }),
  ),
})).node;

/** impedance.py text with names numbered per type in order of appearance (as the CDC reader names them). */
function toImpedancePy(node: Tree, counters = new Map<string, number>()): string {
  if (node.kind === 'element') {
    const index = counters.get(node.letter) ?? 0;
    counters.set(node.letter, index + 1);
    return `${PREFIX[node.letter]}${index}`;
  }
  const parts = node.children.map((child) => toImpedancePy(child, counters));
  return node.kind === 'series' ? parts.join('-') : `p(${parts.join(',')})`;
}

/** CDC text: each pair of parentheses switches series/parallel, starting from series at the top. */
function toCdc(node: Tree, context: 'series' | 'parallel' = 'series'): string {
  if (node.kind === 'element') return node.letter;
  const inner = (kind: 'series' | 'parallel') => node.children.map((child) => toCdc(child, kind)).join('');
  return node.kind === context ? inner(context) : `(${inner(node.kind)})`;
}

/** Trees where a series child of a series (or parallel of parallel) is flattened, as any parser sees them. */
function flatten(node: Tree): Tree {
  if (node.kind === 'element') return node;
  const children = node.children.map(flatten).flatMap((c) => (c.kind === node.kind ? c.children : [c]));
  return { kind: node.kind, children };
}

describe('circuit language properties', () => {
  it('impedance.py text round-trips through parse → print', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = toImpedancePy(t);
        expect(circuitToString(parseCircuit(text))).toBe(text);
      }),
    );
  });

  it('CDC and impedance.py spellings of the same tree give the same impedance', () => {
    const f = Float64Array.of(1e4, 10, 0.01);
    fc.assert(
      fc.property(tree, (raw) => {
        const t = flatten(raw);
        if (t.kind === 'parallel') return; // a top-level parallel needs brackets CDC spells as a series group
        const py = toImpedancePy(t);
        const cdc = toCdc(t);
        const values: Record<string, number> = {};
        for (const name of py.match(/[A-Z]+\d+/g) ?? []) {
          if (name.startsWith('CPE')) {
            values[`${name}_Q`] = 1e-5;
            values[`${name}_alpha`] = 0.8;
          } else if (name.startsWith('K')) {
            values[`${name}_R`] = 10;
            values[`${name}_tau`] = 1e-3;
          } else values[name] = name.startsWith('R') ? 50 : name.startsWith('W') ? 20 : 1e-4;
        }
        const a = simulate(py, values, f);
        const b = simulate(cdc, values, f);
        for (let i = 0; i < f.length; i++) {
          expect(b.real[i]).toBeCloseTo(a.real[i]!, 9);
          expect(b.imag[i]).toBeCloseTo(a.imag[i]!, 9);
        }
      }),
    );
  });

  it('any string either parses or fails with an invalid-argument ElyteError (never anything else)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'RCLQWOTGKp()[],-0123456789 xEa'.split('')) }),
        (text) => {
          try {
            parseCircuit(text);
          } catch (error) {
            expect(error).toBeInstanceOf(ElyteError);
            expect((error as ElyteError).kind).toBe('invalid-argument');
          }
        },
      ),
    );
  });
});
