/**
 * Galvanostatic records: full-cell cycling (capacity and CE per cycle, voltage profiles of chosen
 * cycles, rate capability, dQ/dV), a stepped-current Li‖Li test (CCD, steps and the short marked on
 * the voltage) or long Li‖Li cycling (overpotential per half cycle, time to short).
 */
import type { PlotData } from 'plotly.js-dist-min';
import { useEffect, useMemo, useState } from 'react';
import type { MeasurementDetail } from '../../../app/api/types';
import { api } from '../api/client';
import { AnalysisProvenance } from '../components/AnalysisProvenance';
import { ErrorLine, formatNumber, KeyValues, tidy, Warnings } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { errorText, useAnalysis } from '../hooks/useApi';
import { CurvePlot } from './CurvePlot';

type Mode = 'cycling' | 'ccd' | 'symmetric';

export function GalvanostaticPanel({ detail }: { detail: MeasurementDetail }) {
  const guess: Mode = detail.cell?.activeMass_kg
    ? 'cycling'
    : /ccd|step/i.test(detail.fileName)
      ? 'ccd'
      : 'symmetric';
  const [mode, setMode] = useState<Mode>(guess);
  return (
    <div>
      <div className="mode-switch" role="tablist" aria-label="Analysis">
        {(['cycling', 'ccd', 'symmetric'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            data-testid={`mode-${m}`}
            onClick={() => setMode(m)}
          >
            {m === 'cycling'
              ? 'Full-cell cycling'
              : m === 'ccd'
                ? 'Critical current density'
                : 'Li‖Li cycling'}
          </button>
        ))}
      </div>
      {mode === 'cycling' && <CyclingPanel detail={detail} />}
      {mode === 'ccd' && <PlatingPanel detail={detail} kind="ccd" />}
      {mode === 'symmetric' && <PlatingPanel detail={detail} kind="symmetric" />}
    </div>
  );
}

interface CycleRow {
  cycle: number;
  c_rate: number | null;
  charge_mAh_per_g: number | null;
  discharge_mAh_per_g: number | null;
  ce: number | null;
}

interface CyclingDetail {
  cycles: { cycle: number; startTime_s: number; endTime_s: number }[];
  dqdv: { cycle: number; direction: string; voltage_V: number[]; dqdv_C_per_V: number[] }[];
  mass_kg: number;
  warnings: string[];
}

