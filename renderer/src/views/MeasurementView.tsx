/** One measurement: what it is, where it is filed, and the analysis panel of its technique. */
import { celsius, ErrorLine } from '../components/Status';
import { useCall } from '../hooks/useApi';
import { CurvePlot } from '../panels/CurvePlot';
import { EisPanel } from '../panels/EisPanel';
import { GalvanostaticPanel } from '../panels/GalvanostaticPanel';
import { LsvPanel } from '../panels/LsvPanel';
import { TransferencePanel } from '../panels/TransferencePanel';

export function MeasurementView({ id, onBack }: { id: number; onBack: () => void }) {
  const { data: detail, error } = useCall('measurements.get', { id }, String(id));
  if (error) return <ErrorLine error={error} />;
  if (!detail) return <p>Loading…</p>;
  const has = (name: string) => detail.channels.some((c) => c.name === name);
  return (
    <section className="view" aria-labelledby="measurement-title">
      <div className="view-header">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ←
        </button>
        <h2 id="measurement-title" data-testid="measurement-title">
          {detail.fileName}
        </h2>
        <span className="muted" data-testid="measurement-kind">
          {detail.technique} · {detail.kind} · {detail.format} · {detail.rows} rows
          {detail.temperature_K !== null ? ` · ${celsius(detail.temperature_K)} °C` : ''}
          {detail.sample ? ` · ${detail.sample.name}` : ''}
          {detail.cell ? ` / ${detail.cell.name}` : ''}
        </span>
      </div>
      {detail.warnings.length > 0 && (
        <ul className="warnings">
          {detail.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {detail.kind === 'eis' && <EisPanel detail={detail} />}
      {detail.kind === 'voltammetry' && <LsvPanel detail={detail} />}
      {detail.kind === 'galvanostatic' && <GalvanostaticPanel detail={detail} />}
      {detail.kind === 'potentiostatic' && has('current_A') && <TransferencePanel detail={detail} />}
      {(detail.kind === 'ocv' ||
        detail.kind === 'other' ||
        (detail.kind === 'potentiostatic' && !has('current_A'))) &&
        has('time_s') &&
        has('voltage_V') && (
          <CurvePlot
            measurementId={detail.id}
            x="time_s"
            y="voltage_V"
            xScale={1 / 3600}
            xLabel="t / h"
            yLabel="E / V"
            testId="time-plot"
            fileBase={detail.fileName}
          />
        )}
      <details className="provenance">
        <summary>File and provenance</summary>
        <dl className="key-values">
          <div>
            <dt>SHA-256</dt>
            <dd data-testid="measurement-sha">{detail.sha256}</dd>
          </div>
          <div>
            <dt>size</dt>
            <dd>{detail.sizeBytes} bytes</dd>
          </div>
          <div>
            <dt>imported</dt>
            <dd>{new Date(detail.importedAt).toLocaleString()}</dd>
          </div>
          <div>
            <dt>channels</dt>
            <dd>{detail.channels.map((c) => `${c.name}${c.unit ? ` [${c.unit}]` : ''}`).join(', ')}</dd>
          </div>
        </dl>
      </details>
    </section>
  );
}
