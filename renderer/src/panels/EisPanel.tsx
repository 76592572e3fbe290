/**
 * EIS: Nyquist (equal axes) and Bode with the fitted curve over the data, a circuit from presets or
 * typed, one-click fit from automatic initial values, residuals, parameter table with standard
 * errors, a Kramers–Kronig check, the frequency range chosen by brushing the Bode plot, and σ from
 * the cell's thickness and area. Every change re-runs the fit and stores a new analysis version.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MeasurementDetail } from '../../../app/api/types';
import { simulate } from '../../../app/eis/index';
import { BLOCKING_CIRCUIT, CIRCUIT_PRESETS } from '../../../app/workflows/eis';
import { AnalysisProvenance } from '../components/AnalysisProvenance';
import { ErrorLine, formatNumber, KeyValues, tidy, Warnings } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { useAnalysis, useCall } from '../hooks/useApi';
import { Plot } from '../plots/Plot';

interface FitParameterJson {
  name: string;
  value: number;
  stderr: number | null;
  unit: string;
}

export function EisPanel({ detail }: { detail: MeasurementDetail }) {
  const spectrum = useCall(
    'measurements.channels',
    { id: detail.id, x: 'frequency_Hz', y: ['z_real_ohm', 'z_imag_ohm'], maxPoints: 100000 },
    String(detail.id),
  );
  const [circuit, setCircuit] = useState<string>(CIRCUIT_PRESETS[0].circuit);
  const [weighting, setWeighting] = useState<'modulus' | 'proportional' | 'unit'>('modulus');
  const [range, setRange] = useState<[number, number] | null>(null);
  const [thickness_um, setThickness] = useState<string>(
    detail.cell?.thickness_m ? tidy(detail.cell.thickness_m * 1e6) : '',
  );
  const [area_cm2, setArea] = useState<string>(detail.cell?.area_m2 ? tidy(detail.cell.area_m2 * 1e4) : '');
  const [element, setElement] = useState<string>('');
  const fit = useAnalysis('conductivity', [detail.id]);
  const fitOnly = useAnalysis('eis-fit', [detail.id]);
  const kk = useAnalysis('kk', [detail.id], 0);
  const [requested, setRequested] = useState(false);

  // A stored fit of this spectrum shows with its circuit; pressing Fit (or changing a setting) refits.
  const [initialised, setInitialised] = useState(false);
  useEffect(() => {
    if (initialised || !fit.loaded || !fitOnly.loaded) return;
    const stored = (fit.record ?? fitOnly.record)?.settings.circuit;
    if (typeof stored === 'string') setCircuit(stored);
    setInitialised(true);
  }, [initialised, fit.loaded, fitOnly.loaded, fit.record, fitOnly.record]);

  const geometry = Number(thickness_um) > 0 && Number(area_cm2) > 0;
  const fitSettings = useMemo(
    () => ({ weighting, ...(range ? { frequencyRange_Hz: range } : {}) }),
    [weighting, range],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the runners are stable per measurement.
  useEffect(() => {
    if (!requested) return;
    if (geometry) {
      fit.run({
        ...(circuit ? { circuit } : {}),
        thickness_m: Number(thickness_um) * 1e-6,
        area_m2: Number(area_cm2) * 1e-4,
        fit: fitSettings,
        ...(element ? { element } : {}),
      });
    } else {
      fitOnly.run({ circuit: circuit || BLOCKING_CIRCUIT, ...fitSettings });
    }
  }, [requested, circuit, fitSettings, thickness_um, area_cm2, element, geometry]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: run the KK check once per measurement.
  useEffect(() => kk.run({ mSelection: 'mu-and-residual' }), [detail.id]);

  const record = geometry ? fit.record : fitOnly.record;
  const fitResult = (geometry ? record?.results.fit : record?.results) as
    | {
        circuit: string;
        parameters: FitParameterJson[];
        chi2: number;
        converged: boolean;
        iterations: number;
        warnings: string[];
        rmse_ohm: number;
        residuals: { frequency_Hz: number[]; real: number[]; imag: number[] };
      }
    | undefined;
  const error = geometry ? fit.error : fitOnly.error;
  const running = geometry ? fit.running : fitOnly.running;

  const data = spectrum.data;
  const curves = useMemo(() => {
    if (!data) return null;
    const f = data.x;
    const re = data.y.z_real_ohm ?? [];
    const im = data.y.z_imag_ohm ?? [];
    let model: { real: number[]; imag: number[]; f: number[] } | null = null;
    if (fitResult?.parameters) {
      const params = Object.fromEntries(fitResult.parameters.map((p) => [p.name, p.value]));
      const fMin = Math.min(...f);
      const fMax = Math.max(...f);
      const dense = Float64Array.from({ length: 200 }, (_, i) => fMax * (fMin / fMax) ** (i / 199));
      try {
        const z = simulate(fitResult.circuit, params, dense);
        model = { real: Array.from(z.real), imag: Array.from(z.imag), f: Array.from(dense) };
      } catch {
        model = null;
      }
    }
    return { f, re, im, model };
  }, [data, fitResult]);

  const kkResults = kk.record?.results as
    | { M: number; mu: number; pass: boolean; rmsResidual: number; warnings: string[] }
    | undefined;
  const inRange = (freq: number) => !range || (freq >= range[0] && freq <= range[1]);

  return (
    <div className="analysis-layout">
      <div className="plots">
        <ErrorLine error={spectrum.error} />
        {curves && (
          <>
            <FigurePanel
              testId="nyquist-plot"
              label="Nyquist plot"
              fileBase={`${detail.fileName}-nyquist`}
              xLabel="Z' / Ω"
              yLabel="−Z'' / Ω"
              data={[
                {
                  x: curves.re,
                  y: curves.im.map((v) => -v),
                  type: 'scatter',
                  mode: 'markers',
                  name: 'data',
                  marker: { size: 6, color: curves.f.map((freq) => (inRange(freq) ? '#0072B2' : '#bbbbbb')) },
                },
                ...(curves.model
                  ? [
                      {
                        x: curves.model.real,
                        y: curves.model.imag.map((v) => -v),
                        type: 'scatter',
                        mode: 'lines',
                        name: 'fit',
                        line: { color: '#D55E00' },
                      },
                    ]
                  : []),
              ]}
              layout={{
                // Equal axes that shrink the plot area rather than stretch the ranges past the data.
                xaxis: { title: { text: 'Z′ / Ω' }, constrain: 'domain' },
                yaxis: { title: { text: '−Z″ / Ω' }, scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
                margin: { t: 20, r: 20 },
                legend: { x: 0.02, y: 0.98 },
              }}
            />
            <FigurePanel
              testId="bode-plot"
              label="Bode plot; drag to choose the frequency range"
              fileBase={`${detail.fileName}-bode`}
              xLabel="f / Hz"
              yLabel="|Z| / Ω"
              data={[
                {
                  x: curves.f,
                  y: curves.re.map((r, i) => Math.hypot(r, curves.im[i]!)),
                  type: 'scatter',
                  mode: 'markers',
                  name: '|Z|',
                },
                ...(curves.model
                  ? [
                      {
                        x: curves.model.f,
                        y: curves.model.real.map((r, i) => Math.hypot(r, curves.model!.imag[i]!)),
                        type: 'scatter',
                        mode: 'lines',
                        name: '|Z| fit',
                      },
                    ]
                  : []),
                {
                  x: curves.f,
                  y: curves.re.map((r, i) => (Math.atan2(curves.im[i]!, r) * 180) / Math.PI),
                  type: 'scatter',
                  mode: 'markers',
                  name: 'phase',
                  yaxis: 'y2',
                },
              ]}
              layout={{
                xaxis: { title: { text: 'f / Hz' }, type: 'log' },
                yaxis: { title: { text: '|Z| / Ω' }, type: 'log' },
                yaxis2: { title: { text: 'phase / °' }, overlaying: 'y', side: 'right' },
                dragmode: 'select',
                selectdirection: 'h',
                margin: { t: 20 },
              }}
              onSelected={(event) => {
                const xs = (event.range as { x?: [number, number] } | undefined)?.x;
                if (xs) setRange([10 ** Math.min(xs[0], xs[1]), 10 ** Math.max(xs[0], xs[1])]);
              }}
            />
            {fitResult?.residuals && (
              <Plot
                testId="residuals-plot"
                label="Fit residuals"
                height={220}
                data={[
                  {
                    x: fitResult.residuals.frequency_Hz,
                    y: fitResult.residuals.real.map((v) => v * 100),
                    type: 'scatter',
                    mode: 'lines+markers',
                    name: 'Δ real',
                  },
                  {
                    x: fitResult.residuals.frequency_Hz,
                    y: fitResult.residuals.imag.map((v) => v * 100),
                    type: 'scatter',
                    mode: 'lines+markers',
                    name: 'Δ imag',
                  },
                ]}
                layout={{
                  xaxis: { title: { text: 'f / Hz' }, type: 'log' },
                  yaxis: { title: { text: 'residual / %' } },
                  margin: { t: 10 },
                }}
              />
            )}
          </>
        )}
      </div>
      <aside className="panel" aria-label="Circuit fit">
        <h3>Circuit fit</h3>
        <label>
          Preset
          <select
            data-testid="circuit-preset"
            value={CIRCUIT_PRESETS.find((p) => p.circuit === circuit)?.id ?? 'custom'}
            onChange={(e) => {
              const preset = CIRCUIT_PRESETS.find((p) => p.id === e.target.value);
              if (preset) setCircuit(preset.circuit);
            }}
          >
            {CIRCUIT_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        <label>
          Circuit
          <input
            data-testid="circuit-input"
            value={circuit}
            onChange={(e) => setCircuit(e.target.value)}
            spellCheck={false}
          />
        </label>
        <label>
          Weighting
          <select value={weighting} onChange={(e) => setWeighting(e.target.value as typeof weighting)}>
            <option value="modulus">modulus</option>
            <option value="proportional">proportional</option>
            <option value="unit">unit</option>
          </select>
        </label>
        <p className="muted" data-testid="frequency-range">
          {range
            ? `Fitting ${formatNumber(range[0], 3)}–${formatNumber(range[1], 3)} Hz `
            : 'Fitting all frequencies (drag on the Bode plot to choose) '}
          {range && (
            <button type="button" onClick={() => setRange(null)}>
              All
            </button>
          )}
        </p>
        <label>
          Thickness / µm
          <input
            data-testid="thickness-input"
            inputMode="decimal"
            value={thickness_um}
            onChange={(e) => setThickness(e.target.value)}
          />
        </label>
        <label>
          Area / cm²
          <input
            data-testid="area-input"
            inputMode="decimal"
            value={area_cm2}
            onChange={(e) => setArea(e.target.value)}
          />
        </label>
        <label>
          Bulk element
          <input placeholder="auto (R1)" value={element} onChange={(e) => setElement(e.target.value)} />
        </label>
        <button
          type="button"
          className="primary"
          data-testid="fit-button"
          onClick={() => setRequested(true)}
          disabled={running}
        >
          {running ? 'Fitting…' : 'Fit'}
        </button>
        <ErrorLine error={error} testId="fit-error" />
        {fitResult && (
          <section data-testid="fit-result">
            <KeyValues
              rows={[
                ['converged', fitResult.converged ? 'yes' : 'no'],
                ['iterations', fitResult.iterations],
                ['χ²', formatNumber(fitResult.chi2)],
                ['RMSE / Ω', formatNumber(fitResult.rmse_ohm)],
                ['version', record?.version ?? '—'],
              ]}
            />
            <table data-testid="parameter-table">
              <thead>
                <tr>
                  <th scope="col">Parameter</th>
                  <th scope="col">Value</th>
                  <th scope="col">± s.e.</th>
                  <th scope="col">Unit</th>
                </tr>
              </thead>
              <tbody>
                {fitResult.parameters.map((p) => (
                  <tr key={p.name}>
                    <td>{p.name}</td>
                    <td>{formatNumber(p.value)}</td>
                    <td>{formatNumber(p.stderr, 2)}</td>
                    <td>{p.unit}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Warnings warnings={fitResult.warnings} />
          </section>
        )}
        {geometry && fit.record && (
          <section data-testid="conductivity-result">
            <h4>Ionic conductivity</h4>
            <p className="headline" data-testid="sigma-value">
              σ = {formatNumber(fit.record.results.sigma_S_per_cm)} ±{' '}
              {formatNumber(fit.record.results.sigma_S_per_cm_stderr, 2)} S cm⁻¹
            </p>
            <p className="muted">
              R_b = {formatNumber(fit.record.results.R_bulk_ohm)} Ω ({String(fit.record.results.method)})
            </p>
          </section>
        )}
        <section data-testid="kk-result">
          <h4>Kramers–Kronig (Lin-KK)</h4>
          <ErrorLine error={kk.error} />
          {kkResults && (
            <p className={kkResults.pass ? 'ok' : 'error'}>
              {kkResults.pass ? 'passes' : 'fails'}: M = {kkResults.M}, µ = {formatNumber(kkResults.mu, 3)},
              rms residual {formatNumber(kkResults.rmsResidual * 100, 2)} %
            </p>
          )}
          {kkResults && <Warnings warnings={kkResults.warnings} />}
        </section>
        <AnalysisProvenance record={record} />
      </aside>
    </div>
  );
}
