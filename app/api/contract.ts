/**
 * The one API contract between the UI and the services: a map of named calls, each with the zod
 * schema of its argument and the type of its result. Electron's preload, the loopback HTTP server,
 * the renderer's client and the tests all derive from this map, so a call exists everywhere or nowhere.
 * tests/api/contract.test.ts snapshots the list of calls: changing the surface is a deliberate act.
 */
import { z } from 'zod';
import { TECHNIQUE_KINDS } from '../measurement';
import { ANALYSIS_KINDS } from '../workflows/analyses';
import type { CallNameFromList } from './call-names';
import { call } from './define';
import type {
  AnalysisRecord,
  AppInfo,
  ChannelWindow,
  CompareData,
  FormatInfo,
  InspectReport,
  JobTicket,
  LibraryTree,
  MeasurementDetail,
  Provenance,
  RawFile,
  SampleSummary,
  TableColumnsReport,
} from './types';

const id = z.number().int().positive();
const finite = z.number().finite();
const positive = z.number().finite().positive();
/** File bytes: a Uint8Array over IPC; the HTTP transport encodes it as base64 and decodes it back. */
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the file bytes');
const name = z.string().trim().min(1).max(255);
const fileName = z.string().min(1).max(1024);
const empty = z.object({});
type Empty = typeof empty;

export const columnMappingSchema = z.record(
  z.string(),
  z.object({ column: z.union([z.string(), z.number().int().nonnegative()]), unit: z.string().max(32) }),
);

export const sampleFieldsSchema = z.object({
  name,
  family: z.string().max(100).default(''),
  components: z
    .array(z.object({ name: z.string().min(1).max(100), ratio: z.number().finite().nonnegative() }))
    .default([]),
  salt: z.string().max(100).default(''),
  cation: z.enum(['Li', 'Na', 'K', 'Mg', 'Zn', 'other']).default('Li'),
  fillerParticleSize_m: positive.nullable().default(null),
  residualSolvent_pct: z.number().finite().min(0).max(100).nullable().default(null),
  crystallinity_pct: z.number().finite().min(0).max(100).nullable().default(null),
  freeAnionFraction_pct: z.number().finite().min(0).max(100).nullable().default(null),
  notes: z.string().max(10000).default(''),
  tags: z.array(z.string().min(1).max(50)).default([]),
});

export const cellFieldsSchema = z.object({
  batchId: id,
  name,
  cellType: z.string().min(1).max(100),
  area_m2: positive.nullable().default(null),
  thickness_m: positive.nullable().default(null),
  activeMass_kg: positive.nullable().default(null),
  cathode: z.string().max(100).default(''),
});

export const analysisKindSchema = z.enum(ANALYSIS_KINDS);

