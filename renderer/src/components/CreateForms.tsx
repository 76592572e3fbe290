/**
 * Inline creation of the library's records (sample → batch → cell), used by the import screen and
 * the library. Fields arrive as text and are converted to SI here, at the edge.
 */
import { useState } from 'react';
import { api } from '../api/client';
import { errorText } from '../hooks/useApi';
import { ErrorLine, tidy } from './Status';

export const CELL_TYPES = ['SS‖E‖SS', 'Li‖E‖Li', 'LFP‖E‖Li', 'NCM622‖E‖Li', 'NVP‖E‖Na', 'KPB‖E‖K'] as const;
export const FAMILIES = ['PVH', 'SiO₂-in-PVH', 'PVH-in-SiO₂'] as const;

export function NewSampleForm({ onCreated }: { onCreated: (id: number) => void }) {
  const [name, setName] = useState('');
  const [family, setFamily] = useState<string>(FAMILIES[0]);
  const [cation, setCation] = useState<'Li' | 'Na' | 'K'>('Li');
  const [salt, setSalt] = useState('LiTFSI');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="inline-form"
      data-testid="new-sample-form"
      onSubmit={(event) => {
        event.preventDefault();
        api
          .call('samples.create', { name, family, cation, salt })
          .then((created) => {
            setName('');
            setError(null);
            onCreated(created.id);
          })
          .catch((failure: unknown) => setError(errorText(failure)));
      }}
    >
      <input
        aria-label="Sample name"
        data-testid="new-sample-name"
        placeholder="Sample name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <input aria-label="Family" list="families" value={family} onChange={(e) => setFamily(e.target.value)} />
      <datalist id="families">
        {FAMILIES.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <select aria-label="Cation" value={cation} onChange={(e) => setCation(e.target.value as typeof cation)}>
        <option>Li</option>
        <option>Na</option>
        <option>K</option>
      </select>
      <input aria-label="Salt" value={salt} onChange={(e) => setSalt(e.target.value)} />
      <button type="submit" data-testid="new-sample-submit">
        Add sample
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

export function NewBatchForm({ sampleId, onCreated }: { sampleId: number; onCreated: (id: number) => void }) {
  const [name, setName] = useState('A');
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [operator, setOperator] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="inline-form"
      data-testid="new-batch-form"
      onSubmit={(event) => {
        event.preventDefault();
        api
          .call('batches.create', { sampleId, name, date, operator })
          .then((created) => onCreated(created.id))
          .catch((failure: unknown) => setError(errorText(failure)));
      }}
    >
      <input
        aria-label="Batch name"
        data-testid="new-batch-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <input aria-label="Batch date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      <input
        aria-label="Operator"
        placeholder="operator"
        value={operator}
        onChange={(e) => setOperator(e.target.value)}
      />
      <button type="submit" data-testid="new-batch-submit">
        Add batch
      </button>
      <ErrorLine error={error} />
    </form>
  );
}

export interface CellPrefill {
  area_m2?: number;
  thickness_m?: number;
  activeMass_kg?: number;
}

export function NewCellForm({
  batchId,
  prefill = {},
  onCreated,
}: {
  batchId: number;
  prefill?: CellPrefill;
  onCreated: (id: number) => void;
}) {
  const [name, setName] = useState('cell 1');
  const [cellType, setCellType] = useState<string>(CELL_TYPES[0]);
  const [area, setArea] = useState(prefill.area_m2 ? tidy(prefill.area_m2 * 1e4) : '');
  const [thickness, setThickness] = useState(prefill.thickness_m ? tidy(prefill.thickness_m * 1e6) : '');
  const [mass, setMass] = useState(prefill.activeMass_kg ? tidy(prefill.activeMass_kg * 1e6) : '');
  const [error, setError] = useState<string | null>(null);
  const number = (text: string, scale: number) => (text.trim() === '' ? null : Number(text) * scale);
  return (
    <form
      className="inline-form"
      data-testid="new-cell-form"
      onSubmit={(event) => {
        event.preventDefault();
        const values = {
          area: number(area, 1e-4),
          thickness: number(thickness, 1e-6),
          mass: number(mass, 1e-6),
        };
        for (const [field, value] of Object.entries(values)) {
          if (value !== null && !(value > 0)) {
            setError(
              `${field}: "${field === 'area' ? area : field === 'thickness' ? thickness : mass}" is not a positive number`,
            );
            return;
          }
        }
        api
          .call('cells.create', {
            batchId,
            name,
            cellType,
            area_m2: values.area,
            thickness_m: values.thickness,
            activeMass_kg: values.mass,
          })
          .then((created) => onCreated(created.id))
          .catch((failure: unknown) => setError(errorText(failure)));
      }}
    >
      <input
        aria-label="Cell name"
        data-testid="new-cell-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <select
        aria-label="Cell type"
        data-testid="new-cell-type"
        value={cellType}
        onChange={(e) => setCellType(e.target.value)}
      >
        {CELL_TYPES.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      <label>
        area / cm²{' '}
        <input
          data-testid="new-cell-area"
          inputMode="decimal"
          value={area}
          onChange={(e) => setArea(e.target.value)}
        />
      </label>
      <label>
        thickness / µm{' '}
        <input
          data-testid="new-cell-thickness"
          inputMode="decimal"
          value={thickness}
          onChange={(e) => setThickness(e.target.value)}
        />
      </label>
      <label>
        active mass / mg <input inputMode="decimal" value={mass} onChange={(e) => setMass(e.target.value)} />
      </label>
      <button type="submit" data-testid="new-cell-submit">
        Add cell
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
