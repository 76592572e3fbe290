/**
 * Where a number came from: the analysis version, the Elyte version that produced it, every setting,
 * and the source files with their SHA-256 — so a group leader can trace it back to the bytes.
 */
import type { AnalysisRecord } from '../../../app/api/types';
import { useCall } from '../hooks/useApi';

export function AnalysisProvenance({ record }: { record: AnalysisRecord | null }) {
  const provenance = useCall(
    'analysis.provenance',
    record ? { analysisId: record.id } : null,
    String(record?.id ?? ''),
  );
  if (!record) return null;
  return (
    <details className="provenance" data-testid="analysis-provenance">
      <summary>How this was computed (version {record.version})</summary>
      <dl className="key-values">
        <div>
          <dt>analysis</dt>
          <dd>
            {record.kind} v{record.version}, {new Date(record.createdAt).toLocaleString()}
          </dd>
        </div>
        <div>
          <dt>Elyte</dt>
          <dd>{record.elyteVersion}</dd>
        </div>
      </dl>
      <pre className="settings" data-testid="analysis-settings">
        {JSON.stringify(record.settings, null, 1)}
      </pre>
      <ul className="sources">
        {provenance.data?.sources.map((source) => (
          <li key={source.measurementId}>
            {source.role ? `${source.role}: ` : ''}
            {source.fileName} <code title="SHA-256 of the original file">{source.sha256.slice(0, 16)}…</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
