/**
 * Compare samples side by side like the reference study's figure panels: σ at 25 °C with replicate
 * error bars, Arrhenius overlays, t₊, onset, CCD and retention, one colour per sample throughout.
 */
import { sampleColors } from '../../../app/figures/colors';
import { KeyNumberCells, KeyNumberHeaders } from '../components/KeyNumbers';
import { ErrorLine, formatNumber } from '../components/Status';
import { FigurePanel } from '../figures/FigurePanel';
import { useCall } from '../hooks/useApi';

export function CompareView({ sampleIds, onBack }: { sampleIds: number[]; onBack: () => void }) {
  const { data, error } = useCall('compare.samples', { sampleIds }, sampleIds.join(','));
  const samples = data?.samples ?? [];
  const colors = sampleColors(samples.map((s) => s.name));
  const color = (name: string) => colors.get(name) ?? '#000';
  const bar = (
    key: keyof (typeof samples)[number]['keyNumbers'],
    label: string,
    testId: string,
    scale = 1,
  ) => (
    <FigurePanel
      testId={testId}
      label={label}
      fileBase={`compare-${testId}`}
      xLabel="sample"
      yLabel={label}
      height={300}
      data={[
        {
          x: samples.map((s) => s.name),
          y: samples.map((s) => (s.keyNumbers[key] === null ? null : (s.keyNumbers[key] as number) * scale)),
          type: 'bar',
          marker: { color: samples.map((s) => color(s.name)) },
          name: label,
        },
      ]}
      layout={{
        xaxis: { title: { text: 'sample' }, type: 'category' },
        yaxis: { title: { text: label } },
        margin: { t: 20 },
      }}
    />
  );
  return (
    <section className="view" aria-labelledby="compare-title">
      <div className="view-header">
        <button type="button" onClick={onBack} aria-label="Back to the library">
          ←
        </button>
        <h2 id="compare-title">Compare samples</h2>
      </div>
      <ErrorLine error={error} />
      {samples.length > 0 && (
        <>
          <table data-testid="compare-table">
            <thead>
              <tr>
                <th scope="col">Sample</th>
                <th scope="col">σ(25 °C) / S cm⁻¹</th>
                <th scope="col">replicates</th>
                <KeyNumberHeaders />
              </tr>
            </thead>
            <tbody>
              {samples.map((s) => (
                <tr key={s.id} data-testid="compare-row">
                  <td>
                    <span className="swatch" style={{ background: color(s.name) }} /> {s.name}
                  </td>
                  <td>{formatNumber(s.keyNumbers.sigma25C_S_per_cm, 3)}</td>
                  <td>
                    {s.replicates.n > 1
                      ? `${formatNumber(s.replicates.mean, 3)} ± ${formatNumber(s.replicates.std, 2)} (n = ${s.replicates.n})`
                      : '—'}
                  </td>
                  <KeyNumberCells numbers={s.keyNumbers} />
                </tr>
              ))}
            </tbody>
          </table>
          <div className="plot-grid">
            <FigurePanel
              testId="compare-sigma"
              label="Ionic conductivity at 25 °C"
              fileBase="compare-sigma"
              xLabel="sample"
              yLabel="σ / S cm^-1"
              height={300}
              data={[
                {
                  x: samples.map((s) => s.name),
                  y: samples.map((s) => s.replicates.mean ?? s.keyNumbers.sigma25C_S_per_cm),
                  error_y: { type: 'data', array: samples.map((s) => s.replicates.std ?? 0), visible: true },
                  type: 'bar',
                  marker: { color: samples.map((s) => color(s.name)) },
                  name: 'σ',
                },
              ]}
              layout={{
                xaxis: { title: { text: 'sample' }, type: 'category' },
                yaxis: { title: { text: 'σ / S cm⁻¹' }, type: 'log' },
                margin: { t: 20 },
              }}
            />
            <FigurePanel
              testId="compare-arrhenius"
              label="Arrhenius overlay"
              fileBase="compare-arrhenius"
              xLabel="1000/T / K^-1"
              yLabel="σ / S cm^-1"
              height={300}
              data={samples.map((s) => ({
                x: s.arrhenius.map((p) => 1000 / p.T_K),
                y: s.arrhenius.map((p) => p.sigma_S_per_cm),
                type: 'scatter',
                mode: 'lines+markers',
                name: s.name,
                line: { color: color(s.name) },
                marker: { color: color(s.name) },
              }))}
              layout={{
                xaxis: { title: { text: '1000/T / K⁻¹' } },
                yaxis: { title: { text: 'σ / S cm⁻¹' }, type: 'log' },
                margin: { t: 20 },
              }}
            />
            {bar('t_plus', 't₊', 'compare-tplus')}
            {bar('onset_V', 'onset / V', 'compare-onset')}
            {bar('ccd_mA_per_cm2', 'CCD / mA cm⁻²', 'compare-ccd')}
            <FigurePanel
              testId="compare-retention"
              label="Capacity retention"
              fileBase="compare-retention"
              xLabel="cycle"
              yLabel="retention / %"
              height={300}
              data={samples.map((s) => ({
                x: s.retention.map((p) => p.cycle),
                y: s.retention.map((p) => p.retention_pct),
                type: 'scatter',
                mode: 'lines',
                name: s.name,
                line: { color: color(s.name) },
              }))}
              layout={{
                xaxis: { title: { text: 'cycle' } },
                yaxis: { title: { text: 'retention / %' } },
                margin: { t: 20 },
              }}
            />
          </div>
        </>
      )}
    </section>
  );
}
