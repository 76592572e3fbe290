/**
 * Data written with the SQL of each schema version, frozen with it: the upgrade test creates a
 * library at version N, runs SEEDS[N], migrates to the latest and checks nothing was lost. When
 * migration N+1 ships, add SEEDS[N+1] using the schema as of N+1 (every table must get a row).
 */
import type BetterSqlite3 from 'better-sqlite3';

export const SEEDS: Record<number, (db: BetterSqlite3.Database) => void> = {
  1: (db) => {
    const at = '2025-03-14T10:00:00.000Z';
    db.prepare(
      `INSERT INTO samples (id, uid, name, family, salt, cation, filler_particle_size_m, residual_solvent_pct,
         crystallinity_pct, free_anion_fraction_pct, notes, created_at, updated_at)
       VALUES (1, 'u-s1', 'PVH-in-SiO₂', 'PVH-in-SiO₂', 'LiTFSI', 'Li', 1.58e-7, 2.9, 19, 87, 'best', ?, ?)`,
    ).run(at, at);
    db.prepare(
      "INSERT INTO sample_components VALUES (1, 0, 'SiO₂', 70), (1, 1, 'PVH', 100), (1, 2, 'LiTFSI', 100)",
    ).run();
    db.prepare("INSERT INTO sample_tags VALUES (1, 'reference')").run();
    db.prepare(
      `INSERT INTO batches (id, uid, sample_id, name, made_on, operator, deviations, notes, created_at, updated_at)
       VALUES (1, 'u-b1', 1, 'B1', '2025-03-14', 'JL', 'dried 2 h longer', '', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO cells (id, uid, batch_id, name, cell_type, area_m2, thickness_m, active_mass_kg, loading_kg_per_m2,
         cathode, notes, created_at, updated_at)
       VALUES (1, 'u-c1', 1, 'C1', 'LFP‖E‖Li', 2.01e-4, 1e-4, 3e-6, 0.015, 'LFP', '', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO measurements (id, uid, cell_id, sample_id, file_name, size_bytes, sha256, format, technique, kind,
         rows, channel_count, temperature_K, temperature_source, instrument, start_time, metadata_json,
         warnings_json, imported_at, updated_at)
       VALUES (1, 'u-m1', 1, NULL, 'a_25C.mpt', 3, ?, 'biologic-mpt', 'PEIS', 'eis', 2, 1, 298.15, 'name',
         'BioLogic VMP3', '2025-03-14T09:00:00Z', '{"extra":{}}', '[]', ?, ?)`,
    ).run('a'.repeat(64), at, at);
    db.prepare("INSERT INTO measurement_files VALUES (1, 'none', X'616263')").run();
    db.prepare(
      `INSERT INTO measurement_channels (measurement_id, position, origin, name, unit, dtype, scale_exp, length,
         same_as, data) VALUES (1, 0, 'canonical', 'frequency_Hz', 'Hz', 'i8', 0, 2, NULL, X'0102')`,
    ).run();
    db.prepare(
      `INSERT INTO analyses (id, uid, kind, subject_key, version, settings_json, results_json, elyte_version,
         created_at) VALUES (1, 'u-a1', 'conductivity', ?, 1, '{"circuit":"R0-p(R1,CPE1)"}',
         '{"sigma_S_per_cm":0.00132}', '0.1.0', ?)`,
    ).run(`conductivity|${'a'.repeat(64)}`, at);
    db.prepare("INSERT INTO analysis_measurements VALUES (1, 1, '')").run();
    db.prepare(
      "INSERT INTO analysis_numbers VALUES (1, 'sigma25C_S_per_cm', 0.00132, 0.00002, 'S/cm')",
    ).run();
    db.prepare(
      `INSERT INTO column_mappings (header_signature, headers_json, mapping_json, created_at, updated_at)
       VALUES ('sig', '["t","U"]', '{"time_s":{"column":"t","unit":"s"}}', ?, ?)`,
    ).run(at, at);
    db.prepare(
      `INSERT INTO edits (at, action, entity, entity_ids_json, before_json, label)
       VALUES (?, 'create', 'sample', '{"sample":[1]}', NULL, 'create sample PVH-in-SiO₂')`,
    ).run(at);
  },
};
