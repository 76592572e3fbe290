/**
 * Circuit strings → one tree → a compiled evaluator of Z(ω) and dZ/dp for every parameter.
 *
 * Two notations are accepted:
 * - impedance.py: `R0-p(R1,CPE1)-p(R2-Wo1,C2)`: `-` joins in series, `p(a,b,…)` in parallel, nested
 *   freely; element names are a type prefix plus an index (R0, CPE1, Wo2, TLM1…).
 * - Boukamp CDC: `R(RQ)(RQ)Q`, `R(C(RW))`: letters are elements, each `(`…`)` switches between series
 *   and parallel (the top level is series), `[`…`]` is always series. Letters: R, C, L, Q (CPE),
 *   W (Warburg), O (Wo, finite-space, coth), T (Ws, finite-length, tanh), G (Gerischer), K (Voigt).
 *   CDC elements are named per type in order of appearance: R0, R1, …, CPE0, CPE1, …
 * The notation is detected: a string of only CDC letters and brackets is CDC.
 */
import { ElyteError } from '../errors';
import type { Complex } from './complex';
import { ELEMENTS, type ParameterKind, parameterNames } from './elements';
import type { CircuitNode, ElementType } from './types';

/** Longest prefixes first so that `Wo1` is not read as `W` + `o1`. */
const PREFIXES: readonly ElementType[] = ['TLM', 'CPE', 'La', 'Wo', 'Ws', 'W', 'G', 'K', 'R', 'C', 'L'];
const CDC_LETTERS: Record<string, ElementType> = {
  R: 'R',
  C: 'C',
  L: 'L',
  Q: 'CPE',
  W: 'W',
  O: 'Wo',
  T: 'Ws',
  G: 'G',
  K: 'K',
};
const KNOWN = 'R, C, L, CPE, W, Wo, Ws, G, La, K, TLM';

function circuitError(text: string, position: number, cause: string): ElyteError {
  return new ElyteError('invalid-argument', `circuit "${text}", position ${position + 1}: ${cause}`, {
    where: '--circuit',
  });
}

export function parseCircuit(text: string): CircuitNode {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ElyteError('invalid-argument', 'the circuit is empty: give e.g. R0-p(R1,CPE1)', {
      where: '--circuit',
    });
  }
  const compact = text.replace(/\s+/g, '');
  const tree = /^[RCLQWOTGK()[\]]+$/.test(compact) ? parseCdc(compact) : parseImpedancePy(compact);
  const seen = new Set<string>();
  for (const element of elementsOf(tree)) {
    if (seen.has(element.name)) {
      throw new ElyteError('invalid-argument', `circuit "${text}": element ${element.name} appears twice`, {
        where: '--circuit',
      });
    }
    seen.add(element.name);
  }
  return tree;
}

function parseImpedancePy(text: string): CircuitNode {
  let pos = 0;
  const peek = () => text[pos];

  function series(): CircuitNode {
    const children = [term()];
    while (peek() === '-') {
      pos++;
      children.push(term());
    }
    return children.length === 1 ? children[0]! : { kind: 'series', children };
  }

  function term(): CircuitNode {
    if (pos >= text.length) throw circuitError(text, pos, 'expected an element, found the end');
    if (text[pos] === 'p' && text[pos + 1] === '(') {
      const open = pos;
      pos += 2;
      const children = [series()];
      while (peek() === ',') {
        pos++;
        children.push(series());
      }
      if (peek() !== ')') {
        throw circuitError(
          text,
          pos,
          peek() === undefined
            ? `p( opened at ${open + 1} is never closed`
            : `expected , or ) but found "${peek()}"`,
        );
      }
      pos++;
      if (children.length < 2)
        throw circuitError(text, open, 'p(…) needs at least two branches separated by ,');
      return { kind: 'parallel', children };
    }
    const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!match) throw circuitError(text, pos, `expected an element or p( but found "${text[pos]}"`);
    const word = match[0];
    const type = PREFIXES.find(
      (prefix) => word.startsWith(prefix) && /^[0-9_]/.test(word.slice(prefix.length)),
    );
    if (!type) {
      const bare = PREFIXES.find((prefix) => word === prefix);
      throw circuitError(
        text,
        pos,
        bare
          ? `element "${word}" needs an index, e.g. ${word}1`
          : `unknown element "${word}" (known: ${KNOWN})`,
      );
    }
    pos += word.length;
    return { kind: 'element', type, name: word };
  }

  const tree = series();
  if (pos < text.length) throw circuitError(text, pos, `unexpected "${text[pos]}"`);
  return tree;
}

