/**
 * Reduces a unit expression ("mA/cm2", "mA cm-2", "mA·cm⁻²", "S cm^-1", "µm") to an SI factor and a
 * dimension vector. Grammar after normalisation: factors separated by spaces or "*"; "/" divides by
 * everything after it; each factor is [prefix]symbol[^][-]digits.
 */
import { BASE_UNITS, CELSIUS_SPELLINGS, type DimensionVector, PREFIXES, type UnitFactor } from './unit-table';

export type ParsedUnit =
  | { kind: 'linear'; factor: UnitFactor; vector: DimensionVector }
  /** °C: value_K = value + 273.15. Only a lone unit, never inside a product. */
  | { kind: 'celsius' };

export type UnitProblem = { kind: 'unknown'; token: string } | { kind: 'syntax'; detail: string };

const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
  '⁻': '-',
};

/** Unicode and typing variants folded to one spelling: µ/μ → u, Ω/Ω/Ohm → ohm, superscripts → digits. */
export function normaliseUnitText(text: string): string {
  let out = text
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .replace(/[\u00b5\u03bc]/g, 'u')
    .replace(/[\u03a9\u2126]/g, 'ohm')
    .replace(/ohms?/gi, 'ohm')
    .replace(/\u2103/g, '°C')
    .replace(/\u2212/g, '-')
    .replace(/[·⋅×]/g, '*')
    .replace(/\bdeg\s*C\b/g, '°C')
    .replace(/°\s+C/g, '°C');
  out = [...out].map((ch) => SUPERSCRIPTS[ch] ?? ch).join('');
  return out
    .replace(/\^/g, '')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*\*\s*/g, '*')
    .trim();
}

/** "mA/cm2" → factor 10, vector A·m⁻². `temperatureContext` lets a bare "C" mean °C. */
export function parseUnitExpression(
  raw: string,
  temperatureContext: boolean,
): { ok: true; unit: ParsedUnit } | { ok: false; problem: UnitProblem } {
  const text = normaliseUnitText(raw);
  if (text === '°C' || (temperatureContext && CELSIUS_SPELLINGS.has(text))) {
    return { ok: true, unit: { kind: 'celsius' } };
  }
  if (text.includes('°')) return { ok: false, problem: { kind: 'unknown', token: raw.trim() } };
  const [numerator = '', ...denominators] = text.split('/');
  if (numerator === '' || denominators.some((part) => part === '')) {
    return { ok: false, problem: { kind: 'syntax', detail: `"${raw.trim()}" has an empty side of "/"` } };
  }
  let scale = 1;
  let exp10 = 0;
  const vector = [0, 0, 0, 0, 0];
  const parts = [{ text: numerator, sign: 1 }, ...denominators.map((part) => ({ text: part, sign: -1 }))];
  for (const part of parts) {
    for (const token of part.text.split(/[\s*]+/).filter((t) => t.length > 0)) {
      const term = parseTerm(token);
      if (!term) return { ok: false, problem: { kind: 'unknown', token } };
      const power = term.power * part.sign;
      scale *= term.scale ** power;
      exp10 += term.exp10 * power;
      term.vector.forEach((exponent, i) => {
        vector[i] = vector[i]! + exponent * power;
      });
    }
  }
  return {
    ok: true,
    unit: { kind: 'linear', factor: { scale, exp10 }, vector: vector as unknown as DimensionVector },
  };
}

interface Term extends UnitFactor {
  vector: DimensionVector;
  power: number;
}

/** One factor: "cm2", "cm-2", "mAh", "kohm". An exact symbol wins over prefix+symbol ("min" is not milli-in). */
function parseTerm(token: string): Term | undefined {
  const match = /^([A-Za-z]+)(-?\d+)?$/.exec(token);
  if (!match) return undefined;
  const symbol = match[1]!;
  const power = match[2] === undefined ? 1 : Number(match[2]);
  if (power === 0) return undefined;
  const exact = BASE_UNITS[symbol];
  if (exact) return { scale: exact.scale, exp10: exact.exp10, vector: exact.vector, power };
  const prefix = PREFIXES[symbol.charAt(0)];
  const base = BASE_UNITS[symbol.slice(1)];
  if (prefix === undefined || !base || !base.prefixable) return undefined;
  return { scale: base.scale, exp10: prefix + base.exp10, vector: base.vector, power };
}
