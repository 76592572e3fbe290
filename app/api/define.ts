/**
 * How a call of the API contract is declared: a zod schema for its argument (everything crossing a
 * process boundary is `unknown` until this schema accepts it) and a phantom type for its result
 * (results come from our own services, so they are typed, not re-validated).
 */
import type { z } from 'zod';

export interface CallSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Never read at run time: carries the result type. */
  output: Output;
  /** One line for the API surface listing. */
  summary: string;
  /** Runs in the worker pool (parsing, fitting, big writes) and reports progress. */
  heavy: boolean;
}

export function call<Input extends z.ZodType, Output>(
  input: Input,
  summary: string,
  options: { heavy?: boolean } = {},
): CallSpec<Input, Output> {
  return { input, output: undefined as Output, summary, heavy: options.heavy ?? false };
}