function CyclingPanel({ detail }: { detail: MeasurementDetail }) {
  const analysis = useAnalysis('cycling', [detail.id], 300);
  const [mass_mg, setMass] = useState(
    detail.cell?.activeMass_kg ? tidy(detail.cell.activeMass_kg * 1e6) : '',
  );
  const [nominal, setNominal] = useState('170');
  const [reference, setReference] = useState('1');
  const [chosen, setChosen] = useState('1,2');

  const dqdvCycles = chosen
    .split(',')
    .map((c) => Number(c.trim()))
    .filter((c) => Number.isInteger(c) && c > 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when a setting changes.
  useEffect(() => {
    analysis.run({
      ...(Number(mass_mg) > 0 ? { mass_kg: Number(mass_mg) * 1e-6 } : {}),
      ...(Number(nominal) > 0 ? { nominalCapacity_C_per_kg: Number(nominal) * 3600 } : {}),
      ...(Number(reference) >= 1 ? { referenceCycle: Number(reference) } : {}),
      ...(dqdvCycles.length > 0 ? { dqdvCycles } : {}),
    });
  }, [mass_mg, nominal, reference, chosen]);

  const results = analysis.record?.results;
  const cycles = (results?.cycles ?? []) as CycleRow[];
  const rateSteps = (results?.rate_steps ?? []) as {
    c_rate: number;
    mean_discharge_mAh_per_g: number | null;
    cycles: number[];
  }[];
  const full = results?.detail as CyclingDetail | undefined;
  return (
    <div className="analysis-layout">
      <div className="plots">
        {cycles.length > 0 && (
          <FigurePanel
            testId="capacity-plot"
            label="Specific capacity and Coulombic efficiency per cycle"
            fileBase={`${detail.fileName}-capacity`}
            xLabel="cycle"
            yLabel="Q / mAh g^-1"
            data={[
              {
                x: cycles.map((c) => c.cycle),
                y: cycles.map((c) => c.charge_mAh_per_g),
                type: 'scatter',
                mode: 'markers',
                name: 'charge',
              },
              {
                x: cycles.map((c) => c.cycle),
                y: cycles.map((c) => c.discharge_mAh_per_g),
                type: 'scatter',
                mode: 'markers',
                name: 'discharge',
              },
              {
                x: cycles.map((c) => c.cycle),
                y: cycles.map((c) => (c.ce === null ? null : c.ce * 100)),
                type: 'scatter',
                mode: 'lines',
                name: 'CE',
                yaxis: 'y2',
              },
            ]}
            layout={{
              xaxis: { title: { text: 'cycle' } },
              yaxis: { title: { text: 'Q / mAh g⁻¹' } },
              yaxis2: { title: { text: 'CE / %' }, overlaying: 'y', side: 'right', range: [80, 102] },
              margin: { t: 20 },
            }}
          />
        )}
        {full && (
          <VoltageProfiles
            measurementId={detail.id}
            cycles={full.cycles.filter((c) => dqdvCycles.includes(c.cycle))}
            mass_kg={full.mass_kg}
            fileBase={detail.fileName}
          />
        )}
        {rateSteps.length > 1 && (
          <FigurePanel
            testId="rate-plot"
            label="Rate capability"
            fileBase={`${detail.fileName}-rate`}
            xLabel="C-rate"
            yLabel="Q_dis / mAh g^-1"
            data={[
              {
                x: rateSteps.map(
                  (s, i) =>
                    `${formatNumber(s.c_rate, 2)} C${i > 0 && rateSteps.slice(0, i).some((p) => p.c_rate === s.c_rate) ? ' (back)' : ''}`,
                ),
                y: rateSteps.map((s) => s.mean_discharge_mAh_per_g),
                type: 'bar',
                name: 'mean discharge',
              },
            ]}
            layout={{
              xaxis: { title: { text: 'C-rate' }, type: 'category' },
              yaxis: { title: { text: 'Q_dis / mAh g⁻¹' } },
              margin: { t: 20 },
            }}
          />
        )}
        {full && full.dqdv.length > 0 && (
          <FigurePanel
            testId="dqdv-plot"
            label="Differential capacity"
            fileBase={`${detail.fileName}-dqdv`}
            xLabel="E / V"
            yLabel="dQ/dV / mAh g^-1 V^-1"
            data={full.dqdv.map((curve) => ({
              x: curve.voltage_V,
              y: curve.dqdv_C_per_V.map(
                (v) => (curve.direction === 'discharge' ? -1 : 1) * (v / 3.6 / (full.mass_kg * 1000)),
              ),
              type: 'scatter',
              mode: 'lines',
              name: `cycle ${curve.cycle} ${curve.direction}`,
            }))}
            layout={{
              xaxis: { title: { text: 'E / V' } },
              yaxis: { title: { text: 'dQ/dV / mAh g⁻¹ V⁻¹' } },
              margin: { t: 20 },
            }}
          />
        )}
      </div>
      <aside className="panel" aria-label="Cycling analysis">
        <h3>Cycling</h3>
        <label>
          Active mass / mg
          <input
            data-testid="mass-input"
            value={mass_mg}
            placeholder="from the file"
            onChange={(e) => setMass(e.target.value)}
          />
        </label>
        <label>
          Nominal capacity / mAh g⁻¹
          <input value={nominal} onChange={(e) => setNominal(e.target.value)} />
        </label>
        <label>
          Retention reference cycle
          <input value={reference} onChange={(e) => setReference(e.target.value)} />
        </label>
        <label>
          Cycles for profiles and dQ/dV
          <input data-testid="profile-cycles" value={chosen} onChange={(e) => setChosen(e.target.value)} />
        </label>
        <ErrorLine error={analysis.error} />
        {results && (
          <>
            <KeyValues
              testId="cycling-summary"
              rows={[
                ['cycles', cycles.length],
                ['retention / %', formatNumber(results.retention_pct)],
                ['mean CE', formatNumber(results.mean_ce)],
                ['version', analysis.record?.version ?? '—'],
              ]}
            />
            <Warnings warnings={full?.warnings} />
          </>
        )}
        <AnalysisProvenance record={analysis.record} />
      </aside>
    </div>
  );
}

/** Voltage against specific capacity for chosen cycles, each half cycle from zero. */
function VoltageProfiles({
  measurementId,
  cycles,
  mass_kg,
  fileBase,
}: {
  measurementId: number;
  cycles: { cycle: number; startTime_s: number; endTime_s: number }[];
  mass_kg: number;
  fileBase: string;
}) {
  const [traces, setTraces] = useState<PlotData[]>([]);
  const [error, setError] = useState<string | null>(null);
  const key = cycles.map((c) => c.cycle).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the chosen cycles.
  useEffect(() => {
    let live = true;
    Promise.all(
      cycles.map(async (cycle) => {
        const w = await api.call('measurements.channels', {
          id: measurementId,
          x: 'time_s',
          y: ['voltage_V', 'current_A'],
          maxPoints: 20000,
          xRange: [cycle.startTime_s, cycle.endTime_s],
        });
        return halfCycleTraces(cycle.cycle, w.x, w.y.voltage_V ?? [], w.y.current_A ?? [], mass_kg);
      }),
    )
      .then((all) => live && setTraces(all.flat()))
      .catch((failure: unknown) => live && setError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [measurementId, key, mass_kg]);
  if (error) return <ErrorLine error={error} />;
  if (traces.length === 0) return null;
  return (
    <FigurePanel
      testId="profile-plot"
      label="Voltage profiles of chosen cycles"
      fileBase={`${fileBase}-profiles`}
      xLabel="Q / mAh g^-1"
      yLabel="E / V"
      data={traces}
      layout={{
        xaxis: { title: { text: 'Q / mAh g⁻¹' } },
        yaxis: { title: { text: 'E / V' } },
        margin: { t: 20 },
      }}
    />
  );
}

function halfCycleTraces(cycle: number, t: number[], v: number[], i: number[], mass_kg: number): PlotData[] {
  const traces: PlotData[] = [];
  let q = 0;
  let xs: number[] = [];
  let ys: number[] = [];
  let sign = 0;
  const flush = () => {
    if (xs.length > 2)
      traces.push({
        x: xs,
        y: ys,
        type: 'scatter',
        mode: 'lines',
        name: `cycle ${cycle} ${sign > 0 ? 'charge' : 'discharge'}`,
      });
    xs = [];
    ys = [];
    q = 0;
  };
  for (let k = 1; k < t.length; k++) {
    const s = Math.sign(i[k]!);
    if (s === 0) continue;
    if (s !== sign) {
      flush();
      sign = s;
    }
    q += (Math.abs(i[k]!) * (t[k]! - t[k - 1]!)) / 3.6 / (mass_kg * 1000);
    xs.push(q);
    ys.push(v[k]!);
  }
  flush();
  return traces;
}

interface PlatingDetail {
  steps?: {
    step: number;
    startTime_s: number;
    endTime_s: number;
    currentDensity_A_per_m2: number;
    overpotential_V: number | null;
    shorted: boolean;
  }[];
  halfCycles?: {
    index: number;
    startTime_s: number;
    endTime_s: number;
    overpotential_V: number;
    softShort: boolean;
  }[];
  short: { time_s: number } | null;
  warnings: string[];
}

function PlatingPanel({ detail, kind }: { detail: MeasurementDetail; kind: 'ccd' | 'symmetric' }) {
  const analysis = useAnalysis(kind, [detail.id], 300);
  const [area, setArea] = useState(detail.cell?.area_m2 ? tidy(detail.cell.area_m2 * 1e4) : '');
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when a setting changes.
  useEffect(() => {
    analysis.run(Number(area) > 0 ? { area_m2: Number(area) * 1e-4 } : {});
  }, [area, kind]);
  const results = analysis.record?.results;
  const plating = results?.detail as PlatingDetail | undefined;
  const shapes = useMemo(() => {
    const list: unknown[] = [];
    for (const step of plating?.steps ?? []) {
      list.push({
        type: 'rect',
        xref: 'x',
        yref: 'paper',
        x0: step.startTime_s / 3600,
        x1: step.endTime_s / 3600,
        y0: 0,
        y1: 1,
        fillcolor: step.shorted
          ? 'rgba(213,94,0,0.15)'
          : step.step % 2
            ? 'rgba(0,114,178,0.06)'
            : 'rgba(0,0,0,0)',
        line: { width: 0 },
      });
    }
    if (plating?.short)
      list.push({
        type: 'line',
        xref: 'x',
        yref: 'paper',
        x0: plating.short.time_s / 3600,
        x1: plating.short.time_s / 3600,
        y0: 0,
        y1: 1,
        line: { color: '#D55E00', width: 2 },
      });
    return list;
  }, [plating]);
  return (
    <div className="analysis-layout">
      <div className="plots">
        <CurvePlot
          measurementId={detail.id}
          x="time_s"
          y="voltage_V"
          xScale={1 / 3600}
          xLabel="t / h"
          yLabel="E / V"
          testId="voltage-plot"
          fileBase={`${detail.fileName}-${kind}`}
          shapes={shapes}
        />
        {kind === 'symmetric' && plating?.halfCycles && (
          <FigurePanel
            testId="overpotential-plot"
            label="Overpotential per half cycle"
            fileBase={`${detail.fileName}-overpotential`}
            xLabel="t / h"
            yLabel="η / mV"
            data={[
              {
                x: plating.halfCycles.map((h) => h.startTime_s / 3600),
                y: plating.halfCycles.map((h) => h.overpotential_V * 1000),
                type: 'scatter',
                mode: 'markers',
                name: 'η',
              },
            ]}
            layout={{
              xaxis: { title: { text: 't / h' } },
              yaxis: { title: { text: 'η / mV' } },
              margin: { t: 20 },
            }}
          />
        )}
      </div>
      <aside className="panel" aria-label={kind === 'ccd' ? 'Critical current density' : 'Li‖Li cycling'}>
        <h3>{kind === 'ccd' ? 'Critical current density' : 'Li‖Li cycling'}</h3>
        <label>
          Area / cm²
          <input value={area} placeholder="from the file" onChange={(e) => setArea(e.target.value)} />
        </label>
        <ErrorLine error={analysis.error} />
        {results && kind === 'ccd' && (
          <>
            <p className="headline" data-testid="ccd-value">
              CCD {formatNumber(results.ccd_mA_per_cm2)} mA cm⁻²
            </p>
            <KeyValues
              rows={[
                ['fails at / mA cm⁻²', formatNumber(results.failure_mA_per_cm2)],
                ['failure time / h', formatNumber(results.failure_time_h)],
                ['version', analysis.record?.version ?? '—'],
              ]}
            />
            <table data-testid="ccd-steps">
              <thead>
                <tr>
                  <th scope="col">j / mA cm⁻²</th>
                  <th scope="col">η / mV</th>
                  <th scope="col">short</th>
                </tr>
              </thead>
              <tbody>
                {(
                  (results.steps ?? []) as {
                    current_mA_per_cm2: number;
                    overpotential_mV: number | null;
                    shorted: boolean;
                  }[]
                ).map((s) => (
                  <tr key={`${s.current_mA_per_cm2}-${s.overpotential_mV}-${s.shorted}`}>
                    <td>{formatNumber(s.current_mA_per_cm2, 3)}</td>
                    <td>{formatNumber(s.overpotential_mV, 3)}</td>
                    <td>{s.shorted ? 'yes' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {results && kind === 'symmetric' && (
          <KeyValues
            testId="symmetric-summary"
            rows={[
              ['j / mA cm⁻²', formatNumber(results.current_mA_per_cm2)],
              ['overpotential / mV', formatNumber(results.overpotential_mV)],
              [
                'time to short / h',
                results.failure_time_h === null ? 'no short' : formatNumber(results.failure_time_h),
              ],
              ['cycles', formatNumber(results.cycles)],
              ['version', analysis.record?.version ?? '—'],
            ]}
          />
        )}
        <Warnings warnings={plating?.warnings} />
        <AnalysisProvenance record={analysis.record} />
      </aside>
    </div>
  );
}
