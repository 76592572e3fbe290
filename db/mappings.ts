/**
 * Generic CSV/XLSX column mappings remembered per header layout: the next file with the same
 * header gets the same mapping without asking again.
 */
import type { ColumnMapping } from '../app/measurement';
import type { Library } from './library';
import { nowIso } from './records';

/** One signature for a header layout, the one the worker computes (app/formats/generic). */
export { headerSignature } from '../app/formats/generic/mapping';

export function rememberColumnMapping(
  lib: Library,
  signature: string,
  headers: readonly string[],
  mapping: ColumnMapping,
): void {
  const at = nowIso();
  lib.db
    .prepare(
      `INSERT INTO column_mappings (header_signature, headers_json, mapping_json, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (header_signature) DO UPDATE SET mapping_json = excluded.mapping_json,
         headers_json = excluded.headers_json, updated_at = excluded.updated_at, use_count = use_count + 1`,
    )
    .run(signature, JSON.stringify(headers), JSON.stringify(mapping), at, at);
}

export function recallColumnMapping(lib: Library, signature: string): ColumnMapping | null {
  const json = lib.reader
    .prepare('SELECT mapping_json FROM column_mappings WHERE header_signature = ?')
    .pluck()
    .get(signature) as string | undefined;
  return json === undefined ? null : (JSON.parse(json) as ColumnMapping);
}
