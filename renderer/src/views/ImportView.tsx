/**
 * Import: drop files or folders (or pick them); each is read in the worker, stored in the library,
 * and listed with its detected instrument, technique and size — or with the error in plain words.
 */
import { type DragEvent, useRef, useState } from 'react';
import type { ImportReport } from '../../../app/api/types';
import { ApiError, api } from '../api/client';
import { collectDroppedFiles } from '../components/drop';

interface FileRow {
  key: string;
  name: string;
  size: number;
  state: 'waiting' | 'reading' | 'imported' | 'duplicate' | 'failed';
  progress: number;
  detail: string;
  measurementId?: number;
}

export function ImportView({ onOpen }: { onOpen: (id: number) => void }) {
  const [rows, setRows] = useState<FileRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const update = (key: string, patch: Partial<FileRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  async function importFiles(files: File[]) {
    const batch = files.map((file, i) => ({
      key: `${Date.now()}-${i}-${file.name}`,
      name: file.name,
      size: file.size,
      state: 'waiting' as const,
      progress: 0,
      detail: '',
    }));
    setRows((current) => [...batch, ...current]);
    // One job per file: a bad file fails alone, and progress is per file.
    for (const [i, file] of files.entries()) {
      const row = batch[i]!;
      update(row.key, { state: 'reading' });
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const report = await api.runJob<'library.import', ImportReport>(
          'library.import',
          { files: [{ name: file.name, bytes }] },
          (progress) => update(row.key, { progress: progress.fraction }),
        );
        applyReport(row.key, report);
      } catch (error) {
        update(row.key, {
          state: 'failed',
          detail: error instanceof ApiError ? error.message : String(error),
        });
      }
    }
  }

  function applyReport(key: string, report: ImportReport) {
    const imported = report.imported[0];
    const skipped = report.skipped[0];
    const failure = report.errors[0];
    if (imported) {
      update(key, {
        state: 'imported',
        progress: 1,
        measurementId: imported.measurementId,
        detail: `${imported.format} · ${imported.technique} · ${imported.rows} rows`,
      });
    } else if (skipped) {
      update(key, {
        state: 'duplicate',
        progress: 1,
        measurementId: skipped.existingMeasurementId,
        detail: 'already in the library (same content)',
      });
    } else if (failure) {
      update(key, { state: 'failed', detail: failure.message });
    }
  }

  async function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    await importFiles(await collectDroppedFiles(event.dataTransfer));
  }

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
          Choose files…
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
            {row.state === 'reading' && (
              <progress
                max={1}
                value={row.progress}
                aria-label={`Reading ${row.name}`}
                data-testid="import-progress"
              />
            )}
            <span className="detail" data-testid="import-detail">
              {row.detail}
            </span>
            {row.measurementId !== undefined && (
              <button type="button" data-testid="open-imported" onClick={() => onOpen(row.measurementId!)}>
                Open
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
