/**
 * Library: samples with their key numbers, then samples → batches → cells → measurements, with
 * search and filters (family, cation, technique, date); records are created inline and
 * unfiled measurements are filed under a cell here.
 */
import { useState } from 'react';
import type { CellNode, LibraryTree, MeasurementSummary } from '../../../app/api/types';
import { TECHNIQUE_KINDS, type TechniqueKind } from '../../../app/measurement';
import { api } from '../api/client';
import { NewBatchForm, NewCellForm, NewSampleForm } from '../components/CreateForms';
import { KeyNumberCells, KeyNumberHeaders } from '../components/KeyNumbers';
import { celsius, ErrorLine, formatNumber } from '../components/Status';
import { errorText, useCall } from '../hooks/useApi';

export interface LibraryViewProps {
  onOpen: (id: number) => void;
  onArrhenius: (cellId: number) => void;
  onCompare: (sampleIds: number[]) => void;
}

export function LibraryView({ onOpen, onArrhenius, onCompare }: LibraryViewProps) {
  const [search, setSearch] = useState('');
  const [family, setFamily] = useState('');
  const [cation, setCation] = useState('');
  const [kind, setKind] = useState<TechniqueKind | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<number[]>([]);
  const filter = {
    ...(search ? { search } : {}),
    ...(family ? { family } : {}),
    ...(cation ? { cation } : {}),
    ...(kind ? { kind } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const tree = useCall('library.tree', filter, JSON.stringify(filter));
  const samples = useCall('library.samples', {}, 'samples');
  const families = [...new Set((samples.data ?? []).map((s) => s.family).filter(Boolean))];

  return (
    <section className="view" aria-labelledby="library-title">
      <div className="view-header">
        <h2 id="library-title">Library</h2>
        <input
          id="library-search"
          type="search"
          placeholder="Search samples, cells, files ( / )"
          aria-label="Search the library"
          data-testid="library-search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <select
          aria-label="Family"
          data-testid="filter-family"
          value={family}
          onChange={(e) => setFamily(e.target.value)}
        >
          <option value="">all families</option>
          {families.map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
        <select
          aria-label="Cation"
          data-testid="filter-cation"
          value={cation}
          onChange={(e) => setCation(e.target.value)}
        >
          <option value="">all cations</option>
          <option>Li</option>
          <option>Na</option>
          <option>K</option>
        </select>
        <select
          aria-label="Technique"
          data-testid="filter-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as TechniqueKind | '')}
        >
          <option value="">all techniques</option>
          {TECHNIQUE_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <label>
          from <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          to <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>

      <ErrorLine error={samples.error} />
      {samples.data && samples.data.length > 0 && (
        <table className="samples" data-testid="samples-table">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Sample</th>
              <th scope="col">Family</th>
              <th scope="col">Cation</th>
              <th scope="col">σ(25 °C) / S cm⁻¹</th>
              <KeyNumberHeaders />
            </tr>
          </thead>
          <tbody>
            {samples.data.map((s) => (
              <tr key={s.id} data-testid="sample-row" data-sample={s.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare ${s.name}`}
                    data-testid="compare-check"
                    checked={selected.includes(s.id)}
                    onChange={(e) =>
                      setSelected(
                        e.target.checked ? [...selected, s.id] : selected.filter((id) => id !== s.id),
                      )
                    }
                  />
                </td>
                <td>{s.name}</td>
                <td>{s.family}</td>
                <td>{s.cation}</td>
                <td data-testid="key-sigma">{formatNumber(s.keyNumbers.sigma25C_S_per_cm, 3)}</td>
                <KeyNumberCells numbers={s.keyNumbers} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button
          type="button"
          data-testid="compare-button"
          disabled={selected.length === 0}
          onClick={() => onCompare(selected)}
        >
          Compare {selected.length || ''} selected
        </button>
      </p>
      <details data-testid="new-sample">
        <summary>New sample</summary>
        <NewSampleForm onCreated={() => undefined} />
      </details>

      <ErrorLine error={tree.error} />
      {tree.data && <Tree tree={tree.data} onOpen={onOpen} onArrhenius={onArrhenius} />}
    </section>
  );
}

function Tree({
  tree,
  onOpen,
  onArrhenius,
}: {
  tree: LibraryTree;
  onOpen: (id: number) => void;
  onArrhenius: (cellId: number) => void;
}) {
  const cells = tree.samples.flatMap((s) =>
    s.batches.flatMap((b) => b.cells.map((c) => ({ ...c, label: `${s.name} / ${b.name} / ${c.name}` }))),
  );
  return (
    <div data-testid="library-tree">
      {tree.samples.map((sample) => (
        <details
          key={sample.id}
          open
          className="tree-sample"
          data-testid="library-sample"
          data-sample={sample.name}
        >
          <summary>
            <strong>{sample.name}</strong> <span className="muted">{sample.family}</span>
          </summary>
          {sample.batches.map((batch) => (
            <details key={batch.id} open className="tree-batch">
              <summary>
                Batch {batch.name} <span className="muted">{batch.date ?? ''}</span>
              </summary>
              {batch.cells.map((cell) => (
                <CellBlock key={cell.id} cell={cell} onOpen={onOpen} onArrhenius={onArrhenius} />
              ))}
              <details>
                <summary>New cell</summary>
                <NewCellForm batchId={batch.id} onCreated={() => undefined} />
              </details>
            </details>
          ))}
          {sample.measurements.length > 0 && (
            <section>
              <h4>Filed under {sample.name}, no cell yet</h4>
              <MeasurementTable rows={sample.measurements} onOpen={onOpen} cells={cells} />
            </section>
          )}
          <details>
            <summary>New batch</summary>
            <NewBatchForm sampleId={sample.id} onCreated={() => undefined} />
          </details>
        </details>
      ))}
      {tree.unassigned.length > 0 && (
        <section>
          <h3>Not yet filed under a cell</h3>
          <MeasurementTable rows={tree.unassigned} onOpen={onOpen} cells={cells} />
        </section>
      )}
      {tree.samples.length === 0 && tree.unassigned.length === 0 && (
        <p data-testid="library-empty">The library is empty: import instrument files to begin.</p>
      )}
    </div>
  );
}

function CellBlock({
  cell,
  onOpen,
  onArrhenius,
}: {
  cell: CellNode;
  onOpen: (id: number) => void;
  onArrhenius: (cellId: number) => void;
}) {
  const eisWithT = cell.measurements.filter((m) => m.kind === 'eis' && m.temperature_K !== null);
  const temperatures = new Set(eisWithT.map((m) => m.temperature_K));
  return (
    <details open className="tree-cell" data-testid="library-cell" data-cell={cell.name}>
      <summary>
        {cell.name} <span className="muted">{cell.cellType}</span>
        {cell.area_m2 ? <span className="muted"> · {formatNumber(cell.area_m2 * 1e4, 3)} cm²</span> : null}
        {cell.thickness_m ? (
          <span className="muted"> · {formatNumber(cell.thickness_m * 1e6, 3)} µm</span>
        ) : null}
        {temperatures.size >= 3 && (
          <button type="button" data-testid="open-arrhenius" onClick={() => onArrhenius(cell.id)}>
            Arrhenius ({temperatures.size} temperatures)
          </button>
        )}
      </summary>
      <MeasurementTable rows={cell.measurements} onOpen={onOpen} />
    </details>
  );
}

function MeasurementTable({
  rows,
  onOpen,
  cells,
}: {
  rows: MeasurementSummary[];
  onOpen: (id: number) => void;
  cells?: (CellNode & { label: string })[];
}) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ErrorLine error={error} />
      <table className="measurements">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Technique</th>
            <th scope="col">Format</th>
            <th scope="col">Rows</th>
            <th scope="col">T / °C</th>
            <th scope="col">Imported</th>
            {cells && <th scope="col">File under</th>}
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
              <td>{celsius(row.temperature_K) ?? '—'}</td>
              <td>{new Date(row.importedAt).toLocaleString()}</td>
              {cells && (
                <td>
                  <select
                    aria-label={`File ${row.fileName} under a cell`}
                    data-testid="assign-cell"
                    value=""
                    onChange={(e) =>
                      void api
                        .call('measurements.assign', {
                          measurementId: row.id,
                          cellId: Number(e.target.value),
                        })
                        .catch((failure: unknown) => setError(errorText(failure)))
                    }
                  >
                    <option value="">choose a cell…</option>
                    {cells.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
