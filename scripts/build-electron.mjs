#!/usr/bin/env node
// Bundles the Electron main process, the preload and the worker into dist/electron/*.cjs.
// Native and Electron modules stay external (better-sqlite3 is rebuilt for Electron by electron-builder).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external: ['electron', 'better-sqlite3'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs' }),
  build({ ...common, entryPoints: ['main/worker/entry.ts'], outfile: 'dist/electron/worker.cjs' }),
]);
console.log('built dist/electron/{main,preload,worker}.cjs');
