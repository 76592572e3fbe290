/** Minimal complex arithmetic on [re, im] pairs for the element formulas (clarity over micro-speed). */
export type Complex = readonly [number, number];

export function cmul(a: Complex, b: Complex): Complex {
  return [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
}

export function cdiv(a: Complex, b: Complex): Complex {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}

export function cscale(a: Complex, s: number): Complex {
  return [a[0] * s, a[1] * s];
}

export function cadd(a: Complex, b: Complex): Complex {
  return [a[0] + b[0], a[1] + b[1]];
}

export function csub(a: Complex, b: Complex): Complex {
  return [a[0] - b[0], a[1] - b[1]];
}

/** Principal square root. */
export function csqrt(a: Complex): Complex {
  const r = Math.hypot(a[0], a[1]);
  const re = Math.sqrt((r + a[0]) / 2);
  const im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
}

/** tanh(x + iy) = (sinh 2x + i sin 2y) / (cosh 2x + cos 2y), saturating for large |x| (no overflow). */
export function ctanh(a: Complex): Complex {
  const x = a[0];
  if (Math.abs(x) > 20) return [Math.sign(x), 0];
  const d = Math.cosh(2 * x) + Math.cos(2 * a[1]);
  return [Math.sinh(2 * x) / d, Math.sin(2 * a[1]) / d];
}

/** (jω)^α = ω^α (cos απ/2 + j sin απ/2). */
export function jomegaPow(omega: number, alpha: number): Complex {
  const m = omega ** alpha;
  return [m * Math.cos((alpha * Math.PI) / 2), m * Math.sin((alpha * Math.PI) / 2)];
}

/** ln(jω) = ln ω + jπ/2. */
export function lnJomega(omega: number): Complex {
  return [Math.log(omega), Math.PI / 2];
}
