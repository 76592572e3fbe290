/**
 * The names of the API calls, without their schemas, for the Electron preload (which must stay tiny
 * and not bundle zod). contract.ts checks at compile time that this list equals the contract's keys.
 */
export const CALL_NAME_LIST = [
  'app.info',
  'formats.list',
  'files.inspect',
  'files.columns',
  'library.import',
  'jobs.cancel',
  'library.tree',
  'library.samples',
  'library.undo',
  'samples.create',
  'samples.update',
  'batches.create',
  'cells.create',
  'measurements.assign',
  'measurements.get',
  'measurements.channels',
  'measurements.raw',
  'analysis.run',
  'analysis.list',
  'analysis.provenance',
  'compare.samples',
  'mappings.get',
] as const;

export type CallNameFromList = (typeof CALL_NAME_LIST)[number];

/** IPC channel of a call: one channel per named call, never a generic pipe. */
export function ipcChannel(name: string): string {
  return `elyte:${name}`;
}

export const IPC_EVENT_CHANNEL = 'elyte:event';
