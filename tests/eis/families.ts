/**
 * Circuit families with randomised, documented truth for the recovery tests and bench/eis-fit.bench.ts.
 * Arcs are placed ≥ 1.5 decades apart and inside the measured window (1 MHz … 10 mHz, 70 points), so
 * that the truth is identifiable; `key` names the resistances whose recovery is scored.
 */
import { logFrequencies, seededRandom } from '../../app/eis/synthetic';

export interface Family {
  name: string;
  circuit: string;
  key: string[];
  draw(random: () => number): Record<string, number>;
}

const logUniform = (random: () => number, lo: number, hi: number) => lo * (hi / lo) ** random();
const uniform = (random: () => number, lo: number, hi: number) => lo + (hi - lo) * random();
/** Q of a CPE arc of resistance r whose apex sits at fApex: Q = 1/(R (2π f)^α). */
const qFor = (r: number, fApex: number, alpha: number) => 1 / (r * (2 * Math.PI * fApex) ** alpha);

/**
 * R0-p(R1,CPE1)-p(R2,CPE2): a bulk arc at 10–100 kHz and a second arc of 0.3–3 × its resistance whose
 * apex is `apexRatio` (a range) below. Draws in a fixed order, so a seed always gives the same truth.
 */
function twoCpeArcs(rnd: () => number, apexRatio: [number, number]) {
  const r1 = logUniform(rnd, 100, 1e4);
  const r2 = r1 * logUniform(rnd, 0.3, 3);
  const a1 = uniform(rnd, 0.8, 0.98);
  const a2 = uniform(rnd, 0.7, 0.95);
  const f1 = logUniform(rnd, 1e4, 1e5);
  const f2 = f1 / logUniform(rnd, apexRatio[0], apexRatio[1]);
  const truth: Record<string, number> = {
    R0: logUniform(rnd, 1, 50),
    R1: r1,
    CPE1_Q: qFor(r1, f1, a1),
    CPE1_alpha: a1,
    R2: r2,
    CPE2_Q: qFor(r2, f2, a2),
    CPE2_alpha: a2,
  };
  return { truth, r2, f2 };
}

export const FREQUENCIES = logFrequencies(1e6, 1e-2, 70);

export const FAMILIES: Family[] = [
  {
    name: 'bulk arc R0-p(R1,CPE1)',
    circuit: 'R0-p(R1,CPE1)',
    key: ['R1'],
    draw: (rnd) => {
      const r1 = logUniform(rnd, 100, 1e5);
      const a1 = uniform(rnd, 0.75, 0.98);
      return {
        R0: logUniform(rnd, 1, 50),
        R1: r1,
        CPE1_Q: qFor(r1, logUniform(rnd, 10, 1e4), a1),
        CPE1_alpha: a1,
      };
    },
  },
  {
    name: 'blocking electrodes R0-p(R1,CPE1)-CPE2',
    circuit: 'R0-p(R1,CPE1)-CPE2',
    key: ['R1'],
    draw: (rnd) => {
      const r1 = logUniform(rnd, 100, 1e5);
      const a1 = uniform(rnd, 0.75, 0.98);
      const a2 = uniform(rnd, 0.7, 0.95);
      const f1 = logUniform(rnd, 1e3, 1e5);
      // The blocking tail reaches |Z| = R1 1.5–2.5 decades below the arc's apex (the arc stays visible).
      return {
        R0: logUniform(rnd, 1, 50),
        R1: r1,
        CPE1_Q: qFor(r1, f1, a1),
        CPE1_alpha: a1,
        CPE2_Q: qFor(r1, f1 / logUniform(rnd, 30, 300), a2),
        CPE2_alpha: a2,
      };
    },
  },
  {
    name: 'symmetric Li R0-p(R1,CPE1)-p(R2,CPE2)',
    circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)',
    key: ['R1', 'R2'],
    draw: (rnd) => twoCpeArcs(rnd, [300, 3000]).truth,
  },
  {
    name: 'Randles R0-p(R1-W1,C1)',
    circuit: 'R0-p(R1-W1,C1)',
    key: ['R1'],
    draw: (rnd) => {
      const r1 = logUniform(rnd, 50, 5000);
      const fApex = logUniform(rnd, 1e2, 1e4);
      return {
        R0: logUniform(rnd, 1, 50),
        R1: r1,
        W1: r1 * logUniform(rnd, 0.05, 0.5),
        C1: 1 / (2 * Math.PI * fApex * r1),
      };
    },
  },
  {
    name: 'two arcs with diffusion R0-p(R1,C1)-p(R2-Wo1,C2)',
    circuit: 'R0-p(R1,C1)-p(R2-Wo1,C2)',
    key: ['R1', 'R2'],
    draw: (rnd) => {
      const r1 = logUniform(rnd, 50, 5000);
      const r2 = r1 * logUniform(rnd, 0.3, 3);
      const f1 = logUniform(rnd, 1e4, 1e5);
      const f2 = f1 / logUniform(rnd, 100, 1000);
      return {
        R0: logUniform(rnd, 1, 50),
        R1: r1,
        C1: 1 / (2 * Math.PI * f1 * r1),
        R2: r2,
        Wo1_R: r2 * logUniform(rnd, 0.5, 3),
        Wo1_tau: logUniform(rnd, 1, 10),
        C2: 1 / (2 * Math.PI * f2 * r2),
      };
    },
  },
  {
    name: 'two arcs + blocking R0-p(R1,CPE1)-p(R2,CPE2)-CPE3 (9 parameters)',
    circuit: 'R0-p(R1,CPE1)-p(R2,CPE2)-CPE3',
    key: ['R1', 'R2'],
    draw: (rnd) => {
      const { truth, r2, f2 } = twoCpeArcs(rnd, [100, 1000]);
      return { ...truth, CPE3_Q: qFor(r2, f2 / 300, 0.85), CPE3_alpha: uniform(rnd, 0.75, 0.95) };
    },
  },
];

export function drawTruth(family: Family, seed: number): Record<string, number> {
  return family.draw(seededRandom(seed));
}
