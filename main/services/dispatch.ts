/**
 * The single door into the services for both transports: the call name and argument arrive as
 * `unknown`, the name must be one of the contract's, the argument must pass its zod schema, and only
 * then does the handler run. Every outcome is an Envelope (errors are values with a kind).
 */
import type { z } from 'zod';
import { API, type CallName, type Handlers, isCallName } from '../../app/api/contract';
import type { Envelope } from '../../app/api/wire';
import { ElyteError, toErrorInfo } from '../../app/errors';

export type Dispatch = (name: unknown, input: unknown) => Promise<Envelope<unknown>>;

export function createDispatcher(handlers: Handlers): Dispatch {
  return async (name, input) => {
    if (!isCallName(name)) {
      return {
        ok: false,
        error: { kind: 'invalid-argument', message: `unknown API call ${JSON.stringify(name)}` },
      };
    }
    const parsed = API[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: { kind: 'invalid-argument', message: describeIssues(name, parsed.error) } };
    }
    try {
      const handler = handlers[name] as (value: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (!(error instanceof ElyteError)) console.error(`[elyte] ${name} failed`, error);
      return { ok: false, error: toErrorInfo(error) };
    }
  };
}

/** "library.tree: search: expected string, received number" — the field path and zod's reason. */
export function describeIssues(name: CallName | string, error: z.ZodError): string {
  const issues = error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(argument)'}: ${issue.message}`);
  return `invalid argument for ${name}: ${issues.join('; ')}`;
}
