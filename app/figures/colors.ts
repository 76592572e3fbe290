/**
 * One colour per sample in every figure: the Okabe–Ito palette (distinguishable with colour-vision
 * deficiency, prints in grey), assigned from a stable hash of the sample's name so the same sample
 * has the same colour in every plot, session and export.
 */
export const SAMPLE_PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
] as const;

export function sampleColor(sampleName: string): string {
  let hash = 2166136261;
  for (let i = 0; i < sampleName.length; i++) {
    hash ^= sampleName.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return SAMPLE_PALETTE[(hash >>> 0) % SAMPLE_PALETTE.length]!;
}

/** Colours for a set of samples shown together: hashed, but never the same colour twice in one figure. */
export function sampleColors(names: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set<string>();
  for (const name of [...names].sort()) {
    let color = sampleColor(name);
    if (used.has(color)) color = SAMPLE_PALETTE.find((c) => !used.has(c)) ?? color;
    used.add(color);
    result.set(name, color);
  }
  return result;
}
