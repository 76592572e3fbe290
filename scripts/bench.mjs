#!/usr/bin/env node
// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones) one after another, each in
// its own process (clean memory numbers), and collects their `BENCH {json}` lines into
// bench-results/latest.json for the README.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const filter = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filter.length === 0 || filter.some((f) => name.includes(f)))
  .sort();
const results = {};
let failures = 0;
for (const file of files) {
  console.log(`\n▶ bench/${file}`);
  const run = spawnSync('npx', ['tsx', '--expose-gc', `bench/${file}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(run.stdout ?? '');
  const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH '));
  if (run.status !== 0 || !line) {
    failures++;
    results[file] = { error: `exit ${run.status}` };
    continue;
  }
  results[file] = JSON.parse(line.slice(6));
}
mkdirSync('bench-results', { recursive: true });
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  date: new Date().toISOString(),
};
writeFileSync('bench-results/latest.json', `${JSON.stringify({ machine, results }, null, 2)}\n`);
console.log(`\nwrote bench-results/latest.json (${files.length} benches, ${failures} failed)`);
process.exit(failures > 0 ? 1 : 0);
