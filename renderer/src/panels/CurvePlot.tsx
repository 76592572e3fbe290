/**
 * A long curve (up to millions of points) drawn from its decimated envelope; a zoom asks the
 * services for the visible x range again at full detail, so spikes and shorts never vanish.
 * Markers (steps, shorts, onsets) are drawn over it by the caller.
 */
import type { PlotData } from 'plotly.js-dist-min';
import { useEffect, useMemo, useState } from 'react';
import type { ChannelWindow } from '../../../app/api/types';
import { api } from '../api/client';
import { ErrorLine } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { errorText } from '../hooks/useApi';

export interface CurvePlotProps {
  measurementId: number;
  x: string;
  y: string;
  /** Display scaling of x and y (e.g. s → h: 1/3600). */
  xScale?: number;
  yScale?: number;
  xLabel: string;
  yLabel: string;
  testId: string;
  fileBase: string;
  overlays?: PlotData[];
  shapes?: unknown[];
}

const POINTS = 4000;

export function CurvePlot({
  measurementId,
  x,
  y,
  xScale = 1,
  yScale = 1,
  xLabel,
  yLabel,
  testId,
  fileBase,
  overlays = [],
  shapes = [],
}: CurvePlotProps) {
  const [window, setWindow] = useState<ChannelWindow | null>(null);
  const [range, setRange] = useState<[number, number] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const started = performance.now();
    api
      .call('measurements.channels', {
        id: measurementId,
        x,
        y: [y],
        maxPoints: POINTS,
        ...(range ? { xRange: range } : {}),
      })
      .then((value) => {
        if (!live) return;
        setWindow(value);
        performance.measure(range ? 'elyte:zoom' : 'elyte:open-curve', { start: started });
      })
      .catch((failure: unknown) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [measurementId, x, y, range]);

  const data = useMemo<PlotData[]>(() => {
    if (!window) return [];
    return [
      {
        x: window.x.map((v) => v * xScale),
        y: (window.y[y] ?? []).map((v) => v * yScale),
        type: 'scatter',
        mode: 'lines',
        name: y,
        line: { width: 1 },
      },
      ...overlays,
    ];
  }, [window, xScale, yScale, y, overlays]);

  return (
    <div
      data-testid={`${testId}-container`}
      data-total-rows={window?.totalRows ?? 0}
      data-returned-rows={window?.returnedRows ?? 0}
    >
      <ErrorLine error={error} />
      {window && (
        <FigurePanel
          testId={testId}
          label={`${yLabel} against ${xLabel}`}
          fileBase={fileBase}
          xLabel={xLabel}
          yLabel={yLabel}
          data={data}
          layout={{
            xaxis: { title: { text: xLabel }, ...(range ? { range: range.map((v) => v * xScale) } : {}) },
            yaxis: { title: { text: yLabel } },
            margin: { t: 20 },
            shapes,
            uirevision: 'keep',
          }}
          onRelayout={(event) => {
            const lo = event['xaxis.range[0]'];
            const hi = event['xaxis.range[1]'];
            if (typeof lo === 'number' && typeof hi === 'number') setRange([lo / xScale, hi / xScale]);
            else if (event['xaxis.autorange']) setRange(undefined);
          }}
        />
      )}
    </div>
  );
}
