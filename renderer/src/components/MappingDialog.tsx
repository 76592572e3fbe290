/**
 * Column mapping for a generic CSV/TSV/XLSX: which column is time, voltage, current, frequency or
 * impedance, and in which unit. The library remembers the mapping for the header layout.
 */
import { useEffect, useState } from 'react';
import type { TableColumnsReport } from '../../../app/api/types';
import { api } from '../api/client';
import { errorText } from '../hooks/useApi';
import { ErrorLine } from './Status';

const CHANNELS = [
  ['time_s', 'time', ['s', 'min', 'h', 'ms']],
  ['voltage_V', 'voltage', ['V', 'mV']],
  ['current_A', 'current', ['A', 'mA', 'µA', 'nA']],
  ['capacity_Ah', 'capacity', ['Ah', 'mAh']],
  ['frequency_Hz', 'frequency', ['Hz', 'kHz', 'MHz']],
  ['z_real_ohm', 'Z′ (real)', ['Ω', 'kΩ', 'mΩ']],
  ['z_imag_ohm', 'Z″ (imaginary)', ['Ω', 'kΩ', 'mΩ']],
  ['temperature_C', 'temperature', ['°C', 'K']],
  ['cycle', 'cycle number', ['']],
] as const;

export type Mapping = Record<string, { column: string | number; unit: string }>;

export function MappingDialog({
  name,
  bytes,
  onApply,
  onCancel,
}: {
  name: string;
  bytes: Uint8Array;
  onApply: (mapping: Mapping) => void;
  onCancel: () => void;
}) {
  const [report, setReport] = useState<TableColumnsReport | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .call('files.columns', { name, bytes })
      .then((value) => {
        setReport(value);
        setMapping(value.remembered ?? value.suggested);
      })
      .catch((failure: unknown) => setError(errorText(failure)));
  }, [name, bytes]);
  return (
    <dialog
      open
      className="mapping-dialog"
      aria-label={`Map the columns of ${name}`}
      data-testid="mapping-dialog"
    >
      <h3>Columns of {name}</h3>
      <ErrorLine error={error} />
      {report && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onApply(mapping);
          }}
        >
          <table>
            <tbody>
              {CHANNELS.map(([channel, label, units]) => {
                const current = mapping[channel];
                return (
                  <tr key={channel}>
                    <th scope="row">{label}</th>
                    <td>
                      <select
                        aria-label={`Column for ${label}`}
                        data-testid={`map-${channel}`}
                        value={current ? String(current.column) : ''}
                        onChange={(e) => {
                          const next = { ...mapping };
                          if (e.target.value === '') delete next[channel];
                          else next[channel] = { column: e.target.value, unit: current?.unit ?? units[0] };
                          setMapping(next);
                        }}
                      >
                        <option value="">—</option>
                        {report.headers.map((h) => (
                          <option key={h} value={h}>
                            {h}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {units.length > 1 && (
                        <select
                          aria-label={`Unit of ${label}`}
                          value={current?.unit ?? units[0]}
                          disabled={!current}
                          onChange={(e) =>
                            current &&
                            setMapping({ ...mapping, [channel]: { ...current, unit: e.target.value } })
                          }
                        >
                          {units.map((u) => (
                            <option key={u}>{u}</option>
                          ))}
                        </select>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="submit"
            className="primary"
            data-testid="mapping-apply"
            disabled={Object.keys(mapping).length === 0}
          >
            Import with this mapping
          </button>{' '}
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </form>
      )}
    </dialog>
  );
}
