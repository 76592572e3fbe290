/**
 * CLI conventions (shared/docs/cli.md): one JSON document on stdout with --json, a table otherwise;
 * logs on stderr; exit 0 ok, 1 analysis could not produce the number, 2 bad input.
 */
import { ElyteError, type ErrorInfo } from '../app/errors';

export const EXIT_OK = 0;
export const EXIT_NO_RESULT = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown for a bad flag or option: exit 2 with one line on stderr. */
export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** A plain aligned table for people. */
export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(nothing)\n');
    return;
  }
  const keys = columns ?? Object.keys(rows[0]!);
  const cells = rows.map((row) => keys.map((key) => formatCell(row[key])));
  const widths = keys.map((key, i) => Math.max(key.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(keys)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const values of cells) process.stdout.write(`${line(values)}\n`);
}

export function printKeyValues(values: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(values).map((key) => key.length));
  for (const [key, value] of Object.entries(values))
    process.stdout.write(`${key.padEnd(width)}  ${formatCell(value)}\n`);
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '—';
    if (Number.isInteger(value)) return String(value);
    const magnitude = Math.abs(value);
    return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)
      ? value.toExponential(4)
      : value.toPrecision(5);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Maps a thrown error to the exit code and the one stderr line the spec asks for. With `json` the
 * reason is also the one JSON document on stdout (`{ok: false, error: {kind, message, file?, where?}}`),
 * so a script reading stdout learns why there is no number.
 */
export function reportFailure(error: unknown, json = false): number {
  let info: ErrorInfo;
  let code = EXIT_BAD_INPUT;
  if (error instanceof UsageError) {
    info = { kind: 'invalid-argument', message: error.message };
  } else if (error instanceof ElyteError) {
    info = error.toInfo();
    if (error.kind === 'analysis') code = EXIT_NO_RESULT;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    info = { kind: 'malformed', message: `unexpected failure: ${message}` };
  }
  process.stderr.write(`elyte: ${info.message}\n`);
  if (json) printJson({ ok: false, error: info });
  return code;
}
