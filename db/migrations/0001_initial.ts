import type { Migration } from './types';

/**
 * The first library schema. Every table is STRICT. Records are soft-deleted (deleted_at) so
 * "undo the last library edit" can bring them back; `uid`s identify records across libraries
 * (export/import of a sample or batch).
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE library_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      INSERT INTO library_meta (key, value) VALUES
        ('library_uid', lower(hex(randomblob(16)))),
        ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

      CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
        family TEXT NOT NULL DEFAULT '',
        salt TEXT NOT NULL DEFAULT '',
        cation TEXT NOT NULL DEFAULT 'Li' CHECK (cation IN ('Li', 'Na', 'K', 'Mg', 'Zn', 'other')),
        filler_particle_size_m REAL CHECK (filler_particle_size_m > 0),
        residual_solvent_pct REAL CHECK (residual_solvent_pct BETWEEN 0 AND 100),
        crystallinity_pct REAL CHECK (crystallinity_pct BETWEEN 0 AND 100),
        free_anion_fraction_pct REAL CHECK (free_anion_fraction_pct BETWEEN 0 AND 100),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX samples_live_name ON samples (name) WHERE deleted_at IS NULL;

      CREATE TABLE sample_components (
        sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        ratio REAL NOT NULL CHECK (ratio >= 0),
        PRIMARY KEY (sample_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sample_tags (
        sample_id INTEGER NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
        tag TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (sample_id, tag)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sample_tags_by_tag ON sample_tags (tag, sample_id);

      CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        sample_id INTEGER NOT NULL REFERENCES samples (id),
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        made_on TEXT CHECK (made_on IS NULL OR date(made_on) = made_on),
        operator TEXT NOT NULL DEFAULT '',
        deviations TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX batches_by_sample ON batches (sample_id);

      CREATE TABLE cells (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        batch_id INTEGER NOT NULL REFERENCES batches (id),
        name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
        cell_type TEXT NOT NULL DEFAULT '',
        area_m2 REAL CHECK (area_m2 > 0),
        thickness_m REAL CHECK (thickness_m > 0),
        active_mass_kg REAL CHECK (active_mass_kg > 0),
        loading_kg_per_m2 REAL CHECK (loading_kg_per_m2 > 0),
        cathode TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX cells_by_batch ON cells (batch_id);
      CREATE UNIQUE INDEX cells_live_name ON cells (batch_id, name) WHERE deleted_at IS NULL;

      CREATE TABLE measurements (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        cell_id INTEGER REFERENCES cells (id),
        sample_id INTEGER REFERENCES samples (id),
        file_name TEXT NOT NULL,
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        format TEXT NOT NULL,
        technique TEXT NOT NULL,
        kind TEXT NOT NULL
          CHECK (kind IN ('eis', 'voltammetry', 'galvanostatic', 'potentiostatic', 'ocv', 'other')),
        rows INTEGER NOT NULL CHECK (rows >= 0),
        channel_count INTEGER NOT NULL CHECK (channel_count >= 0),
        temperature_K REAL CHECK (temperature_K > 0),
        temperature_source TEXT CHECK (temperature_source IN ('user', 'file', 'name')),
        instrument TEXT,
        start_time TEXT,
        metadata_json TEXT NOT NULL CHECK (json_valid(metadata_json)),
        warnings_json TEXT NOT NULL CHECK (json_valid(warnings_json)),
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        CHECK (cell_id IS NULL OR sample_id IS NULL)
      ) STRICT;
      CREATE INDEX measurements_by_cell ON measurements (cell_id, start_time);
      CREATE INDEX measurements_by_sample ON measurements (sample_id);
      -- A file whose size no stored file has cannot be a duplicate: hashing it need not block parsing.
      CREATE INDEX measurements_by_size ON measurements (size_bytes);

      -- The original bytes, apart from the measurement row so listing measurements never reads them.
      CREATE TABLE measurement_files (
        measurement_id INTEGER PRIMARY KEY REFERENCES measurements (id) ON DELETE CASCADE,
        compression TEXT NOT NULL CHECK (compression IN ('gzip', 'none')),
        content BLOB NOT NULL
      ) STRICT;

      -- Columnar: one row per channel holding the whole typed array, never a row per data point.
      CREATE TABLE measurement_channels (
        id INTEGER PRIMARY KEY,
        measurement_id INTEGER NOT NULL REFERENCES measurements (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        origin TEXT NOT NULL CHECK (origin IN ('canonical', 'original')),
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        dtype TEXT NOT NULL CHECK (dtype IN ('f64', 'f32', 'i8', 'i16', 'i32', 'text', 'same')),
        scale_exp INTEGER NOT NULL DEFAULT 0 CHECK (scale_exp BETWEEN 0 AND 22),
        length INTEGER NOT NULL CHECK (length >= 0),
        same_as INTEGER,
        data BLOB,
        UNIQUE (measurement_id, position),
        CHECK ((dtype = 'same') = (same_as IS NOT NULL)),
        CHECK ((dtype = 'same') = (data IS NULL))
      ) STRICT;
      CREATE INDEX measurement_channels_by_name ON measurement_channels (measurement_id, origin, name);

      CREATE TABLE analyses (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (length(kind) > 0),
        -- kind plus the sorted SHA-256 of the source files: versions count up per subject.
        subject_key TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        settings_json TEXT NOT NULL CHECK (json_valid(settings_json)),
        results_json TEXT NOT NULL CHECK (json_valid(results_json)),
        elyte_version TEXT NOT NULL,
        created_at TEXT NOT NULL,
        deleted_at TEXT,
        UNIQUE (subject_key, version)
      ) STRICT;
      CREATE INDEX analyses_by_kind ON analyses (kind, created_at);

      CREATE TABLE analysis_measurements (
        analysis_id INTEGER NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
        measurement_id INTEGER NOT NULL REFERENCES measurements (id),
        role TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (analysis_id, measurement_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX analysis_measurements_by_measurement ON analysis_measurements (measurement_id, analysis_id);

      -- The headline numbers of a result, queryable (the full result stays in results_json).
      CREATE TABLE analysis_numbers (
        analysis_id INTEGER NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        stderr REAL,
        unit TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (analysis_id, name)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX analysis_numbers_by_name ON analysis_numbers (name, analysis_id);

      -- Generic CSV/XLSX: the column mapping a user chose, remembered per header layout.
      CREATE TABLE column_mappings (
        header_signature TEXT PRIMARY KEY,
        headers_json TEXT NOT NULL CHECK (json_valid(headers_json)),
        mapping_json TEXT NOT NULL CHECK (json_valid(mapping_json)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        use_count INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      -- Undo log: one row per user edit, with what it needs to be reversed.
      CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
        entity TEXT NOT NULL CHECK (entity IN ('sample', 'batch', 'cell', 'measurement', 'analysis')),
        entity_ids_json TEXT NOT NULL CHECK (json_valid(entity_ids_json)),
        before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
        label TEXT NOT NULL,
        undone_at TEXT
      ) STRICT;
      CREATE INDEX edits_open ON edits (id) WHERE undone_at IS NULL;
    `);
  },
};
