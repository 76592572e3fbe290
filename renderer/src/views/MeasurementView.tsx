/** One measurement: its metadata and the plots of its technique (EIS: Nyquist and Bode). */
import { useEffect, useState } from 'react';
import type { ChannelWindow, MeasurementDetail } from '../../../app/api/types';
import { ApiError, api } from '../api/client';
import { Plot } from '../plots/Plot';

export function MeasurementView({ id, onBack }: { id: number; onBack: () => void }) {
  const [detail, setDetail] = useState<MeasurementDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .call('measurements.get', { id })
      .then((value) => live && setDetail(value))
      .catch(
        (failure: unknown) =>
          live && setError(failure instanceof ApiError ? failure.message : String(failure)),
      );
    return () => {
      live = false;
    };
  }, [id]);

  if (error) return <p role="alert">{error}</p>;
  if (!detail) return <p>Loading…</p>;
  return (
    <section className="view" aria-labelledby="measurement-title">
      <div className="view-header">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ←
        </button>
        <h2 id="measurement-title" data-testid="measurement-title">
          {detail.fileName}
        </h2>
        <span className="muted">
          {detail.technique} · {detail.format} · {detail.rows} rows
        </span>
      </div>
      {detail.kind === 'eis' ? <EisPlots id={id} /> : <TimePlot id={id} />}
    </section>
  );
}

function useChannels(id: number, x: string, y: string[]): ChannelWindow | null {
  const [window, setWindow] = useState<ChannelWindow | null>(null);
  const key = y.join(',');
  useEffect(() => {
    let live = true;
    void api
      .call('measurements.channels', { id, x, y: key.split(',') })
      .then((value) => live && setWindow(value));
    return () => {
      live = false;
    };
  }, [id, x, key]);
  return window;
}

function EisPlots({ id }: { id: number }) {
  const data = useChannels(id, 'frequency_Hz', ['z_real_ohm', 'z_imag_ohm']);
  if (!data) return <p>Loading spectrum…</p>;
  const real = data.y.z_real_ohm ?? [];
  const minusImag = (data.y.z_imag_ohm ?? []).map((v) => -v);
  const modulus = real.map((r, i) => Math.hypot(r, minusImag[i]!));
  const phase = real.map((r, i) => (Math.atan2(-minusImag[i]!, r) * 180) / Math.PI);
  return (
    <div className="plot-grid">
      <Plot
        testId="nyquist-plot"
        label="Nyquist plot"
        data={[
          { x: real, y: minusImag, type: 'scatter', mode: 'markers', name: 'data', marker: { size: 6 } },
        ]}
        layout={{
          title: { text: 'Nyquist' },
          xaxis: { title: { text: 'Z′ / Ω' } },
          yaxis: { title: { text: '−Z″ / Ω' }, scaleanchor: 'x', scaleratio: 1 },
          margin: { t: 40, r: 20 },
        }}
      />
      <Plot
        testId="bode-plot"
        label="Bode plot"
        data={[
          { x: data.x, y: modulus, type: 'scatter', mode: 'lines+markers', name: '|Z|' },
          { x: data.x, y: phase, type: 'scatter', mode: 'lines+markers', name: 'phase', yaxis: 'y2' },
        ]}
        layout={{
          title: { text: 'Bode' },
          xaxis: { title: { text: 'f / Hz' }, type: 'log' },
          yaxis: { title: { text: '|Z| / Ω' }, type: 'log' },
          yaxis2: { title: { text: 'phase / °' }, overlaying: 'y', side: 'right' },
          margin: { t: 40 },
        }}
      />
    </div>
  );
}

function TimePlot({ id }: { id: number }) {
  const data = useChannels(id, 'time_s', ['voltage_V']);
  if (!data) return <p>Loading curve…</p>;
  return (
    <Plot
      testId="time-plot"
      label="Voltage against time"
      data={[
        {
          x: data.x.map((t) => t / 3600),
          y: data.y.voltage_V ?? [],
          type: 'scattergl',
          mode: 'lines',
          name: 'E',
        },
      ]}
      layout={{ xaxis: { title: { text: 't / h' } }, yaxis: { title: { text: 'E / V' } }, margin: { t: 20 } }}
    />
  );
}