function parseCdc(text: string): CircuitNode {
  let pos = 0;
  const counters = new Map<ElementType, number>();

  function group(kind: 'series' | 'parallel', close: string | null, open: number): CircuitNode {
    const children: CircuitNode[] = [];
    while (pos < text.length && text[pos] !== ')' && text[pos] !== ']') {
      const ch = text[pos]!;
      if (ch === '(') {
        pos++;
        children.push(group(kind === 'series' ? 'parallel' : 'series', ')', pos - 1));
      } else if (ch === '[') {
        pos++;
        children.push(group('series', ']', pos - 1));
      } else {
        const type = CDC_LETTERS[ch];
        if (!type) throw circuitError(text, pos, `unknown CDC letter "${ch}"`);
        const index = counters.get(type) ?? 0;
        counters.set(type, index + 1);
        children.push({ kind: 'element', type, name: `${type}${index}` });
        pos++;
      }
    }
    if (close === null) {
      if (pos < text.length) throw circuitError(text, pos, `"${text[pos]}" closes nothing`);
    } else if (text[pos] !== close) {
      throw circuitError(
        text,
        pos,
        pos >= text.length
          ? `bracket opened at ${open + 1} is never closed`
          : `"${text[pos]}" does not match`,
      );
    } else {
      pos++;
    }
    if (children.length === 0) throw circuitError(text, open, 'empty brackets');
    return children.length === 1 ? children[0]! : { kind, children };
  }

  return group('series', null, 0);
}

export function elementsOf(node: CircuitNode): Extract<CircuitNode, { kind: 'element' }>[] {
  if (node.kind === 'element') return [node];
  return node.children.flatMap(elementsOf);
}

/** The tree written back in impedance.py syntax. */
export function circuitToString(node: CircuitNode): string {
  if (node.kind === 'element') return node.name;
  const parts = node.children.map(circuitToString);
  return node.kind === 'series' ? parts.join('-') : `p(${parts.join(',')})`;
}

export interface CircuitParameter {
  name: string;
  unit: string;
  kind: ParameterKind;
  element: string;
  type: ElementType;
}

/** Writes Z into the returned pair and dZ/dp_k into dRe[k], dIm[k] for every parameter k. */
type NodeEvaluator = (p: Float64Array, omega: number, dRe: Float64Array, dIm: Float64Array) => Complex;

export interface CompiledCircuit {
  text: string;
  tree: CircuitNode;
  parameters: CircuitParameter[];
  evaluate: NodeEvaluator;
  /** Parameter index by canonical name or impedance.py alias (CPE1_0 → CPE1_Q), or -1. */
  indexOf(name: string): number;
}

