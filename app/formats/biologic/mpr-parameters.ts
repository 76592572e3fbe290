/**
 * Technique parameters of the .mpr settings module ("VMP Set"): the per-sequence table EC-Lab prints in
 * an .mpt header ("Ns 0 1 2", "Is 0.000 130.000 …"). BioLogic does not document it. Body layout: at one
 * of a few offsets (it moves between EC-Lab versions) a u16 sequence count and a u16 field count, then
 * the sequences back to back, packed little-endian. The field lists (EC-Lab's name, binary type) per
 * technique and generation are facts from yadg's reverse engineering (dgbowl/yadg, techniques.py);
 * their decoding here was checked against the .mpl logs in ../shared/data and 39 public .mpr/.mpt twin
 * pairs (`scripts/compare-twins.ts`).
 *
 * The result uses the .mpt reader's keys ("param Is": "0 | 130 | 130"), so both files of one run file
 * their parameters the same way.
 */

type FieldType = 'u1' | 'u2' | 'u4' | 'f4';

const FIELD_BYTES: Readonly<Record<FieldType, number>> = { u1: 1, u2: 2, u4: 4, f4: 4 };

interface Field {
  name: string;
  type: FieldType;
}

/** 'old': EC-Lab before 11.50 (short module headers); 'new': 11.50 and BT-Lab; 'any': both. */
type Generation = 'old' | 'new' | 'any';

interface Variant {
  generation: Generation;
  fields: readonly Field[];
  bytes: number;
}

/** "Set I/C u1; Is f4; …" → fields (a name may hold spaces and colons; the type is the last word). */
function variant(generation: Generation, spec: string): Variant {
  const fields = spec.split('; ').map((entry) => {
    const cut = entry.lastIndexOf(' ');
    return { name: entry.slice(0, cut), type: entry.slice(cut + 1) as FieldType };
  });
  return { generation, fields, bytes: fields.reduce((sum, f) => sum + FIELD_BYTES[f.type], 0) };
}

