/** LSV: current density against potential with the onset (threshold and tangent) marked. */
import { useEffect, useState } from 'react';
import type { MeasurementDetail } from '../../../app/api/types';
import { AnalysisProvenance } from '../components/AnalysisProvenance';
import { ErrorLine, formatNumber, KeyValues, tidy, Warnings } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { useAnalysis } from '../hooks/useApi';

interface LsvDetail {
  sweep: { voltage_V: number[]; currentDensity_A_per_m2: number[] };
  tangentOnset_V: number | null;
  warnings: string[];
}

export function LsvPanel({ detail }: { detail: MeasurementDetail }) {
  const analysis = useAnalysis('lsv', [detail.id], 300);
  const [threshold, setThreshold] = useState('0.01');
  const [area, setArea] = useState(detail.cell?.area_m2 ? tidy(detail.cell.area_m2 * 1e4) : '');
  const [baseline, setBaseline] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when a setting changes.
  useEffect(() => {
    if (!(Number(threshold) > 0)) return;
    analysis.run({
      threshold_A_per_m2: Number(threshold) * 10,
      baseline,
      ...(Number(area) > 0 ? { area_m2: Number(area) * 1e-4 } : {}),
    });
  }, [threshold, area, baseline]);

  const results = analysis.record?.results;
  const lsv = results?.detail as LsvDetail | undefined;
  const onset = results?.onset_V as number | undefined;
  return (
    <div className="analysis-layout">
      <div className="plots">
        {lsv && (
          <FigurePanel
            testId="lsv-plot"
            label="LSV current density against potential"
            fileBase={`${detail.fileName}-lsv`}
            xLabel="E / V vs Li^+/Li"
            yLabel="j / mA cm^-2"
            data={[
              {
                x: lsv.sweep.voltage_V,
                y: lsv.sweep.currentDensity_A_per_m2.map((j) => j / 10),
                type: 'scatter',
                mode: 'lines',
                name: 'LSV',
              },
            ]}
            layout={{
              xaxis: { title: { text: 'E / V vs Li⁺/Li' } },
              yaxis: { title: { text: 'j / mA cm⁻²' } },
              margin: { t: 20 },
              shapes: [
                ...(onset !== undefined
                  ? [
                      {
                        type: 'line',
                        x0: onset,
                        x1: onset,
                        yref: 'paper',
                        y0: 0,
                        y1: 1,
                        line: { color: '#D55E00', dash: 'dash' },
                      },
                    ]
                  : []),
                ...(lsv.tangentOnset_V !== null
                  ? [
                      {
                        type: 'line',
                        x0: lsv.tangentOnset_V,
                        x1: lsv.tangentOnset_V,
                        yref: 'paper',
                        y0: 0,
                        y1: 1,
                        line: { color: '#009E73', dash: 'dot' },
                      },
                    ]
                  : []),
              ],
            }}
          />
        )}
      </div>
      <aside className="panel" aria-label="Electrochemical window">
        <h3>Electrochemical window</h3>
        <label>
          Threshold / mA cm⁻²
          <input
            data-testid="lsv-threshold"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
        </label>
        <label>
          Area / cm²
          <input value={area} placeholder="from the file" onChange={(e) => setArea(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={baseline} onChange={(e) => setBaseline(e.target.checked)} />{' '}
          subtract baseline
        </label>
        <ErrorLine error={analysis.error} />
        {results && (
          <>
            <p className="headline" data-testid="onset-value">
              onset {formatNumber(onset)} V
            </p>
            <KeyValues
              rows={[
                ['tangent onset / V', formatNumber(lsv?.tangentOnset_V ?? null)],
                ['method', String(results.method ?? '')],
                ['version', analysis.record?.version ?? '—'],
              ]}
            />
            <Warnings warnings={lsv?.warnings} />
          </>
        )}
        <AnalysisProvenance record={analysis.record} />
      </aside>
    </div>
  );
}