export const API = {
  'app.info': call<Empty, AppInfo>(empty, 'Version, library path and transport.'),
  'formats.list': call<Empty, FormatInfo[]>(empty, 'Every instrument format Elyte reads.'),
  'files.inspect': call<ReturnType<typeof inspectInput>, InspectReport>(
    inspectInput(),
    'Detect and decode a file without storing it (for the import screen).',
    { heavy: true },
  ),
  'files.columns': call<ReturnType<typeof columnsInput>, TableColumnsReport>(
    columnsInput(),
    'Header names of a generic table, its mapping signature, and the guessed and remembered mappings.',
    { heavy: true },
  ),
  'library.import': call<ReturnType<typeof importInput>, JobTicket>(
    importInput(),
    'Start importing files in the worker; progress and the ImportReport arrive as job events.',
    { heavy: true },
  ),
  'jobs.cancel': call<z.ZodObject<{ jobId: z.ZodString }>, { cancelled: boolean }>(
    z.object({ jobId: z.string().min(1).max(64) }),
    'Cancel a running job.',
  ),
  'library.tree': call<ReturnType<typeof treeInput>, LibraryTree>(
    treeInput(),
    'Samples → batches → cells → measurements, filtered.',
  ),
  'library.samples': call<Empty, SampleSummary[]>(z.object({}), 'Samples with their latest key numbers.'),
  'library.undo': call<Empty, { undone: string | null }>(z.object({}), 'Undo the last library edit.'),
  'samples.create': call<typeof sampleFieldsSchema, { id: number }>(sampleFieldsSchema, 'Create a sample.'),
  'samples.update': call<ReturnType<typeof sampleUpdateInput>, { id: number }>(
    sampleUpdateInput(),
    'Change fields of a sample.',
  ),
  'batches.create': call<ReturnType<typeof batchInput>, { id: number }>(
    batchInput(),
    'Create a batch of a sample.',
  ),
  'cells.create': call<typeof cellFieldsSchema, { id: number }>(
    cellFieldsSchema,
    'Create a cell from a batch.',
  ),
  'measurements.assign': call<ReturnType<typeof assignInput>, { id: number }>(
    assignInput(),
    'File a measurement under a cell (and set its temperature).',
  ),
  'measurements.get': call<z.ZodObject<{ id: typeof id }>, MeasurementDetail>(
    z.object({ id }),
    'One measurement: metadata, channel list, analyses.',
  ),
  'measurements.channels': call<ReturnType<typeof channelsInput>, ChannelWindow>(
    channelsInput(),
    'Channels of a measurement, decimated to the envelope for plotting.',
  ),
  'measurements.raw': call<z.ZodObject<{ id: typeof id }>, RawFile>(
    z.object({ id }),
    'The original file bytes, byte-identical.',
  ),
  'analysis.run': call<ReturnType<typeof analysisInput>, JobTicket>(
    analysisInput(),
    'Start an analysis in the worker; progress and the stored AnalysisRecord (a new version) arrive as job events.',
    { heavy: true },
  ),
  'analysis.list': call<z.ZodObject<{ measurementId: typeof id }>, AnalysisRecord[]>(
    z.object({ measurementId: id }),
    'Every analysis version that used a measurement.',
  ),
  'analysis.provenance': call<z.ZodObject<{ analysisId: typeof id }>, Provenance>(
    z.object({ analysisId: id }),
    'Settings, version and source files (with SHA-256) behind a number.',
  ),
  'compare.samples': call<z.ZodObject<{ sampleIds: z.ZodArray<typeof id> }>, CompareData>(
    z.object({ sampleIds: z.array(id).min(1).max(20) }),
    'Side-by-side numbers and curves of samples.',
  ),
  'mappings.get': call<
    z.ZodObject<{ signature: z.ZodString }>,
    { mapping: Record<string, { column: string | number; unit: string }> | null }
  >(
    z.object({ signature: z.string().min(1).max(4096) }),
    'The column mapping remembered for a header layout.',
  ),
} as const;

function inspectInput() {
  return z.object({ name: fileName, bytes, columns: columnMappingSchema.optional() });
}

function columnsInput() {
  return z.object({ name: fileName, bytes });
}

function importInput() {
  return z.object({
    files: z
      .array(z.object({ name: fileName, bytes }))
      .min(1)
      .max(1000),
    cellId: id.optional(),
    temperature_C: finite.min(-273.15).optional(),
    columns: columnMappingSchema.optional(),
  });
}

function treeInput() {
  return z.object({
    search: z.string().max(200).optional(),
    family: z.string().max(100).optional(),
    cation: z.string().max(20).optional(),
    kind: z.enum(TECHNIQUE_KINDS).optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  });
}

function sampleUpdateInput() {
  return z.object({ id, fields: sampleFieldsSchema.partial() });
}

function batchInput() {
  return z.object({
    sampleId: id,
    name,
    date: z.iso.date().optional(),
    operator: z.string().max(100).default(''),
    deviations: z.string().max(10000).default(''),
  });
}

function assignInput() {
  return z.object({
    measurementId: id,
    cellId: id.nullable(),
    temperature_C: finite.min(-273.15).nullable().optional(),
  });
}

function channelsInput() {
  return z.object({
    id,
    x: z.string().min(1).max(64),
    y: z.array(z.string().min(1).max(64)).min(1).max(8),
    /** Target number of points; the decimation keeps each pixel column's min and max. */
    maxPoints: z.number().int().min(10).max(2_000_000).default(4000),
    xRange: z.tuple([finite, finite]).optional(),
  });
}

function analysisInput() {
  return z.object({
    kind: analysisKindSchema,
    measurementIds: z.array(id).min(1).max(100),
    settings: z.record(z.string(), z.unknown()).default({}),
  });
}

export type Api = typeof API;
export type CallName = keyof Api;
export type CallInput<K extends CallName> = z.input<Api[K]['input']>;
export type ParsedInput<K extends CallName> = z.output<Api[K]['input']>;
export type CallOutput<K extends CallName> = Api[K]['output'];
export const CALL_NAMES = Object.keys(API) as CallName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(API, value);
}

/** What the services implement: one async function per call, taking the validated argument. */
export type Handlers = { [K in CallName]: (input: ParsedInput<K>) => Promise<CallOutput<K>> };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: the preload's name list and the contract agree exactly. */
export const CALL_NAMES_MATCH: Same<CallName, CallNameFromList> = true;
