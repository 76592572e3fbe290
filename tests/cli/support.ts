/**
 * Runs the real `elyte` command (`node bin/elyte.mjs …` from the repository root, what `npx elyte` runs)
 * in a child process and hands back its exit code, stdout and stderr — the contract scripts rely on.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../support/paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into non-empty lines. */
  errorLines: string[];
}

/**
 * At most this many CLI processes at once per test file: two cores, and vitest runs two files at a time;
 * more only thrashes.
 */
const MAX_CONCURRENT = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolveSlot) => waiting.push(resolveSlot));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Each spawn costs ~1 s of tsx start-up on this machine: batch files per call where a command allows. */
export function elyte(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  return slot(() => spawnElyte(args, timeoutMs));
}

function spawnElyte(args: readonly string[], timeoutMs: number): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['bin/elyte.mjs', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        errorLines: stderr.split('\n').filter((line) => line.trim() !== ''),
      });
    });
  });
}

/** Runs named `elyte` calls in parallel (as many at once as `elyte` allows) and files each run under its name. */
export async function elyteAll(
  cases: readonly (readonly [string, readonly string[]])[],
  into: Map<string, CliRun>,
): Promise<void> {
  const results = await Promise.all(cases.map(([, args]) => elyte(args)));
  for (const [i, [name]] of cases.entries()) into.set(name, results[i]!);
}

/** `--json` output: exactly one JSON document on stdout. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  const text = run.stdout.trim();
  expect(text.length, `no JSON on stdout; stderr: ${run.stderr}`).toBeGreaterThan(0);
  return JSON.parse(text) as T;
}

/** A run that succeeded (exit 0), with its stderr shown when it did not. */
export function expectOk(run: CliRun): void {
  expect(run.code, `exit code; stderr: ${run.stderr}`).toBe(0);
}

/** Bad input: exit 2 and exactly one stderr line that names `names` (the file or the option). */
export function expectBadInput(run: CliRun, names: string | RegExp): void {
  expect(run.code, `exit code; stdout: ${run.stdout.slice(0, 300)}; stderr: ${run.stderr}`).toBe(2);
  expect(run.errorLines, 'exactly one line on stderr').toHaveLength(1);
  expect(run.errorLines[0]).toMatch(typeof names === 'string' ? new RegExp(escapeRegExp(names)) : names);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function relativeError(value: number, expected: number): number {
  return Math.abs(value - expected) / Math.abs(expected);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A fresh temporary folder and its cleanup. */
export function tempDir(prefix = 'elyte-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A finite number (typeof checks alone let NaN through). */
export function expectNumber(value: unknown, label: string): asserts value is number {
  expect(typeof value, `${label} should be a number, got ${JSON.stringify(value)}`).toBe('number');
  expect(Number.isFinite(value as number), `${label} should be finite`).toBe(true);
}

export function expectNumberOrNull(value: unknown, label: string): void {
  if (value !== null) expectNumber(value, label);
}
