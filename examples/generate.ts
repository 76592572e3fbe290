/**
 * Writes the reference study as instrument files (examples/reference-study/): for PVH, SiO₂-in-PVH and
 * PVH-in-SiO₂, every measurement of ../shared/docs/reference-study.md from the physical models in
 * models.ts with seeded noise, in BioLogic EC-Lab .mpt and Neware BTSDA CSV layouts; plus
 * manifest.json (file → sample, cell, area, thickness, mass, temperature, technique, role) and
 * truth.json (the numbers the models were built to give: what the analyses must recover).
 *
 *   npx tsx examples/generate.ts
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoManifest, DemoManifestEntry } from '../app/analysis/demo';
import {
  arrheniusSigma,
  blockingSpectrum,
  ccdModel,
  chronoModel,
  fadePlan,
  fitAsinh,
  fullCellModel,
  lithiumSpectrum,
  lsvModel,
  ratePlan,
  symmetricModel,
  type TimeSeries,
} from './models';
import {
  AREA_M2,
  ARRHENIUS_TEMPERATURES_C,
  CYCLING_5C,
  CYCLING_02C,
  LFP_MASS_KG,
  RATES,
  SAMPLES,
  type SampleParameters,
  THICKNESS_M,
} from './study';
import { settingsRow, writeMpt, writeNewareCsv } from './writers';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'reference-study');
const AREA_CM2 = AREA_M2 * 1e4;

const manifest: DemoManifest = { study: 'Liu, Pan et al., Nano-Micro Lett. 17:190 (2025)', files: [] };
const truth: { [sample: string]: { [key: string]: unknown } } = {};
const written = new Map<string, Uint8Array>();
let seed = 100;

function add(entry: DemoManifestEntry, bytes: Uint8Array): void {
  manifest.files.push(entry);
  written.set(entry.file, bytes);
}

function started(day: number): string {
  return `03/${String(day).padStart(2, '0')}/2024 09:${String(day % 60).padStart(2, '0')}:00`;
}

// ------------------------------------------------------------------ per-technique files

function peisFile(
  name: string,
  spectrum: ReturnType<typeof lithiumSpectrum>,
  comments: string[],
  day: number,
) {
  const n = spectrum.frequency_Hz.length;
  const mod = Float64Array.from({ length: n }, (_, i) =>
    Math.hypot(spectrum.z_real_ohm[i]!, spectrum.z_imag_ohm[i]!),
  );
  const phase = Float64Array.from(
    { length: n },
    (_, i) => (Math.atan2(spectrum.z_imag_ohm[i]!, spectrum.z_real_ohm[i]!) * 180) / Math.PI,
  );
  let t = 0;
  const time = Float64Array.from(spectrum.frequency_Hz, (f) => (t += Math.max(0.25, 3 / f)));
  return writeMpt({
    technique: 'Potentio Electrochemical Impedance Spectroscopy',
    settings: [
      settingsRow('Mode', 'Single sine'),
      settingsRow('E (V)', '0.0000'),
      settingsRow('vs.', 'Eoc'),
      settingsRow('fi', '1.000'),
      settingsRow('unit fi', 'MHz'),
      settingsRow('ff', '100.000'),
      settingsRow('unit ff', 'mHz'),
      settingsRow('Nd', '10'),
      settingsRow('Points', 'per decade'),
      settingsRow('spacing', 'Logarithmic'),
      settingsRow('Va (mV)', '10.0'),
      settingsRow('Na', '2'),
    ],
    area_cm2: AREA_CM2,
    comments,
    started: started(day),
    fileName: name,
    columns: [
      { name: 'freq/Hz', values: spectrum.frequency_Hz },
      { name: 'Re(Z)/Ohm', values: spectrum.z_real_ohm },
      { name: '-Im(Z)/Ohm', values: spectrum.z_imag_ohm.map((v) => -v) },
      { name: '|Z|/Ohm', values: mod },
      { name: 'Phase(Z)/deg', values: phase },
      { name: 'time/s', values: time, format: 'e15' },
      { name: '<Ewe>/V', values: new Float64Array(n) },
      { name: '<I>/mA', values: new Float64Array(n) },
      { name: 'cycle number', values: new Float64Array(n).fill(1), format: 'e15' },
    ],
  });
}

function timeSeriesFile(
  name: string,
  technique: string,
  record: TimeSeries,
  control: 'V' | 'mA',
  settings: string[],
  comments: string[],
  day: number,
  mass_mg?: number,
) {
  const mode = Float64Array.from(record.current_A, (i) => (control === 'V' ? 2 : i === 0 ? 3 : 1));
  const oxred = Float64Array.from(record.current_A, (i) => (i > 0 ? 1 : 0));
  return writeMpt({
    technique,
    settings,
    area_cm2: AREA_CM2,
    ...(mass_mg === undefined ? {} : { mass_mg }),
    comments,
    started: started(day),
    fileName: name,
    columns: [
      { name: 'mode', values: mode, format: 'int' },
      { name: 'ox/red', values: oxred, format: 'int' },
      { name: 'time/s', values: record.time_s },
      {
        name: control === 'V' ? 'control/V' : 'control/mA',
        values: control === 'V' ? record.control : record.control.map((a) => a * 1000),
      },
      { name: 'Ewe/V', values: record.voltage_V },
      { name: '<I>/mA', values: record.current_A.map((a) => a * 1000) },
      { name: 'cycle number', values: record.cycle },
    ],
  });
}

const gcplSettings = (currents: string): string[] => [
  settingsRow('Set I/C', 'I'),
  settingsRow('Is', currents),
  settingsRow('unit Is', 'mA'),
  settingsRow('vs.', '<None>'),
  settingsRow('N', '1.00'),
  settingsRow('I sign', '> 0'),
  settingsRow('EM (V)', '5.000'),
  settingsRow('record', 'Ewe'),
];

// ------------------------------------------------------------------ the study

function sample(s: SampleParameters, dayBase: number): void {
  const t: { [key: string]: unknown } = { sample: s.id };
  truth[s.id] = t;
  const base = { sample: s.id, area_m2: AREA_M2 };
  const ssComments = [`${s.id} film ${THICKNESS_M * 1e6} um, SS|CSE|SS coin cell, 16 mm`];

  // Conductivity at 25 °C and the 30–80 °C series (blocking electrodes).
  const eisAt = (T_C: number, role: 'conductivity' | 'arrhenius') => {
    const sigma =
      s.Ea_eV === null ? s.sigma25_S_per_m : arrheniusSigma(s.sigma25_S_per_m, s.Ea_eV, T_C + 273.15);
    const { spectrum, truth: rt } = blockingSpectrum({
      sigma_S_per_m: sigma,
      thickness_m: THICKNESS_M,
      area_m2: AREA_M2,
      seed: seed++,
    });
    const file = `${s.slug}_ss-eis_${T_C}C.mpt`;
    add(
      {
        ...base,
        file,
        cell: 'SS|CSE|SS',
        technique: 'PEIS',
        role,
        thickness_m: THICKNESS_M,
        temperature_C: T_C,
        description: `${s.id}: impedance of the blocking cell at ${T_C} °C`,
      },
      peisFile(file, spectrum, [...ssComments, `${T_C} C`], dayBase),
    );
    return { sigma_S_per_cm: sigma / 100, R_bulk_ohm: rt.R_bulk_ohm };
  };
  t.sigma_25C = eisAt(25, 'conductivity');
  if (s.Ea_eV !== null) {
    t.arrhenius = ARRHENIUS_TEMPERATURES_C.map((T) => ({ T_C: T, ...eisAt(T, 'arrhenius') }));
    t.Ea_eV = s.Ea_eV;
  }

  // Bruce–Vincent: Li‖Li EIS before, 10 mV polarisation, EIS after.
  const R_bulk = THICKNESS_M / (s.sigma25_S_per_m * AREA_M2);
  const cell = { R_bulk_ohm: R_bulk, R_sei_ohm: 10 };
  const liComments = [`${s.id} film, Li|CSE|Li coin cell, 16 mm`];
  const chrono = chronoModel({
    dV_V: 0.01,
    ...cell,
    R0_ohm: s.R0_ohm,
    Rs_ohm: s.Rs_ohm,
    t_plus: s.t_plus,
    seed: seed++,
  });
  t.transference = chrono.truth;
  const liEntry = { ...base, cell: 'Li|CSE|Li', thickness_m: THICKNESS_M, temperature_C: 25 };
  for (const [when, R] of [
    ['before', s.R0_ohm],
    ['after', s.Rs_ohm],
  ] as const) {
    const file = `${s.slug}_li-li_peis-${when}.mpt`;
    add(
      {
        ...liEntry,
        file,
        technique: 'PEIS',
        role: when === 'before' ? 'eis-before' : 'eis-after',
        description: `${s.id}: Li‖Li impedance ${when} the DC polarisation`,
      },
      peisFile(file, lithiumSpectrum({ ...cell, R_int_ohm: R, seed: seed++ }), liComments, dayBase + 1),
    );
  }
  const caFile = `${s.slug}_li-li_ca-10mV.mpt`;
  add(
    {
      ...liEntry,
      file: caFile,
      technique: 'CA',
      role: 'chrono',
      description: `${s.id}: 10 mV DC polarisation for 4 h (Bruce–Vincent)`,
    },
    timeSeriesFile(
      caFile,
      'Chronoamperometry / Chronocoulometry',
      chrono.record,
      'V',
      [settingsRow('Ei (V)', '0.010'), settingsRow('vs.', 'Eoc'), settingsRow('ti (h:m:s)', '4:00:0.0000')],
      liComments,
      dayBase + 1,
    ),
  );

  // LSV, Li|CSE|SS, 1 mV/s.
  const lsv = lsvModel({
    onset_V: s.onset_V,
    area_m2: AREA_M2,
    seed: seed++,
    ...(s.lsvPeak ? { peak: s.lsvPeak } : {}),
  });
  t.lsv = { onset_V: lsv.truth.onset_V, threshold_mA_per_cm2: 0.01 };
  const lsvFile = `${s.slug}_li-ss_lsv.mpt`;
  add(
    {
      ...base,
      file: lsvFile,
      cell: 'Li|CSE|SS',
      technique: 'LSV',
      role: 'lsv',
      temperature_C: 25,
      description: `${s.id}: anodic LSV at 1 mV/s from OCV`,
    },
    timeSeriesFile(
      lsvFile,
      'Linear Sweep Voltammetry',
      lsv.record,
      'V',
      [settingsRow('Ei (V)', '3.000'), settingsRow('dE/dt', '1.000'), settingsRow('unit dE/dt', 'mV/s')],
      [`${s.id} film, Li|CSE|SS`],
      dayBase + 2,
    ),
  );

  // CCD: 0.05 mA cm⁻² steps, 0.5 h per half cycle.
  const kinetics = fitAsinh(1, s.eta_1, 2, s.eta_2);
  const ccd = ccdModel({
    area_m2: AREA_M2,
    ccd_A_per_m2: s.ccd_A_per_m2,
    ...{ c_V: kinetics.c_V, j0_A_per_m2: kinetics.j0 },
    seed: seed++,
  });
  t.ccd = {
    ccd_mA_per_cm2: ccd.truth.ccd_A_per_m2 / 10,
    failure_mA_per_cm2: ccd.truth.failure_A_per_m2 / 10,
    failure_time_h: ccd.truth.failureTime_s / 3600,
    steps: ccd.truth.steps.map((x) => ({
      mA_per_cm2: x.density_A_per_m2 / 10,
      overpotential_mV: x.overpotential_V * 1000,
    })),
  };
  const ccdFile = `${s.slug}_li-li_ccd.mpt`;
  add(
    {
      ...liEntry,
      file: ccdFile,
      technique: 'GCPL',
      role: 'ccd',
      description: `${s.id}: stepped current 0.05 mA/cm² per step, 0.5 h per half cycle`,
    },
    timeSeriesFile(
      ccdFile,
      'Galvanostatic Cycling with Potential Limitation',
      ccd.record,
      'mA',
      gcplSettings('0.010'),
      liComments,
      dayBase + 3,
    ),
  );

  // Long Li‖Li at 0.1 and 0.2 mA cm⁻², 1 h per half cycle, 1000 h at most.
  t.lili = [];
  for (const [j, eta, life] of [
    [1, s.eta_1, s.life_1_h],
    [2, s.eta_2, s.life_2_h],
  ] as const) {
    const run = symmetricModel({
      area_m2: AREA_M2,
      density_A_per_m2: j,
      eta0_V: eta,
      trend_V_per_s: s.trend_V_per_s,
      // The short sets in 3 min before the paper's life, so the first row after it falls on that hour.
      shortAt_s: life === null ? null : life * 3600 - 180,
      duration_s: 1000 * 3600,
      seed: seed++,
    });
    (t.lili as unknown[]).push({
      current_mA_per_cm2: j / 10,
      overpotential_mV: run.truth.overpotential_V * 1000,
      life_h: life,
      record_h: run.truth.record_s / 3600,
    });
    const file = `${s.slug}_li-li_${(j / 10).toFixed(1)}mA-cm2.mpt`;
    add(
      {
        ...liEntry,
        file,
        technique: 'GCPL',
        role: 'symmetric',
        currentDensity_A_per_m2: j,
        description: `${s.id}: Li‖Li cycling at ${(j / 10).toFixed(1)} mA/cm², 1 h per half cycle`,
      },
      timeSeriesFile(
        file,
        'Galvanostatic Cycling with Potential Limitation',
        run.record,
        'mA',
        gcplSettings((j * AREA_CM2 * 0.1).toFixed(3)),
        liComments,
        dayBase + 4,
      ),
    );
  }

  // LFP full cells: rate capability (Neware CSV), 5 cycles per rate.
  const fullEntry = { ...base, cell: 'LFP|CSE|Li', mass_kg: LFP_MASS_KG, temperature_C: 25 };
  const plan = ratePlan(
    RATES.map((cRate, i) => ({ cRate, discharge_mAh_per_g: s.rate_mAh_per_g[i]! })),
    5,
  );
  const rate = fullCellModel({
    mass_kg: LFP_MASS_KG,
    plan,
    polarisation_at_2C_V: s.polarisation_2C_V,
    rows: 14,
    seed: seed++,
  });
  const at2C = rate.truth.cycles.filter((c) => c.cRate === 2);
  t.rate = {
    steps: RATES.map((c, i) => ({ c_rate: c, discharge_mAh_per_g: s.rate_mAh_per_g[i] })),
    polarisation_2C_V: at2C.reduce((sum, c) => sum + c.meanCharge_V - c.meanDischarge_V, 0) / at2C.length,
  };
  const rateFile = `${s.slug}_lfp_rate.csv`;
  add(
    {
      ...fullEntry,
      file: rateFile,
      technique: 'CC',
      role: 'rate',
      description: `${s.id}: LFP‖Li rate capability 0.1–5 C and back to 0.1 C, 5 cycles each, 2.5–3.8 V`,
    },
    writeNewareCsv({
      ...rate.record,
      mass_g: LFP_MASS_KG * 1000,
      start: new Date(Date.UTC(2024, 3, dayBase)),
    }),
  );

  // Long cycling.
  t.cycling = [];
  const long = (cRate: number, plan: ReturnType<typeof fadePlan>, format: 'csv' | 'mpt', rows: number) => {
    const run = fullCellModel({
      mass_kg: LFP_MASS_KG,
      plan,
      polarisation_at_2C_V: s.polarisation_2C_V,
      rows,
      seed: seed++,
    });
    const caps = run.truth.cycles.map((c) => c.discharge_mAh_per_g);
    (t.cycling as unknown[]).push({
      c_rate: cRate,
      cycles: caps.length,
      first_mAh_per_g: caps[0],
      max_mAh_per_g: Math.max(...caps),
      last_mAh_per_g: caps[caps.length - 1],
      retention_pct: (100 * caps[caps.length - 1]!) / caps[0]!,
      mean_ce_pct: (100 * run.truth.cycles.reduce((sum, c) => sum + c.ce, 0)) / caps.length,
    });
    const file = `${s.slug}_lfp_${cRate}C.${format}`;
    const entry: DemoManifestEntry = {
      ...fullEntry,
      file,
      technique: format === 'csv' ? 'CC' : 'GCPL',
      role: 'cycling',
      cRate,
      description: `${s.id}: LFP‖Li cycling at ${cRate} C, ${caps.length} cycles`,
    };
    add(
      entry,
      format === 'csv'
        ? writeNewareCsv({
            ...run.record,
            mass_g: LFP_MASS_KG * 1000,
            start: new Date(Date.UTC(2024, 4, dayBase)),
          })
        : timeSeriesFile(
            file,
            'Galvanostatic Cycling with Potential Limitation',
            run.record,
            'mA',
            gcplSettings('0.000'),
            [`${s.id} film, LFP|CSE|Li, LFP 2.0 mg/cm2`],
            dayBase + 6,
            LFP_MASS_KG * 1e6,
          ),
    );
  };
  if (s.id === 'PVH-in-SiO2') {
    long(
      0.2,
      fadePlan({
        cRate: 0.2,
        cycles: CYCLING_02C.cycles,
        first: CYCLING_02C.first,
        peak: CYCLING_02C.peak,
        peakCycle: CYCLING_02C.peakCycle,
        last: (CYCLING_02C.first * CYCLING_02C.retention_pct) / 100,
      }),
      'csv',
      8,
    );
    long(
      5,
      fadePlan({
        cRate: 5,
        cycles: CYCLING_5C.cycles,
        first: CYCLING_5C.first,
        last: (CYCLING_5C.first * CYCLING_5C.retention_pct) / 100,
      }),
      'mpt',
      8,
    );
  }
  if (s.cycling3C) {
    const c = s.cycling3C;
    long(
      3,
      fadePlan({ cRate: 3, cycles: 300, first: c.first, last: (c.first * c.retention_pct) / 100 }),
      'mpt',
      8,
    );
  }
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const [i, s] of SAMPLES.entries()) sample(s, 1 + 8 * i);
for (const [name, bytes] of written) writeFileSync(join(OUT, name), bytes);
writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(join(OUT, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
let total = 0;
for (const name of readdirSync(OUT)) total += statSync(join(OUT, name)).size;
console.log(
  `wrote ${written.size} instrument files + manifest.json + truth.json to ${OUT}: ${(total / 1e6).toFixed(2)} MB`,
);
