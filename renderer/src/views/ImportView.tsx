/**
 * Import: drop files or folders (or pick them). Each file is read in the worker and stored, with its
 * detected instrument, technique and size, a progress bar while it reads, and any error in plain
 * words. Imported files are then filed under sample → batch → cell (created inline, pre-filled from
 * the file's metadata); a generic table that needs it gets the column-mapping dialog.
 */
import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { ImportedFile, ImportReport } from '../../../app/api/types';
import { ApiError, api } from '../api/client';
import { NewBatchForm, NewCellForm, NewSampleForm } from '../components/CreateForms';
import { collectDroppedFiles } from '../components/drop';
import { type Mapping, MappingDialog } from '../components/MappingDialog';
import { ErrorLine } from '../components/Status';
import { errorText, useCall } from '../hooks/useApi';

interface FileRow {
  key: string;
  name: string;
  size: number;
  bytes: Uint8Array | null;
  state: 'waiting' | 'reading' | 'imported' | 'duplicate' | 'failed';
  progress: number;
  detail: string;
  needsMapping: boolean;
  jobId?: string;
  imported?: ImportedFile;
  measurementId?: number;
}

export function ImportView({ onOpen }: { onOpen: (id: number) => void }) {
  const [rows, setRows] = useState<FileRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const [mappingFor, setMappingFor] = useState<FileRow | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const update = (key: string, patch: Partial<FileRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  async function importOne(row: FileRow, bytes: Uint8Array, columns?: Mapping) {
    update(row.key, { state: 'reading', progress: 0, detail: '', needsMapping: false });
    try {
      const report = await api.runJob<'library.import', ImportReport>(
        'library.import',
        { files: [{ name: row.name, bytes }], ...(columns ? { columns } : {}) },
        (progress) => update(row.key, { progress: progress.fraction, detail: progress.message }),
        (jobId) => update(row.key, { jobId }),
      );
      const imported = report.imported[0];
      const skipped = report.skipped[0];
      const failure = report.errors[0];
      if (imported) {
        update(row.key, {
          state: 'imported',
          progress: 1,
          imported,
          measurementId: imported.measurementId,
          bytes: null,
          detail: `${imported.format} · ${imported.technique} · ${imported.rows} rows`,
        });
      } else if (skipped) {
        update(row.key, {
          state: 'duplicate',
          progress: 1,
          measurementId: skipped.existingMeasurementId,
          bytes: null,
          detail: 'already in the library (same content)',
        });
      } else if (failure) {
        update(row.key, {
          state: 'failed',
          detail: failure.message,
          needsMapping: /column mapping/.test(failure.message),
        });
      }
    } catch (error) {
      update(row.key, { state: 'failed', detail: error instanceof ApiError ? error.message : String(error) });
    }
  }

  async function importFiles(files: File[]) {
    const batch: FileRow[] = files.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      size: file.size,
      bytes: null,
      state: 'waiting',
      progress: 0,
      detail: '',
      needsMapping: false,
    }));
    setRows((current) => [...batch, ...current]);
    // One job per file: a bad file fails alone, and progress is per file.
    for (const [i, file] of files.entries()) {
      const row = batch[i]!;
      const bytes = new Uint8Array(await file.arrayBuffer());
      update(row.key, { bytes });
      await importOne(row, bytes);
    }
  }

  async function onDrop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    await importFiles(await collectDroppedFiles(event.dataTransfer));
  }

  const imported = rows.filter((row) => row.state === 'imported' && row.measurementId !== undefined);
  return (
    <section className="view" aria-labelledby="import-title">
      <h2 id="import-title">Import instrument files</h2>
      <section
        aria-label="Drop files here"
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void onDrop(event)}
      >
        <p>Drop potentiostat or cycler files (or folders) here</p>
        <button type="button" onClick={() => input.current?.click()}>
          Choose files… (Ctrl+O)
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            void importFiles(files);
          }}
        />
      </section>
      <ul className="import-list" data-testid="import-list">
        {rows.map((row) => (
          <li
            key={row.key}
            className={`import-row ${row.state}`}
            data-testid="import-row"
            data-state={row.state}
          >
            <span className="file-name">{row.name}</span>
            <span className="file-size">{formatSize(row.size)}</span>
            {row.state === 'reading' ? (
              <span>
                <progress
                  max={1}
                  value={row.progress}
                  aria-label={`Reading ${row.name}`}
                  data-testid="import-progress"
                />
                {row.jobId && (
                  <button type="button" onClick={() => void api.call('jobs.cancel', { jobId: row.jobId! })}>
                    Cancel
                  </button>
                )}
              </span>
            ) : (
              <span />
            )}
            <span className="detail" data-testid="import-detail">
              {row.detail}
            </span>
            <span>
              {row.needsMapping && row.bytes && (
                <button type="button" data-testid="open-mapping" onClick={() => setMappingFor(row)}>
                  Map columns…
                </button>
              )}
              {row.measurementId !== undefined && (
                <button type="button" data-testid="open-imported" onClick={() => onOpen(row.measurementId!)}>
                  Open
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {mappingFor?.bytes && (
        <MappingDialog
          name={mappingFor.name}
          bytes={mappingFor.bytes}
          onCancel={() => setMappingFor(null)}
          onApply={(mapping) => {
            const row = mappingFor;
            setMappingFor(null);
            void importOne(row, row.bytes!, mapping);
          }}
        />
      )}
      {imported.length > 0 && <AssignPanel files={imported} />}
    </section>
  );
}

/** Files the imported measurements under a cell, creating sample, batch and cell on the way. */
function AssignPanel({ files }: { files: FileRow[] }) {
  const tree = useCall('library.tree', {}, 'assign');
  const [sampleId, setSampleId] = useState<number | null>(null);
  const [batchId, setBatchId] = useState<number | null>(null);
  const [cellId, setCellId] = useState<number | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(files.map((f) => f.key)));
  // Files of a batch arrive one by one after the panel has appeared: tick each newly imported file
  // (without re-ticking one the technician has unticked).
  const seen = useRef(new Set(files.map((f) => f.key)));
  useEffect(() => {
    const fresh = files.filter((f) => !seen.current.has(f.key)).map((f) => f.key);
    if (fresh.length === 0) return;
    for (const key of fresh) seen.current.add(key);
    setChosen((current) => new Set([...current, ...fresh]));
  }, [files]);
  const [temperatures, setTemperatures] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sample = tree.data?.samples.find((s) => s.id === sampleId);
  const batch = sample?.batches.find((b) => b.id === batchId);
  const prefill = useMemo(
    () => files.find((f) => f.imported?.cellSuggestions)?.imported?.cellSuggestions ?? {},
    [files],
  );

  async function assign() {
    if (cellId === null) return;
    setError(null);
    try {
      for (const file of files.filter((f) => chosen.has(f.key))) {
        const text = temperatures[file.key];
        const temperature_C = text === undefined || text.trim() === '' ? undefined : Number(text);
        if (temperature_C !== undefined && !Number.isFinite(temperature_C))
          throw new Error(`${file.name}: "${text}" is not a temperature in °C`);
        await api.call('measurements.assign', {
          measurementId: file.measurementId!,
          cellId,
          ...(temperature_C !== undefined ? { temperature_C } : {}),
        });
      }
      setMessage(
        `Filed ${chosen.size} measurement(s) under ${sample?.name} / ${batch?.name} / ${batch?.cells.find((c) => c.id === cellId)?.name}`,
      );
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return (
    <section className="panel" aria-labelledby="assign-title" data-testid="assign-panel">
      <h3 id="assign-title">File under a cell</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">T / °C</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.key}>
              <td>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(file.key)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(file.key);
                      else next.delete(file.key);
                      setChosen(next);
                    }}
                  />
                  {file.name}
                </label>
              </td>
              <td>
                <input
                  aria-label={`Temperature of ${file.name} in °C`}
                  size={6}
                  placeholder={
                    file.imported?.temperature_K
                      ? String(Math.round((file.imported.temperature_K - 273.15) * 100) / 100)
                      : 'unknown'
                  }
                  value={temperatures[file.key] ?? ''}
                  onChange={(e) => setTemperatures({ ...temperatures, [file.key]: e.target.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        Sample
        <select
          data-testid="assign-sample"
          value={sampleId ?? ''}
          onChange={(e) => {
            setSampleId(Number(e.target.value) || null);
            setBatchId(null);
            setCellId(null);
          }}
        >
          <option value="">choose…</option>
          {tree.data?.samples.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <NewSampleForm
        onCreated={(id) => {
          setSampleId(id);
          setBatchId(null);
          setCellId(null);
        }}
      />
      {sample && (
        <>
          <label>
            Batch
            <select
              data-testid="assign-batch"
              value={batchId ?? ''}
              onChange={(e) => {
                setBatchId(Number(e.target.value) || null);
                setCellId(null);
              }}
            >
              <option value="">choose…</option>
              {sample.batches.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <NewBatchForm
            sampleId={sample.id}
            onCreated={(id) => {
              setBatchId(id);
              setCellId(null);
            }}
          />
        </>
      )}
      {batch && (
        <>
          <label>
            Cell
            <select
              data-testid="assign-cell-select"
              value={cellId ?? ''}
              onChange={(e) => setCellId(Number(e.target.value) || null)}
            >
              <option value="">choose…</option>
              {batch.cells.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.cellType})
                </option>
              ))}
            </select>
          </label>
          <NewCellForm batchId={batch.id} prefill={prefill} onCreated={(id) => setCellId(id)} />
        </>
      )}
      <button
        type="button"
        className="primary"
        data-testid="assign-submit"
        disabled={cellId === null || chosen.size === 0}
        onClick={() => void assign()}
      >
        File {chosen.size} under this cell
      </button>
      <ErrorLine error={error} />
      {message && (
        <p className="ok" data-testid="assign-done">
          {message}
        </p>
      )}
    </section>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
