/** Library: samples → batches → cells → measurements, plus files not yet filed under a cell. */
import { useEffect, useState } from 'react';
import type { LibraryTree, MeasurementSummary } from '../../../app/api/types';
import { ApiError, api } from '../api/client';

export function LibraryView({ onOpen }: { onOpen: (id: number) => void }) {
  const [tree, setTree] = useState<LibraryTree | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .call('library.tree', search ? { search } : {})
        .then((value) => live && setTree(value))
        .catch(
          (failure: unknown) =>
            live && setError(failure instanceof ApiError ? failure.message : String(failure)),
        );
    void load();
    const unsubscribe = api.onEvent((event) => {
      if (event.type === 'library.changed') void load();
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [search]);

  return (
    <section className="view" aria-labelledby="library-title">
      <div className="view-header">
        <h2 id="library-title">Library</h2>
        <input
          type="search"
          placeholder="Search samples, cells, files"
          aria-label="Search the library"
          data-testid="library-search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!tree && !error && <p>Loading…</p>}
      {tree && (
        <div data-testid="library-tree">
          {tree.samples.map((sample) => (
            <details key={sample.id} open className="tree-sample" data-testid="library-sample">
              <summary>
                <strong>{sample.name}</strong> <span className="muted">{sample.family}</span>
              </summary>
              {sample.batches.map((batch) => (
                <details key={batch.id} open className="tree-batch">
                  <summary>Batch {batch.name}</summary>
                  {batch.cells.map((cell) => (
                    <details key={cell.id} open className="tree-cell">
                      <summary>
                        {cell.name} <span className="muted">{cell.cellType}</span>
                      </summary>
                      <MeasurementTable rows={cell.measurements} onOpen={onOpen} />
                    </details>
                  ))}
                </details>
              ))}
            </details>
          ))}
          {tree.unassigned.length > 0 && (
            <section>
              <h3>Not yet filed under a cell</h3>
              <MeasurementTable rows={tree.unassigned} onOpen={onOpen} />
            </section>
          )}
          {tree.samples.length === 0 && tree.unassigned.length === 0 && (
            <p data-testid="library-empty">The library is empty: import instrument files to begin.</p>
          )}
        </div>
      )}
    </section>
  );
}

function MeasurementTable({ rows, onOpen }: { rows: MeasurementSummary[]; onOpen: (id: number) => void }) {
  return (
    <table className="measurements">
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Technique</th>
          <th scope="col">Format</th>
          <th scope="col">Rows</th>
          <th scope="col">T / °C</th>
          <th scope="col">Imported</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-testid="library-row" data-measurement-id={row.id}>
            <td>
              <button type="button" className="link" onClick={() => onOpen(row.id)}>
                {row.fileName}
              </button>
            </td>
            <td>{row.technique}</td>
            <td>{row.format}</td>
            <td data-testid="library-row-rows">{row.rows}</td>
            <td>{row.temperature_C ?? '—'}</td>
            <td>{new Date(row.importedAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
