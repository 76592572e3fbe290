/**
 * Input validation for the repository functions, done once at their entry. The API layer validates
 * the renderer's arguments too; these schemas guard the CLI, the worker and tests equally.
 */
import { z } from 'zod';
import { ElyteError } from '../app/errors';
import { CATIONS } from './types';

const text = (max: number) => z.string().max(max);
const name = z.string().trim().min(1, 'must not be empty').max(255);
const positive = z.number().finite().positive();
const percent = z.number().finite().min(0).max(100);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-03-14');

export const sampleFieldsSchema = z.object({
  name,
  family: text(100).default(''),
  components: z
    .array(z.object({ name: z.string().trim().min(1).max(100), ratio: z.number().finite().nonnegative() }))
    .max(50)
    .default([]),
  salt: text(100).default(''),
  cation: z.enum(CATIONS).default('Li'),
  fillerParticleSize_m: positive.nullable().default(null),
  residualSolvent_pct: percent.nullable().default(null),
  crystallinity_pct: percent.nullable().default(null),
  freeAnionFraction_pct: percent.nullable().default(null),
  notes: text(100_000).default(''),
  tags: z.array(z.string().trim().min(1).max(50)).max(100).default([]),
});

export const batchFieldsSchema = z.object({
  sampleId: z.number().int().positive(),
  name,
  date: isoDate.nullable().default(null),
  operator: text(100).default(''),
  deviations: text(100_000).default(''),
  notes: text(100_000).default(''),
});

export const cellFieldsSchema = z.object({
  batchId: z.number().int().positive(),
  name,
  cellType: text(100).default(''),
  area_m2: positive.nullable().default(null),
  thickness_m: positive.nullable().default(null),
  activeMass_kg: positive.nullable().default(null),
  loading_kg_per_m2: positive.nullable().default(null),
  cathode: text(100).default(''),
  notes: text(100_000).default(''),
});

/** Parses `value` or throws 'invalid-argument' naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : what;
  throw new ElyteError('invalid-argument', `${what}: ${field} ${issue?.message ?? 'is invalid'}`, {
    where: field,
  });
}

export function requireId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ElyteError('invalid-argument', `${what} must be a positive integer id, got ${String(value)}`, {
      where: what,
    });
  }
  return value;
}
