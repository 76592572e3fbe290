/** Small shared pieces: an error line, a busy line, a numbers table. */
import type { ReactNode } from 'react';

export function ErrorLine({ error, testId = 'error' }: { error: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error" data-testid={testId}>
      {error}
    </p>
  );
}

export function Busy({ label }: { label: string }) {
  return (
    <p className="muted" aria-busy="true">
      {label}…
    </p>
  );
}

export function formatNumber(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)
    ? value.toExponential(digits - 1)
    : value.toPrecision(digits);
}

export function KeyValues({ rows, testId }: { rows: [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="key-values" data-testid={testId}>
      {rows.map(([key, value]) => (
        <div key={key} data-key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Warnings({ warnings }: { warnings: unknown }) {
  if (!Array.isArray(warnings) || warnings.length === 0) return null;
  return (
    <ul className="warnings" data-testid="analysis-warnings">
      {warnings.map((w) => (
        <li key={String(w)}>⚠ {String(w)}</li>
      ))}
    </ul>
  );
}

/** A value converted between units, without floating-point tails (2.0100000000000002 → "2.01"). */
export function tidy(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/** Kelvin (SI, as stored) to the °C people read, or null. */
export function celsius(temperature_K: number | null): number | null {
  return temperature_K === null ? null : Number((temperature_K - 273.15).toFixed(2));
}
