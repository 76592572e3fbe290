/**
 * `--columns` for generic CSV/TSV/XLSX files: which column is which canonical channel, and its unit.
 *   --columns "time_s=Zeit:s,voltage_V=Spannung:mV,current_A=#3:mA"
 * A column is named by its header text or by `#N` (1-based position). Every pair needs a unit (an
 * empty one only for unitless channels such as `cycle=Zyklus:`).
 */

import type { ColumnMapping } from '../app/measurement';
import { isCanonicalChannel } from '../app/measurement';
import { UsageError } from './output';

export function parseColumnsFlag(text: string, command: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const colon = part.lastIndexOf(':');
    if (eq <= 0 || colon < eq) {
      throw new UsageError(`${command}: --columns entry "${part}" should look like voltage_V=Spannung:mV`);
    }
    const channel = part.slice(0, eq).trim();
    const column = part.slice(eq + 1, colon).trim();
    const unit = part.slice(colon + 1).trim();
    if (!isCanonicalChannel(channel)) {
      throw new UsageError(
        `${command}: --columns: "${channel}" is not a channel name (e.g. time_s, voltage_V, current_A)`,
      );
    }
    if (column === '') throw new UsageError(`${command}: --columns: no column named for ${channel}`);
    const position = /^#(\d+)$/.exec(column);
    mapping[channel] = { column: position ? Number(position[1]) - 1 : column, unit };
  }
  if (Object.keys(mapping).length === 0) throw new UsageError(`${command}: --columns is empty`);
  return mapping;
}
