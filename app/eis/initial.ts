/**
 * Starting values from the spectrum itself, so that a technician never types a guess:
 * - the high-frequency real-axis intercept → the series resistance;
 * - each arc (a local maximum of −Z'' over log f) → its resistance from the arc's height and real-axis width,
 *   its depression → the CPE exponent (height/half-width = tan(απ/4)), its apex frequency → the capacitance
 *   (C = 1/(2π f_apex R), Q = 1/(R (2π f_apex)^α)) or time constant (τ = 1/(2π f_apex));
 * - the low-frequency tail: its Nyquist angle → the blocking CPE's α, its −Z'' → Q or C or a Warburg
 *   coefficient, its real part → a finite diffusion resistance.
 * Arcs are handed to the circuit's parallel blocks (and K/G elements) in the order of the circuit string
 * from high to low frequency; `initialGuesses` also returns the other orderings, tried when the first fails.
 */
import type { CompiledCircuit } from './circuit';
import type { CircuitNode, Spectrum } from './types';

interface Arc {
  fApex: number;
  resistance: number;
  alpha: number;
}

interface Features {
  rHf: number;
  arcs: Arc[];
  fMin: number;
  fMax: number;
  zMax: number;
  zrLf: number;
  yLf: number;
  omegaLf: number;
  alphaTail: number;
  /** Inductance seen at the highest frequency (0 when capacitive there). */
  lHf: number;
  /** Phase minimum after the last detected arc (end of the arcs, start of a tail), if any. */
  valley: { f: number; zr: number } | null;
}

const TWO_PI = 2 * Math.PI;

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

/** Spectrum sorted by decreasing frequency (validateSpectrum's order). */
function features(s: Spectrum): Features {
  const f = s.frequency_Hz;
  const zr = s.z_real_ohm;
  const n = f.length;
  const y = Float64Array.from(s.z_imag_ohm, (v) => -v);
  let zMax = 0;
  for (let i = 0; i < n; i++) zMax = Math.max(zMax, Math.hypot(zr[i]!, y[i]!));
  const floor = 1e-9 * zMax;

  // High-frequency intercept: where −Z'' first turns positive, else extrapolated from the first point.
  let rHf = zr[0]! - Math.max(0, y[0]!);
  for (let i = 0; i + 1 < n; i++) {
    if (y[i]! <= 0 && y[i + 1]! > 0) {
      rHf = zr[i]! + ((zr[i + 1]! - zr[i]!) * -y[i]!) / (y[i + 1]! - y[i]!);
      break;
    }
  }
  let zrMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) zrMin = Math.min(zrMin, zr[i]!);
  rHf = clamp(rHf, Math.max(floor, 0.01 * zrMin), Math.max(floor, zrMin));

  // Arcs: prominent local maxima of a 3-point smoothed −Z''.
  const smooth = Float64Array.from(
    y,
    (_, i) => (y[Math.max(0, i - 1)]! + y[i]! + y[Math.min(n - 1, i + 1)]!) / 3,
  );
  const arcs: Arc[] = [];
  for (let i = 1; i + 1 < n; i++) {
    if (!(smooth[i]! > 0 && smooth[i]! >= smooth[i - 1]! && smooth[i]! > smooth[i + 1]!)) continue;
    let left = i;
    while (left > 0 && smooth[left - 1]! < smooth[left]!) left--;
    let right = i;
    while (right + 1 < n && smooth[right + 1]! < smooth[right]!) right++;
    const valley = Math.max(smooth[left]!, smooth[right]!);
    const height = y[i]!;
    if (height - valley < 0.05 * height || (right === n - 1 && smooth[right]! > 0.7 * height)) continue;
    // An arc cut off by the first frequency has no left foot: its width says nothing about its depression.
    const width = left === 0 && y[0]! > 0.2 * height ? 0 : Math.max(0, zr[right]! - zr[left]!);
    const alpha = width > 0 ? clamp((4 / Math.PI) * Math.atan((2 * height) / width), 0.6, 0.97) : 0.85;
    const resistance = Math.max(2 * height, Math.min(width, (2 * height) / Math.tan((0.6 * Math.PI) / 4)));
    arcs.push({ fApex: f[i]!, resistance, alpha });
  }

  // The phase minimum below the last arc ends the arc region where a blocking tail hides an arc's apex.
  const lastArc = arcs.length ? f.indexOf(arcs[arcs.length - 1]!.fApex) : 0;
  let valley = -1;
  for (let i = Math.max(1, lastArc + 1); i + 1 < n; i++) {
    const phase = Math.atan2(y[i]!, zr[i]!);
    if (phase < Math.atan2(y[i - 1]!, zr[i - 1]!) && phase <= Math.atan2(y[i + 1]!, zr[i + 1]!)) {
      if (valley < 0 || phase < Math.atan2(y[valley]!, zr[valley]!)) valley = i;
    }
  }

  // Low-frequency tail from the last few points.
  const k = Math.min(4, n - 1);
  const dRe = zr[n - 1]! - zr[n - 1 - k]!;
  const dIm = y[n - 1]! - y[n - 1 - k]!;
  const angle = Math.atan2(dIm, dRe);
  const alphaTail = clamp(angle / (Math.PI / 2), 0.3, 0.97);
  const omegaMax = TWO_PI * f[0]!;
  return {
    rHf,
    arcs,
    fMin: f[n - 1]!,
    fMax: f[0]!,
    zMax,
    zrLf: zr[n - 1]!,
    yLf: Math.max(y[n - 1]!, 0.02 * zMax),
    omegaLf: TWO_PI * f[n - 1]!,
    alphaTail,
    lHf: y[0]! < 0 ? -y[0]! / omegaMax : 0,
    valley: valley < 0 ? null : { f: f[valley]!, zr: zr[valley]! },
  };
}

