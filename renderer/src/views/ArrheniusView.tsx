/**
 * Temperature series of a cell: every spectrum fitted in one action (warm-started from its
 * neighbour, in the worker), ln σ against 1000/T with the fit line, Ea ± error, σ at 25 °C, and the
 * VTF fit where the Arrhenius plot curves.
 */
import { useEffect, useMemo, useState } from 'react';
import { CIRCUIT_PRESETS } from '../../../app/workflows/eis';
import { AnalysisProvenance } from '../components/AnalysisProvenance';
import { ErrorLine, formatNumber, KeyValues, Warnings } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { useAnalysis, useCall } from '../hooks/useApi';

const K_B_EV = 8.617333262e-5;

interface ArrheniusResults {
  points: { T_K: number; sigma_S_per_cm: number; file: string }[];
  Ea_eV: number;
  Ea_eV_stderr: number;
  sigma_25C_S_per_cm: number;
  lnSigma0: number;
  r2: number;
  direction: string;
  vtf: { A: number; B_K: number; T0_K: number; B_eV: number; r2: number } | null;
  vtfError: string | null;
}

export function ArrheniusView({ cellId, onBack }: { cellId: number; onBack: () => void }) {
  const tree = useCall('library.tree', {}, `arrhenius-${cellId}`);
  const cell = useMemo(() => {
    for (const sample of tree.data?.samples ?? [])
      for (const batch of sample.batches)
        for (const c of batch.cells) if (c.id === cellId) return { ...c, sample: sample.name };
    return null;
  }, [tree.data, cellId]);
  const spectra = (cell?.measurements ?? []).filter((m) => m.kind === 'eis' && m.temperature_K !== null);
  const analysis = useAnalysis(
    'arrhenius',
    spectra.map((m) => m.id),
    0,
  );
  const [circuit, setCircuit] = useState<string>(CIRCUIT_PRESETS[0].circuit);
  const [model, setModel] = useState<'arrhenius' | 'vtf'>('arrhenius');

  // The stored series result sets the circuit first, so opening the view does not refit it.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!analysis.loaded || ready) return;
    const stored = analysis.record?.settings.circuit ?? (analysis.record ? '' : undefined);
    if (typeof stored === 'string') setCircuit(stored);
    setReady(true);
  }, [analysis.loaded, analysis.record, ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: run once the series is known, and on a new circuit.
  useEffect(() => {
    if (ready && spectra.length >= 3) analysis.run(circuit ? { circuit } : {});
  }, [ready, spectra.length, circuit]);

  const r = analysis.record?.results as ArrheniusResults | undefined;
  const plot = useMemo(() => {
    if (!r) return null;
    const x = r.points.map((p) => 1000 / p.T_K);
    const y = r.points.map((p) => Math.log(p.sigma_S_per_cm));
    const lo = Math.min(...x);
    const hi = Math.max(...x);
    const line = [lo, hi].map((inv) => r.lnSigma0 - Math.log(100) - (r.Ea_eV / K_B_EV) * (inv / 1000));
    const vtfLine =
      r.vtf &&
      Array.from({ length: 40 }, (_, i) => {
        const inv = lo + ((hi - lo) * i) / 39;
        const T = 1000 / inv;
        return {
          inv,
          ln: Math.log(r.vtf!.A / Math.sqrt(T)) - r.vtf!.B_K / (T - r.vtf!.T0_K) - Math.log(100),
        };
      });
    return { x, y, line: { x: [lo, hi], y: line }, vtfLine };
  }, [r]);

  return (
    <section className="view" aria-labelledby="arrhenius-title">
      <div className="view-header">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ←
        </button>
        <h2 id="arrhenius-title">
          Arrhenius: {cell?.sample} / {cell?.name}
        </h2>
        <span className="muted">{spectra.length} spectra</span>
      </div>
      <div className="analysis-layout">
        <div className="plots">
          {plot && (
            <FigurePanel
              testId="arrhenius-plot"
              label="Arrhenius plot"
              fileBase={`${cell?.sample ?? 'sample'}-arrhenius`}
              xLabel="1000/T / K^-1"
              yLabel="ln(σ / S cm^-1)"
              data={[
                {
                  x: plot.x,
                  y: plot.y,
                  type: 'scatter',
                  mode: 'markers',
                  name: 'σ',
                  text: r!.points.map((p) => p.file),
                },
                ...(model === 'arrhenius'
                  ? [
                      {
                        x: plot.line.x,
                        y: plot.line.y,
                        type: 'scatter',
                        mode: 'lines',
                        name: `Ea = ${formatNumber(r!.Ea_eV, 3)} eV`,
                      },
                    ]
                  : plot.vtfLine
                    ? [
                        {
                          x: plot.vtfLine.map((p) => p.inv),
                          y: plot.vtfLine.map((p) => p.ln),
                          type: 'scatter',
                          mode: 'lines',
                          name: 'VTF',
                        },
                      ]
                    : []),
              ]}
              layout={{
                xaxis: { title: { text: '1000/T / K⁻¹' } },
                yaxis: { title: { text: 'ln(σ / S cm⁻¹)' } },
                margin: { t: 20 },
              }}
            />
          )}
        </div>
        <aside className="panel" aria-label="Activation energy">
          <h3>Activation energy</h3>
          <label>
            Circuit
            <select value={circuit} onChange={(e) => setCircuit(e.target.value)}>
              {CIRCUIT_PRESETS.map((p) => (
                <option key={p.id} value={p.circuit}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Model
            <select
              data-testid="arrhenius-model"
              value={model}
              onChange={(e) => setModel(e.target.value as typeof model)}
            >
              <option value="arrhenius">Arrhenius</option>
              <option value="vtf">VTF</option>
            </select>
          </label>
          {spectra.length < 3 && <p className="muted">This cell needs EIS at three temperatures or more.</p>}
          {analysis.running && (
            <p className="muted" data-testid="arrhenius-progress">
              <progress max={1} value={analysis.progress?.fraction ?? 0} aria-label="Fitting the series" />{' '}
              {analysis.progress?.message ?? `fitting ${spectra.length} spectra`}{' '}
              <button type="button" onClick={analysis.cancel}>
                Cancel
              </button>
            </p>
          )}
          <ErrorLine error={analysis.error} />
          {r && (
            <>
              <p className="headline" data-testid="ea-value">
                Ea = {formatNumber(r.Ea_eV, 3)} ± {formatNumber(r.Ea_eV_stderr, 2)} eV
              </p>
              <KeyValues
                rows={[
                  ['σ(25 °C) / S cm⁻¹', formatNumber(r.sigma_25C_S_per_cm, 3)],
                  ['R²', formatNumber(r.r2, 4)],
                  ['run', r.direction],
                  ['VTF B / eV', r.vtf ? formatNumber(r.vtf.B_eV, 3) : (r.vtfError ?? '—')],
                  ['VTF T₀ / K', r.vtf ? formatNumber(r.vtf.T0_K, 4) : '—'],
                  ['version', analysis.record?.version ?? '—'],
                ]}
              />
              <table>
                <thead>
                  <tr>
                    <th scope="col">T / °C</th>
                    <th scope="col">σ / S cm⁻¹</th>
                  </tr>
                </thead>
                <tbody>
                  {r.points.map((p) => (
                    <tr key={p.file}>
                      <td>{formatNumber(p.T_K - 273.15, 4)}</td>
                      <td>{formatNumber(p.sigma_S_per_cm, 3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Warnings
                warnings={(analysis.record?.results as { warnings?: string[] } | undefined)?.warnings}
              />
            </>
          )}
          <AnalysisProvenance record={analysis.record} />
        </aside>
      </div>
    </section>
  );
}
