#!/usr/bin/env node
// `npm test`: typecheck, lint (Biome + layer rule), unit tests (Vitest), end-to-end tests (Playwright
// in Debian's Chromium against `npm run serve`), then one closing line with the counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('.cache', { recursive: true });
const steps = [];

function run(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

function countVitest(path) {
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

function countPlaywright(path) {
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const stats = report.stats ?? {};
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
  };
}

const only = process.argv[2];
if (!only || only === 'static') {
  run('typecheck', 'npx', ['tsc', '-b']);
  run('lint', 'npm', ['run', '--silent', 'lint']);
}
if (!only || only === 'unit') {
  run('unit', 'npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile=.cache/vitest.json',
  ]);
}
if (!only || only === 'e2e') {
  run('e2e', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: '.cache/playwright.json' });
}

const unit = countVitest('.cache/vitest.json');
const e2e = countPlaywright('.cache/playwright.json');
console.log('\nSummary');
for (const step of steps)
  console.log(`  ${step.ok ? 'ok  ' : 'FAIL'} ${step.name} (${step.seconds.toFixed(1)} s)`);
if (unit) console.log(`  unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
if (e2e) console.log(`  e2e:  ${e2e.passed} passed, ${e2e.failed} failed, ${e2e.skipped} skipped`);
const passed = (unit?.passed ?? 0) + (e2e?.passed ?? 0);
const failedSteps = steps.filter((step) => !step.ok).length;
const failed =
  (unit?.failed ?? 0) +
  (e2e?.failed ?? 0) +
  (failedSteps > 0 && !(unit?.failed || e2e?.failed) ? failedSteps : 0);
const skipped = (unit?.skipped ?? 0) + (e2e?.skipped ?? 0);
console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
