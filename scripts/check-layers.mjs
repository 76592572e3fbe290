#!/usr/bin/env node
// The layer rule, checked over every source file (Biome's restricted imports catch most of it; this
// also catches dynamic imports, require() and relative paths that climb into another layer):
//   app/      pure: no electron, node:*, Node built-ins, DOM globals' modules, React, db/, main/, renderer/
//   db/       Node: no electron, renderer/, main/
//   renderer/ browser: no node:*, Node built-ins, db/, main/, better-sqlite3, electron
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));

const RULES = {
  app: {
    banned: ['electron', 'react', 'react-dom', 'better-sqlite3', 'plotly.js-dist-min'],
    node: true,
    layers: ['db', 'main', 'renderer', 'cli'],
  },
  db: { banned: ['electron', 'react', 'react-dom'], node: false, layers: ['main', 'renderer', 'cli'] },
  renderer: { banned: ['electron', 'better-sqlite3'], node: true, layers: ['db', 'main', 'cli'] },
};

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) yield* sources(path);
    // Build configs (vite.config.ts) run in Node at build time, not in the layer they sit in.
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') && !name.includes('.config.'))
      yield path;
  }
}

export function violations(layer, file, text) {
  const rule = RULES[layer];
  const found = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (!spec) continue;
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec.split('/')[0];
    if (rule.banned.includes(spec) || rule.banned.includes(bare)) found.push(`${spec} (banned in ${layer}/)`);
    else if (rule.node && (spec.startsWith('node:') || NODE_BUILTINS.has(bare)))
      found.push(`${spec} (Node API in ${layer}/)`);
    else if (spec.startsWith('.')) {
      const target = relative(root, resolve(file, '..', spec)).split(sep)[0];
      if (rule.layers.includes(target)) found.push(`${spec} (${layer}/ must not import ${target}/)`);
    }
  }
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  let count = 0;
  for (const layer of Object.keys(RULES)) {
    let dir;
    try {
      dir = statSync(join(root, layer)) && join(root, layer);
    } catch {
      continue;
    }
    for (const file of sources(dir)) {
      for (const problem of violations(layer, file, readFileSync(file, 'utf8'))) {
        console.error(`${relative(root, file)}: imports ${problem}`);
        count++;
      }
    }
  }
  if (count > 0) {
    console.error(`layer check: ${count} violation(s)`);
    process.exit(1);
  }
  console.log('layer check: app/ pure, db/ Node, renderer/ browser — ok');
}
