/**
 * A plot with its publication export: journal preset, font, resolution, editable axis labels (with
 * ^superscripts and _subscripts), and SVG / PDF / PNG / TIFF / CSV buttons.
 */
import type { Layout, PlotData } from 'plotly.js-dist-min';
import { useId, useState } from 'react';
import { FIGURE_FONTS, FIGURE_PRESETS, type PresetId } from '../../../app/figures/presets';
import { Plot, type PlotProps } from '../plots/Plot';
import { download, type ExportFormat, exportFigure } from './export';

export interface FigurePanelProps extends Omit<PlotProps, 'layout'> {
  layout: Layout;
  xLabel: string;
  yLabel: string;
  fileBase: string;
}

const FORMATS: ExportFormat[] = ['svg', 'pdf', 'png', 'tiff', 'csv'];

export function FigurePanel({ xLabel, yLabel, fileBase, ...plot }: FigurePanelProps) {
  const [open, setOpen] = useState(false);
  const [preset, setPreset] = useState<PresetId>('single');
  const [font, setFont] = useState<(typeof FIGURE_FONTS)[number]>('Arial');
  const [dpi, setDpi] = useState(600);
  const [labels, setLabels] = useState({ x: xLabel, y: yLabel });
  const [status, setStatus] = useState<string | null>(null);
  const id = useId();

  async function run(format: ExportFormat) {
    setStatus(`Exporting ${format.toUpperCase()}…`);
    try {
      const file = await exportFigure(format, {
        data: plot.data as PlotData[],
        layout: plot.layout,
        preset: FIGURE_PRESETS[preset],
        font,
        dpi,
        xLabel: labels.x,
        yLabel: labels.y,
        fileBase,
      });
      download(file);
      setStatus(`Saved ${file.name}`);
    } catch (error) {
      setStatus(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <figure className="figure-panel">
      <Plot {...plot} />
      <figcaption>
        <button
          type="button"
          data-testid={`${plot.testId}-export-toggle`}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          Export figure…
        </button>
        {open && (
          <fieldset className="export-panel" data-testid={`${plot.testId}-export`}>
            <legend>Publication export</legend>
            <label htmlFor={`${id}-preset`}>Size</label>
            <select
              id={`${id}-preset`}
              data-testid="export-preset"
              value={preset}
              onChange={(e) => setPreset(e.target.value as PresetId)}
            >
              {Object.values(FIGURE_PRESETS).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}, {p.font_pt} pt
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-font`}>Font</label>
            <select
              id={`${id}-font`}
              value={font}
              onChange={(e) => setFont(e.target.value as (typeof FIGURE_FONTS)[number])}
            >
              {FIGURE_FONTS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
            <label htmlFor={`${id}-dpi`}>Resolution (dpi)</label>
            <input
              id={`${id}-dpi`}
              data-testid="export-dpi"
              type="number"
              min={300}
              max={1200}
              step={50}
              value={dpi}
              onChange={(e) => setDpi(Number(e.target.value))}
            />
            <label htmlFor={`${id}-x`}>x label</label>
            <input
              id={`${id}-x`}
              data-testid="export-xlabel"
              value={labels.x}
              onChange={(e) => setLabels({ ...labels, x: e.target.value })}
            />
            <label htmlFor={`${id}-y`}>y label</label>
            <input
              id={`${id}-y`}
              data-testid="export-ylabel"
              value={labels.y}
              onChange={(e) => setLabels({ ...labels, y: e.target.value })}
            />
            <div className="export-buttons">
              {FORMATS.map((format) => (
                <button
                  key={format}
                  type="button"
                  data-testid={`export-${format}`}
                  onClick={() => void run(format)}
                >
                  {format.toUpperCase()}
                </button>
              ))}
            </div>
            {status && (
              <output data-testid="export-status" aria-live="polite">
                {status}
              </output>
            )}
          </fieldset>
        )}
      </figcaption>
    </figure>
  );
}
