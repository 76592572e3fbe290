/**
 * The reference study from raw files: parses every bundled instrument file (parseInstrumentFile),
 * runs the analysis its manifest entry names with the cell's metadata, and assembles the study's table
 * per sample — σ, Ea, t₊, LSV onset, CCD, Li‖Li overpotential and life, rate capability, polarisation,
 * retention. Pure: bytes and manifest in, table out. A refusal becomes an entry in `errors` and a null
 * in the table, never a silent number.
 */
import { arrhenius, bulkResistance, conductivity, fitCircuit } from '../eis';
import type { Spectrum } from '../eis/types';
import { ElyteError, toErrorInfo } from '../errors';
import { parseInstrumentFile } from '../formats';
import type { Measurement } from '../measurement';
import { analyseCcd } from './ccd';
import { C_PER_KG_PER_MAH_PER_G } from './common';
import { analyseCycling } from './cycling';
import { analyseLsv } from './lsv';
import { analyseSymmetric } from './symmetric';
import { analyseTransference } from './transference';

export type DemoRole =
  | 'conductivity'
  | 'arrhenius'
  | 'chrono'
  | 'eis-before'
  | 'eis-after'
  | 'lsv'
  | 'ccd'
  | 'symmetric'
  | 'rate'
  | 'cycling';

export interface DemoManifestEntry {
  file: string;
  sample: string;
  /** 'SS|CSE|SS', 'Li|CSE|Li', 'Li|CSE|SS', 'LFP|CSE|Li'. */
  cell: string;
  /** The technique as the instrument names it (PEIS, CA, LSV, GCPL, CC-CV…). */
  technique: string;
  role: DemoRole;
  area_m2: number;
  thickness_m?: number;
  mass_kg?: number;
  temperature_C: number;
  /** Li‖Li: the nominal current density; full cells: the C-rate of the run. */
  currentDensity_A_per_m2?: number;
  cRate?: number;
  description: string;
}

export interface DemoManifest {
  study: string;
  /** Circuit fitted to the blocking-electrode spectra (default 'R0-CPE1': the bulk arc lies above 1 MHz). */
  conductivityCircuit?: string;
  files: DemoManifestEntry[];
}

export interface DemoLiLi {
  current_mA_per_cm2: number;
  overpotential_mV: number;
  /** Time to short, h; null when the record ends without one (then see record_h). */
  life_h: number | null;
  record_h: number;
}

export interface DemoCycling {
  c_rate: number;
  cycles: number;
  first_mAh_per_g: number;
  max_mAh_per_g: number;
  last_mAh_per_g: number;
  retention_pct: number;
  mean_ce_pct: number;
}

export interface DemoRow {
  sample: string;
  sigma_S_per_cm: number | null;
  sigma_S_per_cm_stderr: number | null;
  Ea_eV: number | null;
  Ea_eV_stderr: number | null;
  t_plus: number | null;
  t_plus_stderr: number | null;
  onset_V: number | null;
  onset_tangent_V: number | null;
  ccd_mA_per_cm2: number | null;
  lili: DemoLiLi[];
  rate: { c_rate: number; discharge_mAh_per_g: number; recovery: boolean }[];
  polarisation_2C_V: number | null;
  cycling: DemoCycling[];
}

export interface DemoTable {
  study: string;
  samples: DemoRow[];
  errors: { file: string; message: string }[];
}

