/**
 * One plotly.js chart. Data and layout are re-applied with Plotly.react (cheap diffing); relayout
 * events (zoom, brush) are passed up so views can re-decimate or select a range.
 */
import Plotly, { type Config, type Layout, type PlotData, type PlotlyHTMLElement } from 'plotly.js-dist-min';
import { useEffect, useRef } from 'react';

export interface PlotProps {
  data: PlotData[];
  layout: Layout;
  config?: Config;
  testId: string;
  label: string;
  height?: number;
  onRelayout?: (event: Record<string, unknown>) => void;
  onSelected?: (event: Record<string, unknown>) => void;
  onReady?: (element: PlotlyHTMLElement) => void;
}

export function Plot({
  data,
  layout,
  config,
  testId,
  label,
  height = 420,
  onRelayout,
  onSelected,
  onReady,
}: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onRelayout, onSelected, onReady });
  handlers.current = { onRelayout, onSelected, onReady };

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let cancelled = false;
    void Plotly.react(
      element,
      data,
      { autosize: true, ...layout },
      { responsive: true, displaylogo: false, ...config },
    ).then((plot) => {
      if (cancelled) return;
      plot.removeAllListeners?.('plotly_relayout');
      plot.removeAllListeners?.('plotly_selected');
      plot.on('plotly_relayout', (event) => handlers.current.onRelayout?.(event));
      plot.on('plotly_selected', (event) => handlers.current.onSelected?.(event ?? {}));
      element.dataset.points = String(data.reduce((sum, trace) => sum + (trace.x?.length ?? 0), 0));
      element.dataset.rendered = 'true';
      handlers.current.onReady?.(plot);
    });
    return () => {
      cancelled = true;
    };
  }, [data, layout, config]);

  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element) Plotly.purge(element);
    };
  }, []);

  return (
    <div ref={ref} data-testid={testId} role="img" aria-label={label} style={{ width: '100%', height }} />
  );
}
