import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLibrary, importFile, loadChannels, openLibrary, readSnapshot } from '../../db';
import { generateCyclingBinary } from './generate';
import { sleep, startChild } from './process';
import { tempDir } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('reading while another process imports (WAL, separate read connection)', () => {
  it('a reader polling during a 1,000,000-row import sees 0 or all channels, never a partial set, and is never blocked', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'busy.elyte');
    const ui = await openLibrary(path);
    await importFile(ui, generateCyclingBinary(1000, 1));
    expect(ui.reader).not.toBe(ui.db);
    expect(ui.reader.pragma('busy_timeout', { simple: true })).toBe(5000);

    const child = startChild(path, 1_000_000, 2);
    let writing = false;
    let done = false;
    void child.waitFor('STAGE writing').then(() => {
      writing = true;
    });
    void child.waitFor('DONE').then(() => {
      done = true;
    });
    const seen: { duringWrite: boolean; complete: boolean; channels: number; ms: number }[] = [];
    while (!done) {
      const started = performance.now();
      // Two statements in one snapshot, as the UI's measurement view does.
      const observation = readSnapshot(ui, () => {
        const rows = ui.reader.prepare('SELECT id, channel_count FROM measurements WHERE id > 1').all() as {
          id: number;
          channel_count: number;
        }[];
        return rows.map((r) => ({
          expected: r.channel_count,
          actual: ui.reader
            .prepare('SELECT count(*) FROM measurement_channels WHERE measurement_id = ?')
            .pluck()
            .get(r.id) as number,
        }));
      });
      const ms = performance.now() - started;
      const one = observation[0];
      seen.push({
        duringWrite: writing && !done,
        complete: one === undefined || one.actual === one.expected,
        channels: one?.actual ?? 0,
        ms,
      });
      if (child.process.exitCode !== null) break;
      await sleep(2);
    }
    const { code } = await child.exited;
    expect(code).toBe(0);
    expect(seen.every((s) => s.complete)).toBe(true);
    expect(seen.filter((s) => s.duringWrite).length).toBeGreaterThan(0);
    expect(Math.max(...seen.map((s) => s.ms))).toBeLessThan(250);
    // After the commit the reader sees the whole measurement.
    const id = ui.reader.prepare('SELECT max(id) FROM measurements').pluck().get() as number;
    expect(loadChannels(ui, id).map((c) => c.values.length)).toEqual([
      1_000_000, 1_000_000, 1_000_000, 1_000_000,
    ]);
    closeLibrary(ui);
  }, 120_000);
});