/** Technique ids (first byte of the settings module) → the field lists seen for them. */
const LAYOUTS: readonly { ids: readonly number[]; variants: readonly Variant[] }[] = [
  {
    ids: [0x04, 0x77], // GCPL
    variants: [
      variant(
        'old',
        "Set I/C u1; Is f4; unit Is u1; unit Is vs. u1; N f4; I sign u1; t1 (h:m:s) f4; I Range u1; Bandwidth u1; dE1 (mV) f4; dt1 (s) f4; EM (V) f4; tM (h:m:s) f4; Im f4; unit Im u1; dI/dt f4; dunit dI/dt u1; E range min (V) f4; E range max (V) f4; dq f4; unit dq u1; dtq (s) f4; dQM f4; unit dQM u1; dxM f4; tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; EL (V) f4; goto Ns' u4; nc cycles u4",
      ),
      variant(
        'old',
        "Set I/C u1; Is f4; unit Is u1; unit Is vs. u1; N f4; I sign u1; t1 (h:m:s) f4; I Range u1; Bandwidth u1; dE1 (mV) f4; dt1 (s) f4; EM (V) f4; tM (h:m:s) f4; Im f4; unit Im u1; dI/dt f4; dunit dI/dt u1; E range min (V) f4; E range max (V) f4; dq f4; unit dq u1; dtq (s) f4; dQM f4; unit dQM u1; dxM f4; delta SoC (%) f4; tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; EL (V) f4; goto Ns' u4; nc cycles u4",
      ),
      variant(
        'new',
        "Set I/C u1; Is f4; unit Is u1; unit Is vs. u4; N f4; I sign u4; t1 (h:m:s) f4; I Range u1; Bandwidth u1; dE1 (mV) f4; dt1 (s) f4; EM (V) f4; tM (h:m:s) f4; Im f4; unit Im u1; dI/dt f4; dunit dI/dt u1; E range min (V) f4; E range max (V) f4; dq f4; unit dq u1; dtq (s) f4; dQM f4; unit dQM u1; dxM f4; delta SoC (%) f4; tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; EL (V) f4; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x06, 0x30], // CV
    variants: [
      variant(
        'old',
        'Ei (V) f4; Ei (V) vs. u1; dE/dt f4; dE/dt unit u1; E1 (V) f4; E1 (V) vs. u1; Step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; E2 (V) f4; E2 (V) vs. u1; nc cycles u4; Reverse Scan u1; Ef (V) f4; Ef (V) vs. u1',
      ),
      variant(
        'new',
        'Ei (V) f4; Ei (V) vs. u4; dE/dt f4; dE/dt unit u1; E1 (V) f4; E1 (V) vs. u4; Step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; E2 (V) f4; E2 (V) vs. u4; nc cycles u4; Reverse Scan u4; Ef (V) f4; Ef (V) vs. u4',
      ),
    ],
  },
  {
    ids: [0x0b], // OCV
    variants: [
      variant(
        'any',
        'tR (h:m:s) f4; dER/dt (mV/h) f4; record u1; dER (mV) f4; dtR (s) f4; E range min (V) f4; E range max (V) f4',
      ),
      variant(
        'any',
        'tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; E range min (V) f4; E range max (V) f4',
      ),
    ],
  },
  {
    ids: [0x16], // MP
    variants: [
      variant(
        'new',
        "Mode u4; tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; Es (V) f4; Es (V) vs. u4; ts (h:m:s) f4; dE/dt f4; dE/dt unit u1; Ei (V) f4; Ei (V) vs. u4; Ef (V) f4; Ef (V) vs. u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; record u1; dIp f4; unit dIp u1; dQp f4; unit dQp u1; dtp (s) f4; dts (s) f4; step percent u1; N u4; dQM f4; unit dQM u1; Imax f4; unit Imax u1; Imin f4; unit Imin u1; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x18], // CA
    variants: [
      variant(
        'old',
        "Ei (V) f4; Ei (V) vs. u1; ti (h:m:s) f4; Imax f4; unit Imax u1; Imin f4; unit Imin u1; dQM f4; unit dQM u1; record u1; dI f4; unit dI u1; dQ f4; unit dQ u1; dt (s) f4; dta (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
      variant(
        'new',
        "Ei (V) f4; Ei (V) vs. u4; ti (h:m:s) f4; Imax f4; unit Imax u1; Imin f4; unit Imin u1; dQM f4; unit dQM u1; record u1; dI f4; unit dI u1; dQ f4; unit dQ u1; dt (s) f4; dta (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x19], // CP
    variants: [
      variant(
        'old',
        "Is f4; unit Is u1; unit Is vs. u1; ts (h:m:s) f4; EM (V) f4; dQM f4; unit dQM u1; record u1; dEs (mV) f4; dts (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
      variant(
        'new',
        "Is f4; unit Is u1; unit Is vs. u4; ts (h:m:s) f4; EM (V) f4; dQM f4; unit dQM u1; record u1; dEs (mV) f4; dts (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x1c], // WAIT
    variants: [
      variant(
        'any',
        'select u1; td (h:m:s) u4; from u1; tech. num. u1; date (m/d/y) f4; date (h:m:s) f4; record u1; dE (mV) f4; dI f4; unit dI u1; dt (s) f4',
      ),
    ],
  },
  {
    ids: [0x1d], // PEIS
    variants: [
      variant(
        'old',
        "Mode u1; E (V) f4; E (V) vs. u1; tE (h:m:s) f4; record u1; dI f4; unit dI u1; dt (s) f4; fi f4; unit fi u1; ff f4; unit ff u1; Nd u4; Points u1; spacing u1; Va (mV) f4; pw f4; Na u4; corr u1; lim_nb u1; limit_type1 u1; limit_comp1 u1; limit_value1 f4; limit_unit1 u1; limit_type2 u1; limit_comp2 u1; limit_value2 f4; limit_unit2 u1; limit_type3 u1; limit_comp3 u1; limit_value3 f4; limit_unit3 u1; limit_type4 u1; limit_comp4 u1; limit_value4 f4; limit_unit4 u1; limit_type5 u1; limit_comp5 u1; limit_value5 f4; limit_unit5 u1; limit_type6 u1; limit_comp6 u1; limit_value6 f4; limit_unit6 u1; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; nc cycles u4; goto Ns' u4; nr cycles u4; inc. cycle u1",
      ),
      variant(
        'new',
        "Mode u1; E (V) f4; E (V) vs. u4; tE (h:m:s) f4; record u1; dI f4; unit dI u1; dt (s) f4; fi f4; unit fi u1; ff f4; unit ff u1; Nd u4; Points u1; spacing u1; Va (mV) f4; pw f4; Na u4; corr u1; lim_nb u1; limit_type1 u1; limit_comp1 u1; limit_value1 f4; limit_unit1 u1; limit_type2 u1; limit_comp2 u1; limit_value2 f4; limit_unit2 u1; limit_type3 u1; limit_comp3 u1; limit_value3 f4; limit_unit3 u1; limit_type4 u1; limit_comp4 u1; limit_value4 f4; limit_unit4 u1; limit_type5 u1; limit_comp5 u1; limit_value5 f4; limit_unit5 u1; limit_type6 u1; limit_comp6 u1; limit_value6 f4; limit_unit6 u1; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; nc cycles u4; goto Ns' u4; nr cycles u4; inc. cycle u1",
      ),
    ],
  },
  {
    ids: [0x1e], // GEIS
    variants: [
      variant(
        'old',
        "Mode u1; Is f4; unit Is u1; unit Is vs. u1; tIs (h:m:s) f4; record u1; dE (mV) f4; dt (s) f4; fi f4; unit fi u1; ff f4; unit ff u1; Nd u4; Points u1; spacing u1; Ia/Va u1; Ia f4; unit  Ia u1; va pourcent f4; pw f4; Na u4; corr u1; lim_nb u1; limit_type1 u1; limit_comp1 u1; limit_value1 f4; limit_unit1 u1; limit_type2 u1; limit_comp2 u1; limit_value2 f4; limit_unit2 u1; limit_type3 u1; limit_comp3 u1; limit_value3 f4; limit_unit3 u1; limit_type4 u1; limit_comp4 u1; limit_value4 f4; limit_unit4 u1; limit_type5 u1; limit_comp5 u1; limit_value5 f4; limit_unit5 u1; limit_type6 u1; limit_comp6 u1; limit_value6 f4; limit_unit6 u1; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; nc cycles u4; goto Ns' u4; nr cycles u4; inc. cycle u1",
      ),
      variant(
        'new',
        "Mode u1; Is f4; unit Is u1; unit Is vs. u4; tIs (h:m:s) f4; record u1; dE (mV) f4; dt (s) f4; fi f4; unit fi u1; ff f4; unit ff u1; Nd u4; Points u1; spacing u1; Ia/Va u1; Ia f4; unit  Ia u1; va pourcent f4; pw f4; Na u4; corr u1; lim_nb u1; limit_type1 u1; limit_comp1 u1; limit_value1 f4; limit_unit1 u1; limit_type2 u1; limit_comp2 u1; limit_value2 f4; limit_unit2 u1; limit_type3 u1; limit_comp3 u1; limit_value3 f4; limit_unit3 u1; limit_type4 u1; limit_comp4 u1; limit_value4 f4; limit_unit4 u1; limit_type5 u1; limit_comp5 u1; limit_value5 f4; limit_unit5 u1; limit_type6 u1; limit_comp6 u1; limit_value6 f4; limit_unit6 u1; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; nc cycles u4; goto Ns' u4; nr cycles u4; inc. cycle u1",
      ),
    ],
  },
  {
    ids: [0x32], // ZIR
    variants: [
      variant(
        'any',
        'E (V) f4; E (V) vs. u1; f f4; unit f u1; Va (mV) f4; pw f4; Na u4; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; comp. level (%) u1; use results u1; comp. mode u1',
      ),
    ],
  },
  {
    ids: [0x33], // CVA
    variants: [
      variant(
        'old',
        'Ei (V) f4; Ei (V) vs. u1; ti (h:m:s) f4; dti f4; dE/dt f4; dE/dt unit u1; E1 (V) f4; E1 (V) vs. u1; t1 (h:m:s) f4; dt1 (s) f4; Step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; E2 (V) f4; E2 (V) vs. u1; t2 f4; dt2 f4; nc cycles u4; nr u4; Reverse Scan u1; Ef (V) f4; Ef (V) vs. u1; tf f4; dtf f4',
      ),
      variant(
        'new',
        'Ei (V) f4; Ei (V) vs. u4; ti (h:m:s) f4; dti (s) f4; dE/dt f4; dE/dt unit u1; E1 (V) f4; E1 (V) vs. u4; t1 (h:m:s) f4; dt1 (s) f4; Step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; E2 (V) f4; E2 (V) vs. u4; t2 (h:m:s) f4; dt2 (s) f4; nc cycles u4; nr u4; Reverse Scan u4; Ef (V) f4; Ef (V) vs. u4; tf (h:m:s) f4; dtf (s) f4',
      ),
    ],
  },
  {
    ids: [0x6c], // LSV
    variants: [
      variant(
        'old',
        'tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; dE/dt f4; dE/dt unit u1; Ei (V) f4; Ei (V) vs. u1; EL (V) f4; EL (V) vs. u1; record u1; dI f4; unit dI u1; tI (s) f4; step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1',
      ),
      variant(
        'new',
        'tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; dE/dt f4; dE/dt unit u1; Ei (V) f4; Ei (V) vs. u4; EL (V) f4; EL (V) vs. u4; record u1; dI f4; unit dI u1; tI (s) f4; step percent u1; N u4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1',
      ),
    ],
  },
  {
    ids: [0x75], // coV
    variants: [
      variant(
        'new',
        "tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; Ei (V) f4; Ei (V) vs. u4; ti (h:m:s) f4; Imax f4; unit Imax u1; Imin f4; unit Imin u1; dQM f4; unit dQM u1; record u1; dI f4; unit dI u1; dQ f4; unit dQ u1; dt (s) f4; dta (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x76], // coC
    variants: [
      variant(
        'new',
        "tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; Is f4; unit Is u1; unit Is vs. u4; ts (h:m:s) f4; EM (V) f4; dQM f4; unit dQM u1; record u1; dEs (mV) f4; dts (s) f4; E range min (V) f4; E range max (V) f4; I Range u1; Bandwidth u1; goto Ns' u4; nc cycles u4",
      ),
    ],
  },
  {
    ids: [0x7f], // MB
    variants: [
      variant(
        'old',
        'ctrl_type u1; Apply I/C u1; ctrl1_val f4; ctrl1_val_unit u1; ctrl1_val_vs u1; ctrl2_val f4; ctrl2_val_unit u1; ctrl2_val_vs u1; ctrl3_val f4; ctrl3_val_unit u1; ctrl3_val_vs u1; N f4; charge/discharge u1; charge/discharge_1 u1; Apply I/C_1 u1; N1 f4; ctrl4_val f4; ctrl4_val_unit u1; ctrl_seq u4; ctrl_repeat u4; ctrl_trigger u1; ctrl_TO_t f4; ctrl_TO_t_unit u1; ctrl_Nd u4; ctrl_Na u4; ctrl_corr u1; lim_nb u1; lim1_type u1; lim1_comp u1; lim1_Q u1; lim1_value f4; lim1_value_unit u1; lim1_action u1; lim1_seq u4; lim2_type u1; lim2_comp u1; lim2_Q u1; lim2_value f4; lim2_value_unit u1; lim2_action u1; lim2_seq u4; lim3_type u1; lim3_comp u1; lim3_Q u1; lim3_value f4; lim3_value_unit u1; lim3_action u1; lim3_seq u4; rec_nb u1; rec1_type u1; rec1_value f4; rec1_value_unit u1; rec2_type u1; rec2_value f4; rec2_value_unit u1; rec3_type u1; rec3_value f4; rec3_value_unit u1; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; auto rest u1; Bandwidth u1',
      ),
      variant(
        'old',
        'ctrl_type u1; Apply I/C u1; ctrl1_val f4; ctrl1_val_unit u1; ctrl1_val_vs u1; ctrl2_val f4; ctrl2_val_unit u1; ctrl2_val_vs u1; ctrl3_val f4; ctrl3_val_unit u1; ctrl3_val_vs u1; N f4; charge/discharge u1; ctrl_seq u4; ctrl_repeat u4; ctrl_trigger u1; ctrl_TO_t f4; ctrl_TO_t_unit u1; ctrl_Nd u4; ctrl_Na u4; ctrl_corr u1; lim_nb u1; lim1_type u1; lim1_comp u1; lim1_Q u1; lim1_value f4; lim1_value_unit u1; lim1_action u1; lim1_seq u4; lim2_type u1; lim2_comp u1; lim2_Q u1; lim2_value f4; lim2_value_unit u1; lim2_action u1; lim2_seq u4; lim3_type u1; lim3_comp u1; lim3_Q u1; lim3_value f4; lim3_value_unit u1; lim3_action u1; lim3_seq u4; rec_nb u1; rec1_type u1; rec1_value f4; rec1_value_unit u1; rec2_type u1; rec2_value f4; rec2_value_unit u1; rec3_type u1; rec3_value f4; rec3_value_unit u1; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; auto rest u1; Bandwidth u1',
      ),
      variant(
        'old',
        'ctrl_type u1; Apply I/C u1; current/potential u1; ctrl1_val f4; ctrl1_val_unit u1; ctrl1_val_vs u1; ctrl2_val f4; ctrl2_val_unit u1; ctrl2_val_vs u1; ctrl3_val f4; ctrl3_val_unit u1; ctrl3_val_vs u1; N f4; charge/discharge u1; charge/discharge_1 u1; Apply I/C_1 u1; N1 f4; ctrl4_val f4; ctrl4_val_unit u1; ctrl_seq u4; ctrl_repeat u4; ctrl_trigger u1; ctrl_TO_t f4; ctrl_TO_t_unit u1; ctrl_Nd u4; ctrl_Na u4; ctrl_corr u1; lim_nb u1; lim1_type u1; lim1_comp u1; lim1_Q u1; lim1_value f4; lim1_value_unit u1; lim1_action u1; lim1_seq u4; lim2_type u1; lim2_comp u1; lim2_Q u1; lim2_value f4; lim2_value_unit u1; lim2_action u1; lim2_seq u4; lim3_type u1; lim3_comp u1; lim3_Q u1; lim3_value f4; lim3_value_unit u1; lim3_action u1; lim3_seq u4; rec_nb u1; rec1_type u1; rec1_value f4; rec1_value_unit u1; rec2_type u1; rec2_value f4; rec2_value_unit u1; rec3_type u1; rec3_value f4; rec3_value_unit u1; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; auto rest u1; Bandwidth u1',
      ),
      variant(
        'new',
        'ctrl_type u2; Apply I/C u2; current/potential u2; ctrl1_val f4; ctrl1_val_unit u1; ctrl1_val_vs u4; ctrl2_val f4; ctrl2_val_unit u1; ctrl2_val_vs u4; ctrl3_val f4; ctrl3_val_unit u1; ctrl3_val_vs u4; N f4; charge/discharge u1; charge/discharge_1 u2; Apply I/C_1 u4; N1 f4; ctrl4_val f4; ctrl4_val_unit u2; ctrl5_val f4; ctrl5_val_unit u2; ctrl_tM u4; ctrl_seq u4; ctrl_repeat u1; ctrl_trigger u4; ctrl_TO_t f4; ctrl_TO_t_unit u1; ctrl_Nd u4; ctrl_Na u1; ctrl_corr u4; lim_nb u4; lim1_type u1; lim1_comp u1; lim1_Q u1; lim1_value f4; lim1_value_unit u1; lim1_action u1; lim1_seq u4; lim2_type u1; lim2_comp u1; lim2_Q u1; lim2_value f4; lim2_value_unit u1; lim2_action u1; lim2_seq u4; lim3_type u1; lim3_comp u1; lim3_Q u1; lim3_value f4; lim3_value_unit u1; lim3_action u1; lim3_seq u4; rec_nb u1; rec1_type u1; rec1_value f4; rec1_value_unit u1; rec2_type u1; rec2_value f4; rec2_value_unit u1; rec3_type u1; rec3_value f4; rec3_value_unit u1; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; auto rest u4; Bandwidth u1',
      ),
      variant(
        'new',
        'ctrl_type u2; Apply I/C u2; current/potential u2; ctrl1_val f4; ctrl1_val_unit u1; ctrl1_val_vs u4; ctrl2_val f4; ctrl2_val_unit u1; ctrl2_val_vs u4; ctrl3_val f4; ctrl3_val_unit u1; ctrl3_val_vs u4; N f4; charge/discharge u1; charge/discharge_1 u2; Apply I/C_1 u4; N1 f4; ctrl4_val f4; ctrl4_val_unit u2; ctrl5_val f4; ctrl5_val_unit u2; ctrl_tM u4; ctrl_seq u4; ctrl_repeat u1; ctrl_trigger u4; ctrl_TO_t f4; ctrl_TO_t_unit u1; ctrl_Nd u4; ctrl_Na u1; ctrl_corr u4; lim_nb u4; lim1_type u1; lim1_comp u1; lim1_Qprev_pct u2; lim1_Q u1; lim1_value f4; lim1_value_unit u1; lim1_action u1; lim1_seq u4; lim2_type u1; lim2_comp u1; lim2_Qprev_pct u2; lim2_Q u1; lim2_value f4; lim2_value_unit u1; lim2_action u1; lim2_seq u4; lim3_type u1; lim3_comp u1; lim3_Qprev_pct u2; lim3_Q u1; lim3_value f4; lim3_value_unit u1; lim3_action u1; lim3_seq u4; rec_nb u1; rec1_type u1; rec1_value f4; rec1_value_unit u1; rec2_type u1; rec2_value f4; rec2_value_unit u1; rec3_type u1; rec3_value f4; rec3_value_unit u1; E range min (V) f4; E range max (V) f4; I Range u1; I Range min u1; I Range max u1; I Range init u1; auto rest u4; Bandwidth u1',
      ),
    ],
  },
  {
    ids: [0x88], // BCD
    variants: [
      variant(
        'old',
        'Set I/C 1 u1; Is1 f4; unit Is1 u1; N1 f4; I1 sign u1; t1 (h:m:s) f4; EM1 (V) f4; EM1 vs. u1; EM2 (V) f4; EM2 vs. u1; dE1 (mV) f4; dt1 (s) f4; Hold NONE/EM1/EM2 u1; tM (h:m:s) f4; Set I limit u1; Im f4; unit Im u1; Nl f4; I Range u1; Bandwidth u1; E range min (V) f4; E range max (V) f4; tR (h:m:s) f4; dER/dt (mV/h) f4; dER (mV) f4; dtR (s) f4; Charge/Discharge u1; Set I/C 2 u1; Is2 f4; unit Is2 u1; N2 f4; I2 sign u1; t2 (h:m:s) f4; Return Ei u1; use C u1',
      ),
    ],
  },
];

/** Candidate offsets of the sequence count in the module body, in the order they are tried. */
const OFFSETS = [0x0572, 0x1845, 0x1846, 0x1847];

/** EC-Lab's current ranges by the stored code + 1 (the .mpr stores one less than the table index). */
const CURRENT_RANGES: readonly string[] =
  ',10 mA,100 µA,1 µA,2 A,1 A,5 A,10 A,20 A,1 A,100 mA,10 mA,1 mA,100 µA,10 µA,Auto,100 mA,10 mA,1 mA,100 µA,100 µA,10 µA,1 µA,100 nA,10 nA,1 nA,80 A,4 A,PAC,4 A,100 µA,10 µA,1 µA,100 nA,10 nA,1 nA,8 A,1 A,100 mA,10 mA,1 mA,100 µA,10 µA,1 µA,100 nA,10 nA,50 A,5 A,100 A,150 A,1 A,4 A,100 µA,10 µA,1 µA,100 nA,10 nA,1 nA,100 pA,10 pA,1 pA,5 A,10 A,20 A,40 A,10 A,2 A,8 A,12 A,16 A,20 A,24 A,28 A,32 A,36 A,40 A,44 A,48 A,52 A,56 A,60 A,64 A,20 A,30 A,40 A,50 A,60 A,70 A,80 A,90 A,100 A,110 A,120 A,130 A,140 A,150 A,160 A,4 A,6 A,8 A,10 A,12 A,14 A,16 A,18 A,20 A,22 A,24 A,26 A,28 A,30 A,32 A,10 A,1 A,100 mA,10 mA,1 mA,100 µA,10 µA,20 A,40 A,80 A,Auto Limited,Unset,300 mA,3 A,30 A,60 A,90 A,120 A,150 A,180 A,210 A,240 A,270 A,300 A,330 A,360 A,390 A,420 A,450 A,480 A,50 A,100 A,150 A,200 A,200 A,400 A,600 A,800 A,50 A,100 A,150 A,200 A,1 A,2 A,3 A,4 A,5 A,6 A,7 A,8 A,9 A,10 A,11 A,12 A,13 A,14 A,15 A,16 A,50 A,100 A,150 A,200 A,50 A,100 A,150 A,200 A,1 A,2 A,3 A,4 A,5 A,6 A,7 A,8 A,9 A,10 A,11 A,12 A,13 A,14 A,15 A,16 A'.split(
    ',',
  );

const CURRENT_UNITS = ['A', 'mA', 'µA', 'nA', 'pA'];
const CHARGE_UNITS = ['A.h', 'mA.h', 'µA.h', 'nA.h', 'pA.h'];
const FREQUENCY_UNITS = ['MHz', 'kHz', 'Hz', 'mHz'];
const POTENTIAL_REFERENCES = ['Eoc', 'Ectrl', 'Emeas', 'Ei', 'Ref'];
const CURRENT_OR_CAPACITY = ['I', 'C / N', 'C x N'];

/** Techniques that control the potential record the current, the others the potential. */
const RECORDS_CURRENT = new Set([0x06, 0x18, 0x30, 0x33, 0x6c, 0x75]);
const RECORDS_POTENTIAL = new Set([0x0b, 0x19, 0x76]);

/**
 * Field → the words EC-Lab prints for its codes (a sparse list: a code not listed stays a number).
 * Codes whose words were not seen in an export of the same run are not guessed.
 */
function labelsFor(name: string, techniqueId: number): readonly (string | undefined)[] | undefined {
  if (/^unit (dIp?|\s*Ia|Im|Imax|Imin|Is\d?)$/.test(name)) return CURRENT_UNITS;
  if (/^unit (dq|dQ|dQM|dQp)$/.test(name)) return CHARGE_UNITS;
  if (/^unit (f|fi|ff)$/.test(name)) return FREQUENCY_UNITS;
  if (name === 'dunit dI/dt') return CURRENT_UNITS.map((unit) => `${unit}/s`);
  if (name === 'dE/dt unit') return [undefined, 'mV/s', 'V/s'];
  if (name === 'unit Is vs.') return [undefined, undefined, '<None>'];
  if (/ vs\.$/.test(name)) return POTENTIAL_REFERENCES;
  if (/^(Set|Apply) I\/C( \d|_1)?$/.test(name)) return CURRENT_OR_CAPACITY;
  if (/^I\d? sign$/.test(name)) return ['> 0', '< 0'];
  if (name === 'Set I limit') return ['Im'];
  // Modulo Bat sequences: what each one does, and its direction.
  if (name === 'ctrl_type')
    return ['CC', undefined, undefined, undefined, 'Rest', 'Loop', undefined, undefined, 'PEIS', 'GEIS'];
  if (/^charge\/discharge(_1)?$/.test(name)) return ['Charge', 'Discharge'];
  if (/^I Range (min|max|init)$/.test(name)) return CURRENT_RANGES;
  if (name === 'Mode') return ['Single sine', 'Multi sine'];
  if (name === 'Points') return [undefined, 'per decade'];
  if (name === 'spacing') return [undefined, 'Logarithmic'];
  if (name === 'Ia/Va') return ['Ia'];
  if (name === 'comp. mode') return ['Software'];
  if (name === 'record' && RECORDS_CURRENT.has(techniqueId)) return ['I', '<I>'];
  if (name === 'record' && RECORDS_POTENTIAL.has(techniqueId)) return ['Ewe', '<Ewe>'];
  return undefined;
}

/** The decoded parameter table: names in file order (Ns first), one value per sequence, as EC-Lab prints them. */
export type TechniqueParameters = [name: string, values: string[]][];

/**
 * Reads the parameter table from the settings module body, or returns undefined when no candidate
 * offset holds a field count known for this technique (an unknown technique or EC-Lab version).
 */
export function readTechniqueParameters(
  body: DataView,
  techniqueId: number,
  newHeader: boolean,
): TechniqueParameters | undefined {
  const layout = LAYOUTS.find((l) => l.ids.includes(techniqueId));
  if (!layout) return undefined;
  const generation: Generation = newHeader ? 'new' : 'old';
  for (const offset of OFFSETS) {
    if (offset + 4 > body.byteLength) continue;
    const sequences = body.getUint16(offset, true);
    const count = body.getUint16(offset + 2, true);
    const match = layout.variants.find(
      (v) => v.fields.length === count && (v.generation === 'any' || v.generation === generation),
    );
    if (!match || sequences === 0 || offset + 4 + sequences * match.bytes > body.byteLength) continue;
    return decodeSequences(body, offset + 4, sequences, match, techniqueId);
  }
  return undefined;
}

function decodeSequences(
  body: DataView,
  start: number,
  sequences: number,
  layout: Variant,
  techniqueId: number,
): TechniqueParameters {
  const ns: [string, string[]] = ['Ns', Array.from({ length: sequences }, (_, i) => String(i))];
  const columns = layout.fields.map((field): [string, string[]] => [field.name, []]);
  // Each field's words are looked up once, not once per sequence.
  const labels = layout.fields.map((field) => labelsFor(field.name, techniqueId));
  let at = start;
  for (let s = 0; s < sequences; s++) {
    layout.fields.forEach((field, f) => {
      columns[f]![1].push(formatValue(field, readField(body, at, field.type), labels[f]));
      at += FIELD_BYTES[field.type];
    });
  }
  return [ns, ...columns];
}

function readField(body: DataView, at: number, type: FieldType): number {
  switch (type) {
    case 'u1':
      return body.getUint8(at);
    case 'u2':
      return body.getUint16(at, true);
    case 'u4':
      return body.getUint32(at, true);
    case 'f4':
      return body.getFloat32(at, true);
  }
}

function formatValue(
  field: Field,
  value: number,
  labels: readonly (string | undefined)[] | undefined,
): string {
  // The sequence's own I Range is stored one below EC-Lab's table index.
  if (field.name === 'I Range') return CURRENT_RANGES[value + 1] || String(value);
  if (labels) return labels[value] || String(value);
  if (field.type !== 'f4') return String(value);
  // EC-Lab prints "pass" for a limit that is not set (stored as NaN or ±∞).
  if (!Number.isFinite(value)) return 'pass';
  if (field.name.endsWith('(h:m:s)')) return hoursMinutesSeconds(value);
  return float32Text(value);
}

/** A float32 value printed without float noise (9.324999809 → "9.325"). */
export function float32Text(value: number): string {
  return String(Number(value.toPrecision(7)));
}

/** Seconds as EC-Lab prints durations: "12:00:0.0000", "0:00:10.0000". */
function hoursMinutesSeconds(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds - hours * 3600) / 60);
  const rest = seconds - hours * 3600 - minutes * 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${rest.toFixed(4)}`;
}
