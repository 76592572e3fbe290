/**
 * The API surface is deliberate: this snapshot lists every call with its summary and whether it runs
 * in the worker. Adding, removing or renaming a call fails here until the snapshot is updated
 * (`npx vitest run tests/api -u`) in the same change.
 */
import { describe, expect, it } from 'vitest';
import { CALL_NAME_LIST } from '../../app/api/call-names';
import { API, CALL_NAMES } from '../../app/api/contract';

describe('API contract', () => {
  it('lists exactly these calls', () => {
    const surface = CALL_NAMES.map(
      (name) => `${name}${API[name].heavy ? ' [worker]' : ''} — ${API[name].summary}`,
    );
    expect(surface).toMatchSnapshot();
  });

  it('the preload name list matches the contract, in order', () => {
    expect([...CALL_NAME_LIST]).toEqual(CALL_NAMES);
  });

  it('every call validates its argument: garbage is rejected before any handler', () => {
    for (const name of CALL_NAMES) {
      const schema = API[name].input;
      expect(schema.safeParse('not an object').success, name).toBe(false);
      expect(schema.safeParse(null).success, name).toBe(false);
    }
  });

  it('rejects malformed arguments of the import call', () => {
    const schema = API['library.import'].input;
    expect(schema.safeParse({ files: [] }).success).toBe(false);
    expect(schema.safeParse({ files: [{ name: 'a.mpt', bytes: 'AAAA' }] }).success).toBe(false);
    expect(schema.safeParse({ files: [{ name: 'a.mpt', bytes: new Uint8Array([1]) }] }).success).toBe(true);
    expect(
      schema.safeParse({ files: [{ name: 'a.mpt', bytes: new Uint8Array([1]) }], cellId: -1 }).success,
    ).toBe(false);
  });
});
