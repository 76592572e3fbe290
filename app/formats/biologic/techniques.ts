/**
 * BioLogic technique names: the long name an .mpt header carries, the numeric id the .mpr settings
 * module starts with, and the short name EC-Lab shows ('PEIS', 'GCPL', …) with its TechniqueKind.
 */
import type { TechniqueKind } from '../../measurement';

export interface BiologicTechnique {
  /** Short name as EC-Lab shows it. */
  name: string;
  kind: TechniqueKind;
}

/** Long names as written on the technique line of an .mpt/.mpl header (lower-cased for lookup). */
const BY_LONG_NAME: ReadonlyMap<string, BiologicTechnique> = new Map(
  (
    [
      ['Potentio Electrochemical Impedance Spectroscopy', 'PEIS', 'eis'],
      ['Galvano Electrochemical Impedance Spectroscopy', 'GEIS', 'eis'],
      ['Staircase Potentio Electrochemical Impedance Spectroscopy', 'SPEIS', 'eis'],
      ['Staircase Galvano Electrochemical Impedance Spectroscopy', 'SGEIS', 'eis'],
      ['IR compensation (PEIS)', 'ZIR', 'eis'],
      ['Mott-Schottky', 'MS', 'eis'],
      ['Galvanostatic Cycling with Potential Limitation', 'GCPL', 'galvanostatic'],
      ['Chronopotentiometry', 'CP', 'galvanostatic'],
      ['Modulo Bat', 'MB', 'galvanostatic'],
      ['Battery Capacity Determination', 'BCD', 'galvanostatic'],
      ['Constant Current', 'CC', 'galvanostatic'],
      ['Chronoamperometry / Chronocoulometry', 'CA', 'potentiostatic'],
      ['Chronoamperometry', 'CA', 'potentiostatic'],
      ['Constant Voltage', 'CstV', 'potentiostatic'],
      ['Potentiodynamic Cycling with Galvanostatic Acceleration', 'PCGA', 'potentiostatic'],
      ['Linear Sweep Voltammetry', 'LSV', 'voltammetry'],
      ['Cyclic Voltammetry', 'CV', 'voltammetry'],
      ['Cyclic Voltammetry Advanced', 'CVA', 'voltammetry'],
      ['Linear Polarization', 'LP', 'voltammetry'],
      ['Open Circuit Voltage', 'OCV', 'ocv'],
      ['Special Open Circuit Voltage', 'SOCV', 'ocv'],
      ['Wait', 'WAIT', 'other'],
      ['Loop', 'LOOP', 'other'],
      ['Manual IR compensation', 'MIR', 'other'],
      // French EC-Lab installations: wording not verified on a real file; a mismatch only means the kind
      // is inferred from the data instead.
      ['Voltampérométrie cyclique', 'CV', 'voltammetry'],
      ['Voltampérométrie à balayage linéaire', 'LSV', 'voltammetry'],
      ['Chronopotentiométrie', 'CP', 'galvanostatic'],
      ['Chronoampérométrie / Chronocoulométrie', 'CA', 'potentiostatic'],
      ['Tension en circuit ouvert', 'OCV', 'ocv'],
    ] as const
  ).map(([long, name, kind]) => [long.toLowerCase(), { name, kind }]),
);

/** Technique ids of the .mpr settings module (first byte), as the community tools document them. */
const BY_ID: ReadonlyMap<number, BiologicTechnique> = new Map([
  [0x04, { name: 'GCPL', kind: 'galvanostatic' }],
  [0x06, { name: 'CV', kind: 'voltammetry' }],
  [0x0b, { name: 'OCV', kind: 'ocv' }],
  [0x18, { name: 'CA', kind: 'potentiostatic' }],
  [0x19, { name: 'CP', kind: 'galvanostatic' }],
  [0x1c, { name: 'WAIT', kind: 'other' }],
  [0x1d, { name: 'PEIS', kind: 'eis' }],
  [0x1e, { name: 'GEIS', kind: 'eis' }],
  [0x30, { name: 'CV', kind: 'voltammetry' }],
  [0x32, { name: 'ZIR', kind: 'eis' }],
  [0x33, { name: 'CVA', kind: 'voltammetry' }],
  [0x6c, { name: 'LSV', kind: 'voltammetry' }],
  [0x75, { name: 'CstV', kind: 'potentiostatic' }],
  [0x76, { name: 'CC', kind: 'galvanostatic' }],
  [0x77, { name: 'GCPL', kind: 'galvanostatic' }],
  [0x7f, { name: 'MB', kind: 'galvanostatic' }],
  [0x88, { name: 'BCD', kind: 'galvanostatic' }],
]);

/** The technique a header line names, or undefined. Numbered variants ("… Limitation 2") keep their number. */
export function techniqueFromLongName(line: string): BiologicTechnique | undefined {
  const text = line.trim().toLowerCase();
  const exact = BY_LONG_NAME.get(text);
  if (exact) return exact;
  const numbered = /^(.*\S)\s+(\d+)$/.exec(text);
  if (numbered) {
    const base = BY_LONG_NAME.get(numbered[1]!);
    if (base) return { name: `${base.name}${numbered[2]}`, kind: base.kind };
  }
  return undefined;
}

export function techniqueFromId(id: number): BiologicTechnique | undefined {
  return BY_ID.get(id);
}

/** Techniques whose data must have a frequency column to mean anything. */
export function isImpedanceTechnique(technique: BiologicTechnique | undefined): boolean {
  return technique?.kind === 'eis';
}
