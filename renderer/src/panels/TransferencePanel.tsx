/**
 * Chronoamperometry + EIS before/after: the Bruce–Vincent transference number, with I₀ (and the
 * extrapolation window) and the steady-state window marked on the current curve.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MeasurementDetail, MeasurementSummary } from '../../../app/api/types';
import { AnalysisProvenance } from '../components/AnalysisProvenance';
import { ErrorLine, formatNumber, KeyValues, Warnings } from '../components/Status';
import { useAnalysis, useCall } from '../hooks/useApi';
import { CurvePlot } from './CurvePlot';

interface TransferenceDetail {
  steadyState: { window_s: [number, number] };
  points: { extrapolationWindow_s: [number, number] | null; polarisationStart_s: number };
  I0_A: number;
  Is_A: number;
  warnings: string[];
}

export function TransferencePanel({ detail }: { detail: MeasurementDetail }) {
  const tree = useCall('library.tree', {}, 'transference');
  const spectra = useMemo(() => {
    const all: MeasurementSummary[] = [];
    for (const sample of tree.data?.samples ?? [])
      for (const batch of sample.batches) for (const cell of batch.cells) all.push(...cell.measurements);
    all.push(...(tree.data?.unassigned ?? []));
    const eis = all.filter((m) => m.kind === 'eis');
    // Same cell first: the spectra before and after this polarisation.
    return eis.sort(
      (a, b) =>
        Number(b.cellId === detail.cellId) - Number(a.cellId === detail.cellId) ||
        a.importedAt.localeCompare(b.importedAt),
    );
  }, [tree.data, detail.cellId]);
  const [before, setBefore] = useState<number | null>(null);
  const [after, setAfter] = useState<number | null>(null);
  const [method, setMethod] = useState<'extrapolate' | 'first-point' | 'ohmic'>('extrapolate');
  const [element, setElement] = useState('R2');

  useEffect(() => {
    if (before === null && spectra[0]) setBefore(spectra[0].id);
    if (after === null && spectra[1]) setAfter(spectra[1].id);
  }, [spectra, before, after]);

  const ids = before !== null && after !== null ? [detail.id, before, after] : [detail.id];
  const analysis = useAnalysis('transference', ids, 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when a choice changes.
  useEffect(() => {
    if (before === null || after === null) return;
    analysis.run({
      roles: { [detail.id]: 'chrono', [before]: 'eis-before', [after]: 'eis-after' },
      i0Method: method,
      interfacialElement: element,
    });
  }, [before, after, method, element]);

  const results = analysis.record?.results;
  const t = results?.detail as TransferenceDetail | undefined;
  const shapes = t
    ? [
        {
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0: t.steadyState.window_s[0] / 3600,
          x1: t.steadyState.window_s[1] / 3600,
          y0: 0,
          y1: 1,
          fillcolor: 'rgba(0,158,115,0.15)',
          line: { width: 0 },
        },
        {
          type: 'line',
          xref: 'paper',
          x0: 0,
          x1: 1,
          y0: t.Is_A * 1e6,
          y1: t.Is_A * 1e6,
          line: { color: '#009E73', dash: 'dash' },
        },
        {
          type: 'line',
          xref: 'paper',
          x0: 0,
          x1: 1,
          y0: t.I0_A * 1e6,
          y1: t.I0_A * 1e6,
          line: { color: '#D55E00', dash: 'dash' },
        },
      ]
    : [];
  const option = (m: MeasurementSummary) => (
    <option key={m.id} value={m.id}>
      {m.fileName}
    </option>
  );
  return (
    <div className="analysis-layout">
      <div className="plots">
        <CurvePlot
          measurementId={detail.id}
          x="time_s"
          y="current_A"
          xScale={1 / 3600}
          yScale={1e6}
          xLabel="t / h"
          yLabel="I / µA"
          testId="current-plot"
          fileBase={`${detail.fileName}-polarisation`}
          shapes={shapes}
        />
      </div>
      <aside className="panel" aria-label="Transference number">
        <h3>Li⁺ transference number</h3>
        <label>
          EIS before
          <select
            data-testid="eis-before"
            value={before ?? ''}
            onChange={(e) => setBefore(Number(e.target.value))}
          >
            {spectra.map(option)}
          </select>
        </label>
        <label>
          EIS after
          <select
            data-testid="eis-after"
            value={after ?? ''}
            onChange={(e) => setAfter(Number(e.target.value))}
          >
            {spectra.map(option)}
          </select>
        </label>
        <label>
          I₀ from
          <select value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            <option value="extrapolate">extrapolated decay to t = 0</option>
            <option value="first-point">first point</option>
            <option value="ohmic">ΔV / (R_b + R₀)</option>
          </select>
        </label>
        <label>
          Interfacial element
          <input value={element} onChange={(e) => setElement(e.target.value)} />
        </label>
        {spectra.length < 2 && (
          <p className="muted">Import the EIS spectra measured before and after the polarisation.</p>
        )}
        <ErrorLine error={analysis.error} />
        {results && (
          <>
            <p className="headline" data-testid="tplus-value">
              t₊ = {formatNumber(results.t_plus, 3)} ± {formatNumber(results.t_plus_stderr, 2)}
            </p>
            <KeyValues
              rows={[
                ['I₀ / µA', formatNumber((results.I0_A as number) * 1e6)],
                ['I_s / µA', formatNumber((results.Is_A as number) * 1e6)],
                ['R₀ / Ω', formatNumber(results.R0_ohm)],
                ['R_s / Ω', formatNumber(results.Rs_ohm)],
                ['ΔV / mV', formatNumber((results.dV_V as number) * 1000)],
                ['version', analysis.record?.version ?? '—'],
              ]}
            />
            <Warnings warnings={t?.warnings} />
          </>
        )}
        <AnalysisProvenance record={analysis.record} />
      </aside>
    </div>
  );
}
