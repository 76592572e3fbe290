/** The structural promises of the Measurement contract, shared by the all-files and fuzz tests. */
import { expect } from 'vitest';
import { CANONICAL_CHANNELS, type Measurement, TECHNIQUE_KINDS } from '../../app/measurement';

/** Checks every structural promise of the Measurement contract. */
export function expectWellFormed(m: Measurement, fileName: string): void {
  expect(m.format.length).toBeGreaterThan(0);
  expect(m.fileName).toBe(fileName);
  expect(m.technique.length).toBeGreaterThan(0);
  expect(TECHNIQUE_KINDS).toContain(m.kind);
  expect(m.rows).toBeGreaterThan(0);
  for (const [name, values] of Object.entries(m.channels)) {
    expect(Object.hasOwn(CANONICAL_CHANNELS, name), `channel ${name} is canonical`).toBe(true);
    expect(values, `channel ${name}`).toBeInstanceOf(Float64Array);
    expect(values!.length, `channel ${name} length`).toBe(m.rows);
  }
  for (const column of m.original) {
    expect(typeof column.name).toBe('string');
    expect(typeof column.unit).toBe('string');
    expect(column.values.length, `original column ${column.name} length`).toBe(m.rows);
  }
  const time = m.channels.time_s;
  if (time) {
    for (let i = 0; i < time.length; i++) {
      if (!Number.isFinite(time[i]!)) expect.fail(`time_s[${i}] is ${time[i]}`);
      if (i > 0 && time[i]! < time[i - 1]!)
        expect.fail(`time_s decreases at row ${i}: ${time[i - 1]} → ${time[i]}`);
    }
  }
  expect(typeof m.metadata.extra).toBe('object');
  expect(Array.isArray(m.warnings)).toBe(true);
}
