import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLibrary, importFile, loadChannel, openLibrary } from '../../db';
import { generateCyclingBinary } from './generate';
import { sleep, startChild } from './process';
import { tempDir } from './support';

const ROWS = 1_000_000;
/** ms after the child enters the write transaction; 0 = at once. Different each run. */
const DELAYS_MS = [0, 15, 40, 80, 150];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('crash test: SIGKILL during a 1,000,000-row import', () => {
  it('leaves an intact library with no half-imported measurement, and re-importing works', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'crash.elyte');
    // A library with one complete measurement already in it.
    const lib0 = await openLibrary(path);
    await importFile(lib0, generateCyclingBinary(1000, 1));
    closeLibrary(lib0);

    const outcomes: { delay: number; killedBeforeCommit: boolean }[] = [];
    for (const [i, delay] of DELAYS_MS.entries()) {
      const child = startChild(path, ROWS, 100 + i);
      await child.waitFor('STAGE writing');
      if (delay > 0) await sleep(delay);
      child.process.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal).toBe('SIGKILL');
      outcomes.push({ delay, killedBeforeCommit: !child.lines.some((l) => l.startsWith('DONE')) });
    }
    // Most kills must really land inside the transaction for the test to mean anything.
    expect(outcomes.filter((o) => o.killedBeforeCommit).length).toBeGreaterThanOrEqual(3);

    const lib = await openLibrary(path);
    try {
      expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(lib.db.pragma('foreign_key_check')).toEqual([]);
      const partial = lib.db
        .prepare(
          `SELECT m.id FROM measurements m
             WHERE m.channel_count != (SELECT count(*) FROM measurement_channels c WHERE c.measurement_id = m.id)
                OR NOT EXISTS (SELECT 1 FROM measurement_files f WHERE f.measurement_id = m.id)`,
        )
        .all();
      expect(partial).toEqual([]);
      const orphans = lib.db
        .prepare(
          'SELECT count(*) FROM measurement_channels WHERE measurement_id NOT IN (SELECT id FROM measurements)',
        )
        .pluck()
        .get();
      expect(orphans).toBe(0);
      const completed = outcomes.filter((o) => !o.killedBeforeCommit).length;
      expect(lib.db.prepare('SELECT count(*) FROM measurements').pluck().get()).toBe(1 + completed);

      // Re-import a file whose import was killed: it is new to the library and arrives whole.
      const killedIndex = outcomes.findIndex((o) => o.killedBeforeCommit);
      const file = generateCyclingBinary(ROWS, 100 + killedIndex);
      const report = await importFile(lib, file);
      expect(report.errors).toEqual([]);
      expect(report.imported).toHaveLength(1);
      const id = report.imported[0]!.measurementId;
      const voltage = loadChannel(lib, id, 'voltage_V');
      expect(voltage.length).toBe(ROWS);
      expect(voltage[ROWS - 1]).toBe(file.measurement.channels.voltage_V![ROWS - 1]);
      expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      closeLibrary(lib);
    }
  }, 180_000);
});
