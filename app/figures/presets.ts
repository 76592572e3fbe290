/**
 * Journal figure presets. Widths follow the common single / 1.5 / double column sizes (85, 120,
 * 180 mm); fonts Arial/Helvetica at 7–9 pt; hairline-to-1 pt lines. Plotly lays out in CSS pixels
 * (96 per inch), so physical sizes are converted here once.
 */
export const CSS_PX_PER_INCH = 96;
export const MM_PER_INCH = 25.4;
export const PT_PER_INCH = 72;

export type PresetId = 'single' | 'one-and-half' | 'double';

export interface FigurePreset {
  id: PresetId;
  label: string;
  width_mm: number;
  height_mm: number;
  font_pt: number;
  lineWidth_pt: number;
  markerSize_pt: number;
}

export const FIGURE_PRESETS: Record<PresetId, FigurePreset> = {
  single: {
    id: 'single',
    label: 'Single column (85 mm)',
    width_mm: 85,
    height_mm: 65,
    font_pt: 7,
    lineWidth_pt: 0.75,
    markerSize_pt: 3,
  },
  'one-and-half': {
    id: 'one-and-half',
    label: '1.5 column (120 mm)',
    width_mm: 120,
    height_mm: 85,
    font_pt: 8,
    lineWidth_pt: 1,
    markerSize_pt: 3.5,
  },
  double: {
    id: 'double',
    label: 'Double column (180 mm)',
    width_mm: 180,
    height_mm: 110,
    font_pt: 9,
    lineWidth_pt: 1,
    markerSize_pt: 4,
  },
};

export const FIGURE_FONTS = ['Arial', 'Helvetica'] as const;
export const MIN_DPI = 300;
export const MAX_DPI = 1200;

export function mmToCssPx(mm: number): number {
  return (mm / MM_PER_INCH) * CSS_PX_PER_INCH;
}

export function ptToCssPx(pt: number): number {
  return (pt / PT_PER_INCH) * CSS_PX_PER_INCH;
}

/** Raster size in pixels for a physical size at a resolution: 85 mm at 600 dpi → 2008 px. */
export function rasterPixels(mm: number, dpi: number): number {
  return Math.round((mm / MM_PER_INCH) * dpi);
}

export interface FigureSpec {
  preset: FigurePreset;
  font: (typeof FIGURE_FONTS)[number];
  dpi: number;
}

export function validateDpi(dpi: number): number {
  if (!Number.isFinite(dpi) || dpi < MIN_DPI || dpi > MAX_DPI) {
    throw new RangeError(`resolution must be ${MIN_DPI}–${MAX_DPI} dpi, got ${dpi}`);
  }
  return Math.round(dpi);
}

/**
 * Axis labels with units and sub/superscripts, written the way people type them ("S cm^-1", "Z'",
 * "E_a") and rendered in Plotly's label markup (<sup>, <sub>) with proper minus and prime signs.
 */
export function richLabel(text: string): string {
  return text
    .replace(/\^\{([^}]*)\}/g, (_m, sup: string) => `<sup>${sup.replace(/-/g, '−')}</sup>`)
    .replace(/\^(-?[0-9A-Za-z.]+)/g, (_m, sup: string) => `<sup>${sup.replace(/-/g, '−')}</sup>`)
    .replace(/_\{([^}]*)\}/g, '<sub>$1</sub>')
    .replace(/_([0-9A-Za-z]+)/g, '<sub>$1</sub>')
    .replace(/''/g, '″')
    .replace(/'/g, '′');
}