/** Nodes that each take one arc: parallel blocks not inside another such block, and K/G elements. */
function arcConsumers(node: CircuitNode, inside = false): number {
  if (node.kind === 'element') return !inside && (node.type === 'K' || node.type === 'G') ? 1 : 0;
  if (node.kind === 'parallel' && !inside) return 1;
  return node.children.reduce(
    (sum, child) => sum + arcConsumers(child, inside || node.kind === 'parallel'),
    0,
  );
}

/** Pads the detected arcs to `count` with synthetic ones spread over the unexplained frequency decades. */
function padArcs(found: Arc[], count: number, feat: Features): Arc[] {
  // More bumps than blocks: keep the biggest (small ones are noise or shoulders), in frequency order.
  const arcs = [...found]
    .sort((a, b) => b.resistance - a.resistance)
    .slice(0, Math.max(count, 0))
    .sort((a, b) => b.fApex - a.fApex);
  const explained = arcs.reduce((sum, arc) => sum + arc.resistance, 0);
  const missing = count - arcs.length;
  if (missing <= 0) return arcs;
  // Unseen arcs end at the phase valley when there is one (a tail follows), else at the last point.
  const end = feat.valley ?? { f: feat.fMin, zr: feat.zrLf };
  const span = Math.max(end.zr - feat.rHf - explained, 0.05 * feat.zMax);
  const logLo =
    Math.log10(feat.valley ? Math.min(feat.fMax, 30 * end.f) : feat.fMin) + (feat.valley ? 0 : 0.5);
  const logHi = Math.max(logLo, Math.log10(feat.fMax) - 0.5);
  const candidates = Array.from(
    { length: 4 * count + 1 },
    (_, i) => 10 ** (logLo + ((logHi - logLo) * i) / (4 * count)),
  );
  for (let m = 0; m < missing; m++) {
    let best = candidates[0]!;
    let bestDistance = -1;
    for (const fc of candidates) {
      const distance = Math.min(...arcs.map((a) => Math.abs(Math.log10(a.fApex / fc))), 99);
      if (distance > bestDistance) {
        bestDistance = distance;
        best = fc;
      }
    }
    arcs.push({ fApex: best, resistance: span / missing, alpha: 0.85 });
  }
  return arcs.sort((a, b) => b.fApex - a.fApex);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** One starting vector per arc ordering (the high-to-low order first), at most `limit`. */
export function initialGuesses(spectrum: Spectrum, circuit: CompiledCircuit, limit = 6): Float64Array[] {
  const feat = features(spectrum);
  const count = arcConsumers(circuit.tree);
  const arcs = padArcs(feat.arcs, count, feat);
  return permutations(arcs)
    .slice(0, limit)
    .map((order) => assign(circuit, feat, order));
}

/** The default starting vector (arcs in circuit order from high to low frequency). */
export function initialGuess(spectrum: Spectrum, circuit: CompiledCircuit): Float64Array {
  return initialGuesses(spectrum, circuit, 1)[0]!;
}

function assign(circuit: CompiledCircuit, feat: Features, arcs: Arc[]): Float64Array {
  const p = new Float64Array(circuit.parameters.length);
  const set = (name: string, value: number) => {
    const index = circuit.indexOf(name);
    if (index >= 0) p[index] = value;
  };
  const arcTotal = arcs.reduce((sum, arc) => sum + arc.resistance, 0);
  const lfSpan = Math.max(feat.zrLf - feat.rHf - arcTotal, 0.05 * feat.zMax);
  const fGeo = Math.sqrt(feat.fMin * feat.fMax);
  let nextArc = 0;
  let seriesR = 0;

  function element(
    node: Extract<CircuitNode, { kind: 'element' }>,
    arc: Arc | null,
    state: { rDone: boolean },
  ) {
    const name = node.name;
    const wLf = feat.omegaLf;
    switch (node.type) {
      case 'R':
        if (arc) {
          set(name, state.rDone ? 0.1 * arc.resistance : arc.resistance);
          state.rDone = true;
        } else {
          set(name, seriesR === 0 ? feat.rHf : 0.1 * feat.rHf);
          seriesR++;
        }
        break;
      case 'C':
        set(name, arc ? 1 / (TWO_PI * arc.fApex * arc.resistance) : 1 / (wLf * feat.yLf));
        break;
      case 'CPE': {
        const alpha = arc ? arc.alpha : feat.alphaTail;
        set(`${name}_alpha`, alpha);
        set(
          `${name}_Q`,
          arc
            ? 1 / (arc.resistance * (TWO_PI * arc.fApex) ** alpha)
            : Math.sin((alpha * Math.PI) / 2) / (wLf ** alpha * feat.yLf),
        );
        break;
      }
      case 'L':
        set(name, Math.max(feat.lHf, (1e-4 * feat.zMax) / (TWO_PI * feat.fMax)));
        break;
      case 'La':
        set(`${name}_L`, Math.max(feat.lHf, (1e-4 * feat.zMax) / (TWO_PI * feat.fMax)));
        set(`${name}_alpha`, 0.9);
        break;
      case 'W':
        set(name, feat.yLf * Math.sqrt(wLf));
        break;
      case 'Wo': {
        const r = Math.max(lfSpan, arc ? 0.5 * arc.resistance : 0);
        set(`${name}_R`, r);
        set(`${name}_tau`, clamp(r / (wLf * feat.yLf), 0.1 / wLf, 100 / wLf));
        break;
      }
      case 'Ws':
        set(`${name}_R`, Math.max(lfSpan, arc ? 0.5 * arc.resistance : 0));
        set(`${name}_tau`, 1 / wLf);
        break;
      case 'K':
      case 'G': {
        const own = arc ?? arcs[nextArc++] ?? { fApex: fGeo, resistance: lfSpan, alpha: 1 };
        set(`${name}_R`, own.resistance);
        set(`${name}_tau`, 1 / (TWO_PI * own.fApex));
        break;
      }
      case 'TLM': {
        const alpha = feat.alphaTail > 0.6 ? feat.alphaTail : 0.9;
        set(`${name}_R`, 3 * lfSpan);
        set(`${name}_alpha`, alpha);
        set(`${name}_Q`, Math.sin((alpha * Math.PI) / 2) / (wLf ** alpha * feat.yLf));
        break;
      }
    }
  }

  function walk(node: CircuitNode, arc: Arc | null, state: { rDone: boolean }) {
    if (node.kind === 'element') {
      element(node, arc, state);
      return;
    }
    if (node.kind === 'parallel' && !arc) {
      const own = arcs[nextArc++] ?? { fApex: fGeo, resistance: lfSpan, alpha: 0.85 };
      const inner = { rDone: false };
      // Resistive branches first so that a capacitor in a later branch sees the arc's R.
      for (const child of node.children) walk(child, own, inner);
      return;
    }
    for (const child of node.children) walk(child, arc, state);
  }

  walk(circuit.tree, null, { rDone: false });
  return p;
}

/**
 * A start that knows only the data's scales: every resistance the median |Z|, every time constant and
 * capacitance at the geometric-mean frequency, every exponent 0.9. It ignores the spectrum's shape, which
 * is what the global stage wants as one more, unrelated start when the shape-based guesses fail.
 */
export function scaledStart(spectrum: Spectrum, circuit: CompiledCircuit): Float64Array {
  const f = spectrum.frequency_Hz;
  const moduli = Array.from(f, (_, i) => Math.hypot(spectrum.z_real_ohm[i]!, spectrum.z_imag_ohm[i]!)).sort(
    (a, b) => a - b,
  );
  const z = moduli[Math.floor(moduli.length / 2)]! || 1;
  const omega = TWO_PI * Math.sqrt(f[0]! * f[f.length - 1]!);
  return Float64Array.from(circuit.parameters, (param) => {
    if (param.kind === 'fraction') return 0.9;
    switch (param.unit) {
      case 'Ω':
        return z;
      case 'F':
        return 1 / (omega * z);
      case 'Ω⁻¹·sᵅ':
        return 1 / (z * omega ** 0.9);
      case 's':
        return 1 / omega;
      case 'H':
      case 'H·s^(α−1)':
        return (0.01 * z) / omega;
      default:
        // Warburg coefficient, Ω·s^-½
        return z * Math.sqrt(omega);
    }
  });
}
