/**
 * "Undo the last library edit": reverses the newest edit in the log that is not yet undone.
 * Creations and imports are soft-deleted, deletions brought back, updates restored to the fields
 * recorded before the change. The undo itself is one transaction and is not logged as an edit.
 */
import { ElyteError } from '../app/errors';
import { lastOpenEdit, markUndone } from './edits';
import type { Library } from './library';
import { writePlacement } from './measurements';
import { nowIso, softDelete, writeBatch, writeCell, writeSample } from './records';
import type { BatchFields, CellFields, SampleFields, TemperatureSource } from './types';

export interface UndoResult {
  /** What was undone ("edit sample PVH"), or null when there was nothing to undo. */
  undone: string | null;
}

export function undoLastEdit(lib: Library): UndoResult {
  return lib.db.transaction((): UndoResult => {
    const edit = lastOpenEdit(lib.db);
    if (!edit) return { undone: null };
    switch (edit.action) {
      case 'create':
      case 'import':
        softDelete(lib.db, edit.targets, nowIso());
        break;
      case 'delete':
        softDelete(lib.db, edit.targets, null);
        break;
      case 'update': {
        const id = edit.targets[edit.entity]?.[0];
        if (id === undefined)
          throw new ElyteError('database', `the undo entry "${edit.label}" names no record`);
        if (edit.entity === 'sample') writeSample(lib.db, id, edit.before as SampleFields);
        else if (edit.entity === 'batch') writeBatch(lib.db, id, edit.before as BatchFields);
        else if (edit.entity === 'cell') writeCell(lib.db, id, edit.before as CellFields);
        else if (edit.entity === 'measurement') {
          writePlacement(
            lib.db,
            id,
            edit.before as {
              cellId: number | null;
              sampleId: number | null;
              temperature_K: number | null;
              temperatureSource: TemperatureSource | null;
            },
          );
        } else throw new ElyteError('database', `cannot undo "${edit.label}"`);
        break;
      }
    }
    markUndone(lib.db, edit.id);
    return { undone: edit.label };
  })();
}
