/** The key numbers after σ, as header and row cells, shared by the library and compare tables. */
import type { KeyNumbers } from '../../../app/api/types';
import { formatNumber } from './Status';

const COLUMNS: [keyof KeyNumbers, string, number][] = [
  ['Ea_eV', 'Ea / eV', 3],
  ['t_plus', 't₊', 2],
  ['onset_V', 'onset / V', 3],
  ['ccd_mA_per_cm2', 'CCD / mA cm⁻²', 2],
  ['retention_pct', 'retention / %', 3],
];

export function KeyNumberHeaders() {
  return (
    <>
      {COLUMNS.map(([key, label]) => (
        <th key={key} scope="col">
          {label}
        </th>
      ))}
    </>
  );
}

export function KeyNumberCells({ numbers }: { numbers: KeyNumbers }) {
  return (
    <>
      {COLUMNS.map(([key, , digits]) => (
        <td key={key}>{formatNumber(numbers[key], digits)}</td>
      ))}
    </>
  );
}