export function compileCircuit(input: string | CircuitNode): CompiledCircuit {
  const tree = typeof input === 'string' ? parseCircuit(input) : input;
  const parameters: CircuitParameter[] = [];
  const aliases = new Map<string, number>();

  function build(node: CircuitNode): { evaluate: NodeEvaluator; start: number; end: number } {
    const start = parameters.length;
    if (node.kind === 'element') {
      const spec = ELEMENTS[node.type];
      const names = parameterNames(node.type, node.name);
      names.forEach((name, i) => {
        const param = spec.parameters[i]!;
        aliases.set(name, parameters.length);
        aliases.set(`${node.name}_${i}`, parameters.length);
        parameters.push({ name, unit: param.unit, kind: param.kind, element: node.name, type: node.type });
      });
      const count = names.length;
      const local = new Float64Array(count);
      const evaluate: NodeEvaluator = (p, omega, dRe, dIm) => {
        for (let k = 0; k < count; k++) local[k] = p[start + k]!;
        const { z, dz } = spec.evaluate(local, omega);
        for (let k = 0; k < count; k++) {
          dRe[start + k] = dz[k]![0];
          dIm[start + k] = dz[k]![1];
        }
        return z;
      };
      return { evaluate, start, end: parameters.length };
    }
    const children = node.children.map(build);
    const end = parameters.length;
    if (node.kind === 'series') {
      const evaluate: NodeEvaluator = (p, omega, dRe, dIm) => {
        let re = 0;
        let im = 0;
        for (const child of children) {
          const z = child.evaluate(p, omega, dRe, dIm);
          re += z[0];
          im += z[1];
        }
        return [re, im];
      };
      return { evaluate, start, end };
    }
    const zs: Complex[] = children.map(() => [0, 0]);
    const evaluate: NodeEvaluator = (p, omega, dRe, dIm) => {
      let yRe = 0;
      let yIm = 0;
      for (let c = 0; c < children.length; c++) {
        const z = children[c]!.evaluate(p, omega, dRe, dIm);
        zs[c] = z;
        const d = z[0] * z[0] + z[1] * z[1];
        yRe += z[0] / d;
        yIm -= z[1] / d;
      }
      const dy = yRe * yRe + yIm * yIm;
      const zRe = yRe / dy;
      const zIm = -yIm / dy;
      // dZ/dp = (Z/Z_k)² dZ_k/dp for p inside branch k.
      for (let c = 0; c < children.length; c++) {
        const child = children[c]!;
        const zk = zs[c]!;
        const dk = zk[0] * zk[0] + zk[1] * zk[1];
        const rRe = (zRe * zk[0] + zIm * zk[1]) / dk;
        const rIm = (zIm * zk[0] - zRe * zk[1]) / dk;
        const fRe = rRe * rRe - rIm * rIm;
        const fIm = 2 * rRe * rIm;
        for (let k = child.start; k < child.end; k++) {
          const a = dRe[k]!;
          const b = dIm[k]!;
          dRe[k] = fRe * a - fIm * b;
          dIm[k] = fRe * b + fIm * a;
        }
      }
      return [zRe, zIm];
    };
    return { evaluate, start, end };
  }

  const root = build(tree);
  return {
    text: circuitToString(tree),
    tree,
    parameters,
    evaluate: root.evaluate,
    indexOf: (name) => aliases.get(name) ?? -1,
  };
}

/** Values by name (canonical or alias) → a parameter vector; every parameter must be given. */
export function parameterVector(
  circuit: CompiledCircuit,
  values: Record<string, number>,
  what = 'parameters',
): Float64Array {
  const vector = new Float64Array(circuit.parameters.length).fill(Number.NaN);
  for (const [name, value] of Object.entries(values)) {
    const index = circuit.indexOf(name);
    if (index < 0) {
      throw new ElyteError(
        'invalid-argument',
        `${what}: "${name}" is not a parameter of ${circuit.text} (parameters: ${circuit.parameters.map((p) => p.name).join(', ')})`,
      );
    }
    vector[index] = value;
  }
  return vector;
}

/** Z at each frequency for the given parameter values (by name), Ω. */
export function simulate(
  circuit: string | CompiledCircuit,
  parameters: Record<string, number>,
  frequency_Hz: Float64Array,
): { real: Float64Array; imag: Float64Array } {
  const compiled = typeof circuit === 'string' ? compileCircuit(circuit) : circuit;
  const p = parameterVector(compiled, parameters);
  const missing = compiled.parameters.filter((_, i) => !Number.isFinite(p[i]!)).map((q) => q.name);
  if (missing.length > 0) {
    throw new ElyteError('invalid-argument', `simulate ${compiled.text}: no value for ${missing.join(', ')}`);
  }
  const dRe = new Float64Array(p.length);
  const dIm = new Float64Array(p.length);
  const real = new Float64Array(frequency_Hz.length);
  const imag = new Float64Array(frequency_Hz.length);
  for (let i = 0; i < frequency_Hz.length; i++) {
    const z = compiled.evaluate(p, 2 * Math.PI * frequency_Hz[i]!, dRe, dIm);
    real[i] = z[0];
    imag[i] = z[1];
  }
  return { real, imag };
}
