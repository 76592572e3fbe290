/**
 * Channels for plotting: loaded from their columnar blobs and decimated to the visual envelope
 * (min/max per x column) so a 1,000,000-point curve reaches the UI as a few thousand points; a zoom
 * asks again with its x range and gets full detail there.
 */
import type { ParsedInput } from '../../app/api/contract';
import type { ChannelWindow } from '../../app/api/types';
import { ElyteError } from '../../app/errors';
import { decimateMinMax, isMonotone, pick } from '../../app/figures/decimate';
import type { Library } from '../../db/library';
import { getMeasurement, loadChannels } from '../../db/measurements';

export function channelWindow(library: Library, input: ParsedInput<'measurements.channels'>): ChannelWindow {
  const measurement = getMeasurement(library, input.id);
  const names = [input.x, ...input.y.filter((name) => name !== input.x)];
  const loaded = loadChannels(library, input.id, names);
  const byName = new Map(loaded.map((channel) => [channel.name, channel.values]));
  const numeric = (name: string): Float64Array => {
    const values = byName.get(name);
    if (!values) {
      throw new ElyteError('not-found', `${measurement.fileName} has no channel "${name}"`, {
        file: measurement.fileName,
      });
    }
    if (!(values instanceof Float64Array)) {
      throw new ElyteError(
        'invalid-argument',
        `channel "${name}" of ${measurement.fileName} is text, not numbers`,
      );
    }
    return values;
  };
  const x = numeric(input.x);
  const ys = input.y.map(numeric);
  // Decimation buckets by x when x is monotone (time), by row order otherwise (a Nyquist sweep).
  const bucketAxis = isMonotone(x) ? x : rowIndex(x.length);
  const { indices, totalRows, decimated } = decimateMinMax(
    bucketAxis,
    ys,
    input.maxPoints,
    bucketAxis === x ? input.xRange : undefined,
  );
  const y: Record<string, number[]> = {};
  input.y.forEach((name, i) => {
    y[name] = pick(ys[i]!, indices);
  });
  return { x: pick(x, indices), y, totalRows, returnedRows: indices.length, decimated };
}

function rowIndex(n: number): Float64Array {
  const index = new Float64Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  return index;
}