export function runDemo(files: { name: string; bytes: Uint8Array }[], manifest: DemoManifest): DemoTable {
  if (!manifest || !Array.isArray(manifest.files)) {
    throw new ElyteError('invalid-argument', 'the demo manifest has no "files" list', { where: 'manifest' });
  }
  const bytesByName = new Map(files.map((f) => [f.name, f.bytes]));
  const errors: DemoTable['errors'] = [];
  const parsed = new Map<string, Measurement>();
  const measurement = (entry: DemoManifestEntry): Measurement => {
    const cached = parsed.get(entry.file);
    if (cached) return cached;
    const bytes = bytesByName.get(entry.file);
    if (!bytes)
      throw new ElyteError('not-found', 'listed in the manifest but not among the files', {
        file: entry.file,
      });
    const m = parseInstrumentFile(bytes, entry.file);
    parsed.set(entry.file, m);
    return m;
  };
  const attempt = <T>(entry: DemoManifestEntry, run: () => T): T | null => {
    try {
      return run();
    } catch (error) {
      errors.push({ file: entry.file, message: toErrorInfo(error, entry.file).message });
      return null;
    }
  };
  const circuit = manifest.conductivityCircuit ?? 'R0-CPE1';
  const sigmaOf = (entry: DemoManifestEntry) => {
    const m = measurement(entry);
    if (m.kind !== 'eis')
      throw new ElyteError('analysis', `expected an EIS file, got ${m.kind}`, { file: entry.file });
    const spectrum = spectrumOf(m);
    const fit = fitCircuit(spectrum, circuit);
    const bulk = bulkResistance(fit, spectrum);
    if (entry.thickness_m === undefined) {
      throw new ElyteError('analysis', 'the manifest gives no film thickness for σ', { file: entry.file });
    }
    return conductivity({
      resistance_ohm: bulk.R_ohm,
      resistance_stderr_ohm: bulk.R_stderr_ohm,
      thickness_m: entry.thickness_m,
      area_m2: entry.area_m2,
    });
  };

  const samples = [...new Set(manifest.files.map((f) => f.sample))];
  const rows = samples.map((sample): DemoRow => {
    const entries = manifest.files.filter((f) => f.sample === sample);
    const byRole = (role: DemoRole) => entries.filter((e) => e.role === role);
    const row: DemoRow = {
      sample,
      sigma_S_per_cm: null,
      sigma_S_per_cm_stderr: null,
      Ea_eV: null,
      Ea_eV_stderr: null,
      t_plus: null,
      t_plus_stderr: null,
      onset_V: null,
      onset_tangent_V: null,
      ccd_mA_per_cm2: null,
      lili: [],
      rate: [],
      polarisation_2C_V: null,
      cycling: [],
    };

    for (const entry of byRole('conductivity')) {
      const sigma = attempt(entry, () => sigmaOf(entry));
      if (sigma) {
        row.sigma_S_per_cm = sigma.sigma_S_per_m / 100;
        row.sigma_S_per_cm_stderr =
          sigma.sigma_stderr_S_per_m === null ? null : sigma.sigma_stderr_S_per_m / 100;
      }
    }
    const series = byRole('arrhenius');
    if (series.length >= 2) {
      const points = series.flatMap((entry) => {
        const sigma = attempt(entry, () => sigmaOf(entry));
        return sigma
          ? [
              {
                T_K: entry.temperature_C + 273.15,
                sigma_S_per_m: sigma.sigma_S_per_m,
                sigma_stderr_S_per_m: sigma.sigma_stderr_S_per_m,
              },
            ]
          : [];
      });
      const fit = attempt(series[0]!, () => arrhenius(points));
      if (fit) {
        row.Ea_eV = fit.Ea_eV;
        row.Ea_eV_stderr = fit.Ea_eV_stderr;
      }
    }

    const chrono = byRole('chrono')[0];
    const before = byRole('eis-before')[0];
    const after = byRole('eis-after')[0];
    if (chrono && before && after) {
      const t = attempt(chrono, () =>
        analyseTransference(measurement(chrono), measurement(before), measurement(after), fitCircuit),
      );
      if (t) {
        row.t_plus = t.t_plus;
        row.t_plus_stderr = t.t_plus_stderr;
      }
    }

    for (const entry of byRole('lsv')) {
      const r = attempt(entry, () => analyseLsv(measurement(entry), { area_m2: entry.area_m2 }));
      if (r) {
        row.onset_V = r.onset_V;
        row.onset_tangent_V = r.tangentOnset_V;
      }
    }
    for (const entry of byRole('ccd')) {
      const r = attempt(entry, () => analyseCcd(measurement(entry), { area_m2: entry.area_m2 }));
      if (r) row.ccd_mA_per_cm2 = r.ccd_A_per_m2 / 10;
    }
    for (const entry of byRole('symmetric')) {
      const r = attempt(entry, () => analyseSymmetric(measurement(entry), { area_m2: entry.area_m2 }));
      if (r) {
        row.lili.push({
          current_mA_per_cm2: r.currentDensity_A_per_m2 / 10,
          overpotential_mV: r.overpotential_V * 1000,
          life_h: r.failureTime_s === null ? null : r.failureTime_s / 3600,
          record_h: r.recordDuration_s / 3600,
        });
      }
    }
    row.lili.sort((a, b) => a.current_mA_per_cm2 - b.current_mA_per_cm2);

    for (const entry of byRole('rate')) {
      const r = attempt(entry, () => analyseCycling(measurement(entry), cyclingOptions(entry)));
      if (!r) continue;
      row.rate = r.rateSteps.flatMap((s) =>
        s.meanDischargeSpecific_C_per_kg === null
          ? []
          : [
              {
                c_rate: s.cRate,
                discharge_mAh_per_g: s.meanDischargeSpecific_C_per_kg / C_PER_KG_PER_MAH_PER_G,
                recovery: s.recovery,
              },
            ],
      );
      const at2C = r.cycles.filter(
        (c) => c.cRate !== null && Math.abs(c.cRate - 2) < 0.1 && c.polarisation_V !== null,
      );
      if (at2C.length > 0)
        row.polarisation_2C_V = at2C.reduce((s, c) => s + c.polarisation_V!, 0) / at2C.length;
    }
    for (const entry of byRole('cycling')) {
      const r = attempt(entry, () => analyseCycling(measurement(entry), cyclingOptions(entry)));
      if (!r || r.retention_pct === null || r.meanEfficiency === null) continue;
      const capacities = r.cycles
        .filter((c) => c.cycle > 0 && c.dischargeSpecific_C_per_kg !== null)
        .map((c) => c.dischargeSpecific_C_per_kg! / C_PER_KG_PER_MAH_PER_G);
      row.cycling.push({
        c_rate: entry.cRate ?? r.rateSteps[0]?.cRate ?? 0,
        cycles: capacities.length,
        first_mAh_per_g: capacities[0]!,
        max_mAh_per_g: Math.max(...capacities),
        last_mAh_per_g: capacities[capacities.length - 1]!,
        retention_pct: r.retention_pct,
        mean_ce_pct: r.meanEfficiency * 100,
      });
    }
    row.cycling.sort((a, b) => a.c_rate - b.c_rate);
    return row;
  });
  return { study: manifest.study, samples: rows, errors };
}

function cyclingOptions(entry: DemoManifestEntry) {
  if (entry.mass_kg === undefined) {
    throw new ElyteError('analysis', 'the manifest gives no active mass for this full cell', {
      file: entry.file,
    });
  }
  return { mass_kg: entry.mass_kg, leading: 'charge' as const };
}

function spectrumOf(m: Measurement): Spectrum {
  const { frequency_Hz, z_real_ohm, z_imag_ohm } = m.channels;
  if (!frequency_Hz || !z_real_ohm || !z_imag_ohm) {
    throw new ElyteError('analysis', 'the spectrum lacks frequency or impedance columns', {
      file: m.fileName,
    });
  }
  return { frequency_Hz, z_real_ohm, z_imag_ohm };
}
